// Markdown: the report as a document, for CI job summaries, merge requests and incident notes.
import { DateTime } from 'luxon';
import { formatSpan } from '../duration.js';
import { SEVERITIES } from '../severity.js';
import { plural } from '../words.js';
import { mdCode, mdText } from './escape.js';
import type { Report } from './types.js';
import { utcText as utc } from '../time.js';

/** Markup ts-audit writes itself (bold, a code span): put in a cell as it is. */
class Markup {
  constructor(readonly text: string) {}
}
const markup = (text: string) => new Markup(text);
/** A table cell: markup as it is; any other text escaped, a newline shown as \\n (it cannot split the row). */
const cell = (value: string | Markup) => (value instanceof Markup ? value.text : mdText(value));

export function* renderMarkdown(report: Report): Generator<string> {
  const { summary, database: db, dump } = report;
  const out: string[] = [`## ts-audit ${report.command}`, ''];
  if (db) out.push(`- **Database:** ${mdCode(db.target)} (PostgreSQL ${mdText(db.serverVersion)}), snapshot ${utc(db.snapshotAt)}`);
  const logs = report.details?.logs;
  if (logs)
    out.push(
      `- **Logs:** ${logs.files.map(mdCode).join(', ')}: ${plural(logs.records, 'record')}, ${utc(logs.firstAt)} to ${utc(logs.lastAt)} (written in ${mdText(logs.logTimezone)}), ${plural(logs.restartCount, 'restart')}`,
    );
  if (db && db.naiveColumns.length > 0) out.push(`- **Naive timestamps** read as ${mdText(db.naiveTimestampZone)}: ${db.naiveColumns.map(mdCode).join(', ')}`);
  if (dump) out.push(`- **Dump:** ${mdCode(dump.source)} (${dump.format}, ${plural(dump.stops, 'stop')}, dumped ${utc(dump.dumpedAt)})`);
  const counts = summary.openPositions === null ? [] : [`open positions ${summary.openPositions}`, `stops in DB ${summary.stopsInDb}`];
  if (summary.stopsInMemory !== null) counts.push(`stops in memory ${summary.stopsInMemory}`, `matched ${summary.matched}`);
  if (counts.length > 0) out.push(`- **Counts:** ${counts.join(' · ')}`);
  if (summary.restart) out.push(`- **Restart:** ${mdText(summary.restart.text)}`);
  for (const s of report.skipped) out.push(`- **Not checked:** ${mdCode(s.check)}: ${mdText(s.reason)}`);
  for (const n of report.notes) out.push(`- **Note:** ${mdText(n)}`);
  if (report.details?.burst) out.push(`- **Burst:** ${mdText(report.details.burst.text)}`);
  if (summary.suppressed) out.push(`- **Suppressed:** ${summary.suppressed.baseline} by the baseline, ${summary.suppressed.allowlist} by the allowlist`);
  out.push(
    `- **Findings:** ${SEVERITIES.map((s) => `${summary.bySeverity[s]} ${s}`).join(' · ')}${summary.uncertain ? ` (${summary.uncertain} uncertain)` : ''}`,
    '',
  );
  if (report.findings.length === 0) {
    out.push('No findings.', '');
    yield `${out.join('\n')}\n`;
  } else {
    out.push('| Severity | Check | Exchange | Symbol | Position | Finding |', '|---|---|---|---|---|---|');
    yield `${out.join('\n')}\n`;
    // The rows as they are read: a large run's findings are never all in memory.
    for (const f of report.findings) {
      yield `| ${f.severity} | ${mdCode(f.check)} | ${cell(f.exchange)} | ${cell(f.symbol)} | ${f.positionId ?? ''} | ${cell(f.message)} |\n`;
    }
    yield '\n';
  }
  yield* details(report);
}

const at = (d: Date | null, zone: string) => (d ? DateTime.fromJSDate(d, { zone }).toFormat('yyyy-LL-dd HH:mm:ss') : '-');
const table = (head: string[], rows: (string | Markup)[][]) =>
  `${[`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n')}\n\n`;

/** The per-position tables a command shows on a terminal: the timings of `timestamps`, the outcomes of `restore`, the restarts of `logs`. */
function* details(report: Report): Generator<string> {
  const d = report.details;
  if (!d) return;
  if (d.timestamps) {
    const zone = d.displayTimezone ?? 'UTC';
    const local = zone === 'UTC' ? [] : [`Opened (${zone})`];
    const localRow = zone === 'UTC' ? [] : [`Row created (${zone})`];
    yield '### Position opened vs stop row created\n\n';
    yield table(
      ['Exchange', 'Symbol', 'Position', 'Opened (UTC)', ...local, 'Row created (UTC)', ...localRow, 'Lag'],
      d.timestamps.map((t) => [
        t.exchange,
        t.symbol,
        `#${t.positionId}`,
        at(t.positionOpenedAt, 'UTC'),
        ...(zone === 'UTC' ? [] : [at(t.positionOpenedAt, zone)]),
        t.stopCreatedAt ? at(t.stopCreatedAt, 'UTC') : 'no row',
        ...(zone === 'UTC' ? [] : [at(t.stopCreatedAt, zone)]),
        t.lagSeconds === null ? '-' : `${formatSpan(t.lagSeconds)}${t.late ? ' (late)' : ''}`,
      ]),
    );
    if (d.burst) yield `**Burst:** ${mdText(d.burst.text)}\n\n`;
  }
  if (d.restore) {
    yield '### What a restart would do\n\n';
    const lifecycles = d.restore.some((r) => r.lifecycle);
    yield table(
      ['Exchange', 'Symbol', 'Position', 'On restart', 'Why', ...(lifecycles ? ['Lifecycle on restart'] : [])],
      d.restore.map((r) => [
        r.exchange,
        r.symbol,
        `#${r.positionId}`,
        r.outcome === 'restored' ? r.outcome : markup(`**${mdText(r.outcome)}**`),
        r.reason,
        ...(lifecycles ? [r.lifecycle ?? ''] : []),
      ]),
    );
  }
  if (d.logs) {
    yield '### Restarts\n\n';
    yield d.logs.restarts.length
      ? table(
          ['Restart (UTC)', `As logged (${d.logs.logTimezone})`, 'Restored', 'Created new', 'Failed', 'Timed out', 'Deleted'],
          d.logs.restarts
            .slice(-20)
            .map((r) => [
              at(r.at, 'UTC'),
              r.local,
              String(r.counts.restored),
              String(r.counts.createdNew),
              String(r.counts.failed),
              String(r.counts.timedOut),
              String(r.counts.deleted),
            ]),
        )
      : 'No restart in these logs.\n\n';
  }
}
