// Markdown: the report as a document, for CI job summaries, merge requests and incident notes.
import { SEVERITIES } from '../severity.js';
import { visibleLines } from './escape.js';
import type { Report } from './types.js';
import { utcText as utc } from '../time.js';

const cell = (text: string) => visibleLines(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, '<br>');

export function* renderMarkdown(report: Report): Generator<string> {
  const { summary, database: db, dump } = report;
  const out: string[] = [`## ts-audit ${report.command}`, ''];
  if (db) out.push(`- **Database:** \`${db.target}\` (PostgreSQL ${db.serverVersion}), snapshot ${utc(db.snapshotAt)}`);
  const logs = report.details?.logs;
  if (logs) out.push(`- **Logs:** ${logs.files.map((f) => `\`${f}\``).join(', ')}: ${logs.records} records, ${utc(logs.firstAt)} to ${utc(logs.lastAt)} (written in ${logs.logTimezone}), ${logs.restartCount} restarts`);
  if (db && db.naiveColumns.length > 0) out.push(`- **Naive timestamps** read as ${db.naiveTimestampZone}: ${db.naiveColumns.map((c) => `\`${c}\``).join(', ')}`);
  if (dump) out.push(`- **Dump:** \`${dump.source}\` (${dump.format}, ${dump.stops} stops, dumped ${utc(dump.dumpedAt)})`);
  const counts = summary.openPositions === null ? [] : [`open positions ${summary.openPositions}`, `stops in DB ${summary.stopsInDb}`];
  if (summary.stopsInMemory !== null) counts.push(`stops in memory ${summary.stopsInMemory}`, `matched ${summary.matched}`);
  if (counts.length > 0) out.push(`- **Counts:** ${counts.join(' · ')}`);
  if (summary.restart) out.push(`- **Restart:** ${summary.restart.text}`);
  for (const s of report.skipped) out.push(`- **Not checked:** \`${s.check}\`: ${s.reason}`);
  for (const n of report.notes) out.push(`- **Note:** ${n}`);
  if (report.details?.burst) out.push(`- **Burst:** ${report.details.burst.text}`);
  if (summary.suppressed) out.push(`- **Suppressed:** ${summary.suppressed.baseline} by the baseline, ${summary.suppressed.allowlist} by the allowlist`);
  out.push(`- **Findings:** ${SEVERITIES.map((s) => `${summary.bySeverity[s]} ${s}`).join(' · ')}`, '');
  if (report.findings.length === 0) {
    out.push('No findings.', '');
    yield `${out.join('\n')}\n`;
    return;
  }
  out.push('| Severity | Check | Exchange | Symbol | Position | Finding |', '|---|---|---|---|---|---|');
  yield `${out.join('\n')}\n`;
  // The rows as they are read: a large run's findings are never all in memory.
  for (const f of report.findings) {
    yield `| ${f.severity} | \`${f.check}\` | ${cell(f.exchange)} | ${cell(f.symbol)} | ${f.positionId ?? ''} | ${cell(f.message)} |\n`;
  }
  yield '\n';
}
