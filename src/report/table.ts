import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { DateTime } from 'luxon';
import { formatSpan } from '../duration.js';
import type { Finding } from '../checks/types.js';
import { SEVERITIES, type Severity } from '../severity.js';
import type { RenderOptions, Report } from './types.js';
import { utcText as utc } from '../time.js';


/** A findings table longer than this is drawn in chunks of it (see renderTable). */
const TABLE_CHUNK = 500;

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

export function* renderTable(report: Report, options: RenderOptions): Generator<string> {
  const c = new Chalk({ level: options.colorLevel });
  const { database: db, dump, summary } = report;
  const out: string[] = [];
  const dumpText = dump
    ? `dump ${dump.source} (${dump.format}, ${dump.stops} stop${dump.stops === 1 ? '' : 's'}, dumped ${dump.dumpedAt ? utc(dump.dumpedAt) : 'at an unknown time'})`
    : '';
  const logs = report.details?.logs;
  if (db) {
    out.push(`${c.bold(`ts-audit ${report.command}`)} · ${db.target} (PostgreSQL ${db.serverVersion})`);
    out.push(`snapshot ${utc(db.snapshotAt)}${dumpText ? ` · ${dumpText}` : ''}`);
  } else {
    out.push(c.bold(`ts-audit ${report.command}`));
    if (logs) out.push(`${logs.files.join(', ')}: ${logs.records} records, ${utc(logs.firstAt)} to ${utc(logs.lastAt)} (written in ${logs.logTimezone})`);
  }
  if (db && db.naiveColumns.length > 0) out.push(c.dim(`naive timestamps read as ${db.naiveTimestampZone}: ${db.naiveColumns.join(', ')}`));
  out.push('');

  if (report.findings.length === 0) {
    out.push(c.green('No findings.'));
  } else {
    const fixed = 10 + 19 + 10 + 16 + 6;
    const messageWidth = options.width ? Math.max(30, options.width - fixed) : undefined;
    const head = ['severity', 'check', 'exchange', 'symbol', 'finding'];
    // Findings come sorted worst first: past --max-rows the table keeps the worst, says what it left out.
    const limit = options.maxRows === undefined || options.maxRows <= 0 ? report.findings.length : options.maxRows;
    const shown = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
    const cells = (f: Finding) => [f.severity.toUpperCase(), f.check, f.exchange, f.symbol, detail(f)];
    let colWidths: number[] | undefined = messageWidth ? [10, 19, 10, 16, messageWidth] : undefined;
    const chunked = Math.min(limit, report.findings.length) > TABLE_CHUNK;
    if (chunked && !colWidths) {
      // cli-table3 lays out a whole table at once, in more than linear time (50k rows: 5 minutes).
      // A long table is drawn in chunks with the widths one table would have had: one pass for them.
      const widths = head.map((h) => h.length);
      let n = 0;
      for (const f of report.findings) {
        if (n++ === limit) break;
        cells(f).forEach((text, i) => {
          for (const line of text.split('\n')) widths[i] = Math.max(widths[i] as number, line.length);
        });
      }
      colWidths = widths.map((w) => w + 2);
    }
    const newTable = (withHead: boolean) =>
      new Table({
        ...(withHead ? { head: head.map((h) => c.bold(h)) } : {}),
        style: { head: [], border: [] },
        wordWrap: true,
        ...(colWidths ? { colWidths } : {}),
      });
    let table = newTable(true);
    let inTable = 0;
    let chunk = 0;
    const flush = () => {
      const lines = table.toString().split('\n');
      // Chunks join as rows of one table: a later chunk's top border becomes a row separator.
      if (chunk > 0) lines[0] = (lines[0] as string).replace('┌', '├').replaceAll('┬', '┼').replace('┐', '┤');
      chunks.push(lines);
      chunk += 1;
    };
    const chunks: string[][] = [];
    let rows = 0;
    for (const f of report.findings) {
      if (rows === limit) break;
      const [severity, ...rest] = cells(f);
      table.push([paint(c, f.severity, severity as string), ...rest]);
      shown[f.severity] += 1;
      rows += 1;
      if (++inTable === TABLE_CHUNK) {
        flush();
        table = newTable(false);
        inTable = 0;
      }
    }
    if (inTable > 0 || chunk === 0) flush();
    // Every chunk but the last ends without its bottom border.
    out.push(chunks.map((lines, i) => (i < chunks.length - 1 ? lines.slice(0, -1) : lines).join('\n')).join('\n'));
    // What was left out, from the summary's counts: the rest is never read.
    const left = report.findings.length - rows;
    if (left > 0) {
      const bySeverity = SEVERITIES.map((s) => [s, summary.bySeverity[s] - shown[s]] as const).filter(([, n]) => n > 0);
      out.push(
        c.bold(`… ${left} more finding${left === 1 ? '' : 's'} not shown (${bySeverity.map(([s, n]) => `${n} ${s}`).join(', ')}): ` +
          '--max-rows 0 shows every one, --format json or ndjson gives them all to a program'),
      );
    }
  }

  out.push(...renderDetails(report, c));
  out.push('');
  const memoryPart = summary.stopsInMemory === null ? '' : ` · stops in memory ${summary.stopsInMemory} · matched ${summary.matched}`;
  if (summary.openPositions !== null) out.push(`Open positions ${summary.openPositions} · stops in DB ${summary.stopsInDb}${memoryPart}`);
  if (summary.restart) {
    const restart = `Restart: ${summary.restart.text}`;
    out.push(summary.restart.restored < summary.restart.openPositions ? c.bold.red(restart) : c.green(restart));
  }
  for (const s of report.skipped) out.push(c.yellow(`Not checked: ${s.check}: ${s.reason}`));
  for (const n of report.notes) out.push(c.dim(`Note: ${n}`));
  if (summary.suppressed) {
    out.push(c.dim(`Suppressed: ${summary.suppressed.baseline} by the baseline, ${summary.suppressed.allowlist} by the allowlist`));
  }
  if (report.details?.burst) out.push(c.bold.yellow(`Burst: ${report.details.burst.text}`));
  out.push(`Findings: ${SEVERITIES.map((s) => paint(c, s, `${summary.bySeverity[s]} ${s}`)).join(' · ')}`);
  yield `${out.join('\n')}\n`;
}

