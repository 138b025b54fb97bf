import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { Finding } from '../checks/types.js';
import { SEVERITIES, type Severity } from '../severity.js';
import type { RenderOptions } from './index.js';
import type { Report } from './types.js';

const utc = (d: Date | null): string => (d ? `${d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')} UTC` : 'unknown');

function paint(c: ChalkInstance, severity: Severity, text: string): string {
  switch (severity) {
    case 'critical':
      return c.bold.red(text);
    case 'high':
      return c.red(text);
    case 'medium':
      return c.yellow(text);
    case 'low':
      return c.cyan(text);
    default:
      return c.dim(text);
  }
}

/** The finding's message plus, for drift, each differing field on its own line. */
function detail(f: Finding): string {
  const lines = [f.message];
  const fields = f.evidence.fields as { field: string; memory: unknown; db: unknown }[] | undefined;
  for (const d of fields ?? []) lines.push(`  ${d.field}: memory ${String(d.memory)}, db ${String(d.db)}`);
  const loses = f.evidence.restartLoses as Record<string, string> | undefined;
  if (loses) lines.push(`  a restart loses: ${Object.entries(loses).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  return lines.join('\n');
}

export function renderTable(report: Report, options: RenderOptions): string {
  const c = new Chalk({ level: options.colorLevel });
  const { database: db, dump, summary } = report;
  const out: string[] = [];
  out.push(`${c.bold(`ts-audit ${report.command}`)} · ${db.target} (PostgreSQL ${db.serverVersion})`);
  const dumpText = dump
    ? ` · dump ${dump.source} (${dump.format}, ${dump.stops} stop${dump.stops === 1 ? '' : 's'}, dumped ${dump.dumpedAt ? utc(dump.dumpedAt) : 'at an unknown time'})`
    : '';
  out.push(`snapshot ${utc(db.snapshotAt)}${dumpText}`);
  if (db.naiveColumns.length > 0) out.push(c.dim(`naive timestamps read as ${db.naiveTimestampZone}: ${db.naiveColumns.join(', ')}`));
  out.push('');

  if (report.findings.length === 0) {
    out.push(c.green('No findings.'));
  } else {
    const fixed = 10 + 19 + 10 + 16 + 6;
    const messageWidth = options.width ? Math.max(30, options.width - fixed) : undefined;
    const table = new Table({
      head: ['severity', 'check', 'exchange', 'symbol', 'finding'].map((h) => c.bold(h)),
      style: { head: [], border: [] },
      wordWrap: true,
      ...(messageWidth ? { colWidths: [10, 19, 10, 16, messageWidth] } : {}),
    });
    for (const f of report.findings) {
      table.push([paint(c, f.severity, f.severity.toUpperCase()), f.check, f.exchange, f.symbol, detail(f)]);
    }
    out.push(table.toString());
  }

  out.push('');
  out.push(
    `Open positions ${summary.openPositions} · stops in DB ${summary.stopsInDb} · stops in memory ${summary.stopsInMemory} · matched ${summary.matched}`,
  );
  const restart = `Restart: ${summary.restart.text}`;
  out.push(summary.restart.withRow < summary.restart.inMemory ? c.bold.red(restart) : c.green(restart));
  out.push(`Findings: ${SEVERITIES.map((s) => paint(c, s, `${summary.bySeverity[s]} ${s}`)).join(' · ')}`);
  return `${out.join('\n')}\n`;
}