function inZone(d: Date | null, zone: string): string {
  return d ? DateTime.fromJSDate(d, { zone }).toFormat('yyyy-LL-dd HH:mm:ss') : '-';
}

/** The per-position tables of `timestamps` and `restore`. */
function renderDetails(report: Report, c: ChalkInstance): string[] {
  const details = report.details;
  if (!details) return [];
  const out: string[] = [];
  if (details.timestamps) {
    const zone = details.displayTimezone ?? 'UTC';
    const table = new Table({
      head: ['exchange', 'symbol', 'position opened (UTC)', `(${zone})`, 'stop created (UTC)', `(${zone})`, 'lag'].map((h) => c.bold(h)),
      style: { head: [], border: [] },
    });
    for (const t of details.timestamps) {
      const lag = t.lagSeconds === null ? c.red('no row') : t.late ? c.yellow(formatSpan(t.lagSeconds)) : formatSpan(t.lagSeconds);
      table.push([t.exchange, t.symbol, inZone(t.positionOpenedAt, 'UTC'), inZone(t.positionOpenedAt, zone), inZone(t.stopCreatedAt, 'UTC'), inZone(t.stopCreatedAt, zone), lag]);
    }
    out.push('', c.bold('Position opened vs stop row created'), table.toString());
  }
  if (details.logs) {
    const table = new Table({
      head: ['restart (UTC)', `(${details.logs.logTimezone}, as logged)`, 'restored', 'created new', 'failed', 'timed out', 'deleted'].map((h) => c.bold(h)),
      style: { head: [], border: [] },
    });
    for (const r of details.logs.restarts.slice(-20)) {
      const lost = r.counts.createdNew + r.counts.failed + r.counts.timedOut + r.counts.deleted;
      table.push([utc(r.at), r.local, String(r.counts.restored), lost ? c.red(String(r.counts.createdNew)) : '0', String(r.counts.failed), String(r.counts.timedOut), String(r.counts.deleted)]);
    }
    const more = details.logs.restartCount > 20 ? ` (the last 20 of ${details.logs.restartCount})` : '';
    out.push('', c.bold(`Restarts${more}`), details.logs.restarts.length ? table.toString() : 'none in these logs');
    for (const m of details.logs.memory) out.push(`In memory on ${m.exchange} at ${utc(m.at)}: ${m.symbols.length} stops (${m.symbols.join(', ')})`);
  }
  if (details.restore) {
    const table = new Table({ head: ['exchange', 'symbol', 'position', 'on restart', 'why'].map((h) => c.bold(h)), style: { head: [], border: [] } });
    for (const r of details.restore) {
      const outcome = r.outcome === 'restored' ? c.green(r.outcome) : c.red(r.outcome);
      table.push([r.exchange, r.symbol, `#${r.positionId}`, outcome, r.reason]);
    }
    out.push('', c.bold('What a restart would do'), table.toString());
  }
  return out;
}
