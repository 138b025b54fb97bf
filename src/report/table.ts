import { Chalk, type ChalkInstance } from 'chalk';
import { DateTime } from 'luxon';
import { formatSpan } from '../duration.js';
import type { Finding } from '../checks/types.js';
import { SEVERITIES, type Severity } from '../severity.js';
import type { RenderOptions, Report, RestoreDetail, TimestampDetail } from './types.js';
import { PairIndex } from '../dump/key-index.js';
import { groupDigits, plural } from './words.js';
import { cut, visible, visibleLines } from './escape.js';
import { FindingStore, type Findings, SPILL_AT, compareFindings } from './findings.js';
import { type Column, MAX_NAME, fit, layout, length, wrap } from './layout.js';
import { utcText as utc } from '../time.js';



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

/** The width a table may take: --width, else the terminal's, else COLUMNS, else 80 (see emit). */
const widthOf = (options: RenderOptions) => Math.max(40, options.width ?? 80);


interface Group {
  exchange: string;
  symbol: string;
  positionId: number | null;
  findings: Finding[];
  /** Findings of this position beyond --max-rows. */
  hidden: number;
}

/**
 * The findings grouped per (exchange, symbol), worst group first, at most `limit` rows. Findings come
 * sorted by severity, then exchange and symbol, so groups first appear in the order they are shown.
 * Pass one numbers the groups and counts their findings; pass two keeps the rows that will be shown.
 * Without a limit on a run too large to hold, the findings are re-sorted by group on disk instead.
 */
function* grouped(findings: Findings, limit: number): Generator<Group> {
  const ordinals = new PairIndex();
  let counts = new Int32Array(1024);
  for (const f of findings) {
    let o = ordinals.get(f.exchange, f.symbol);
    if (o === undefined) {
      o = ordinals.size;
      ordinals.set(f.exchange, f.symbol, o);
      if (o >= counts.length) {
        const bigger = new Int32Array(counts.length * 2);
        bigger.set(counts);
        counts = bigger;
      }
    }
    counts[o] = (counts[o] as number) + 1;
  }
  // The groups that will be shown: whole groups until the limit, the last one perhaps in part.
  let shownGroups = 0;
  for (let rows = 0; shownGroups < ordinals.size && rows < limit; shownGroups += 1) rows += counts[shownGroups] as number;
  const ordinalOf = (f: Finding) => ordinals.get(f.exchange, f.symbol) as number;
  let source: Iterable<Finding> = findings;
  if (limit === Number.POSITIVE_INFINITY && findings.length > SPILL_AT) {
    const byGroup = new FindingStore(SPILL_AT, (f) => f, (a, b) => ordinalOf(a) - ordinalOf(b) || compareFindings(a, b));
    for (const f of findings) byGroup.add(f);
    source = byGroup.finish();
    let current: Group | undefined;
    for (const f of source) {
      if (current && (current.exchange !== f.exchange || current.symbol !== f.symbol)) {
        yield current;
        current = undefined;
      }
      current ??= { exchange: f.exchange, symbol: f.symbol, positionId: f.positionId, findings: [], hidden: 0 };
      current.findings.push(f);
      current.positionId ??= f.positionId;
    }
    if (current) yield current;
    byGroup.release();
    return;
  }
  const groups: Group[] = [];
  let kept = 0;
  for (const f of source) {
    const o = ordinalOf(f);
    if (o >= shownGroups) continue;
    const g = (groups[o] ??= { exchange: f.exchange, symbol: f.symbol, positionId: f.positionId, findings: [], hidden: 0 });
    g.positionId ??= f.positionId;
    if (kept < limit) {
      g.findings.push(f);
      kept += 1;
    } else g.hidden += 1;
  }
  yield* groups;
}

export function* renderTable(report: Report, options: RenderOptions): Generator<string> {
  const c = new Chalk({ level: options.colorLevel });
  const width = widthOf(options);
  const { database: db, dump, summary } = report;
  const out: string[] = [];
  const push = (...lines: string[]) => out.push(...lines);
  const dumpText = dump
    ? `dump ${dump.source} (${dump.format}, ${plural(dump.stops, 'stop')}, dumped ${dump.dumpedAt ? utc(dump.dumpedAt) : 'at an unknown time'})`
    : '';
  const logs = report.details?.logs;
  if (!options.quiet) {
    if (db) {
      // The target whole (a URL is copied from here, never broken): beside the command when it fits,
      // else on a line of its own.
      const head = `ts-audit ${report.command} · ${visible(db.target)}`;
      if (length(head) <= width) push(c.bold(head));
      else push(c.bold(`ts-audit ${report.command}`), visible(db.target));
      push(...fit(`PostgreSQL ${db.serverVersion} · snapshot ${utc(db.snapshotAt)}${dumpText ? ` · ${dumpText}` : ''}`, width));
    } else {
      push(c.bold(`ts-audit ${report.command}`));
      if (logs) push(...fit(`${logs.files.join(', ')}: ${plural(logs.records, 'record')}, ${utc(logs.firstAt)} to ${utc(logs.lastAt)} (written in ${logs.logTimezone})`, width));
    }
    if (db && db.naiveColumns.length > 0) push(...fit(`naive timestamps read as ${db.naiveTimestampZone}: ${db.naiveColumns.join(', ')}`, width, (l) => c.dim(l)));
    push('');
  }
  yield* flush(out);

  if (!options.quiet) {
    if (report.findings.length === 0) {
      push(c.green('No findings.'));
    } else {
      // Findings come sorted worst first: past --max-rows the table keeps the worst, says what it left out.
      const limit = options.maxRows === undefined || options.maxRows <= 0 ? Number.POSITIVE_INFINITY : options.maxRows;
      const shown = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
      let rows = 0;
      // One width for the check column of every group, so that the groups line up.
      let checkWidth = 0;
      for (const id of Object.keys(summary.byCheck)) checkWidth = Math.max(checkWidth, id.length);
      const columns: Column<Finding>[] = [
        { header: 'severity', cell: (f) => f.severity.toUpperCase(), minWidth: 8, paint: (t, f) => paint(c, f.severity, t) },
        { header: 'check', cell: (f) => f.check, minWidth: checkWidth },
        { header: 'finding', cell: detail, flex: true },
      ];
      for (const g of grouped(report.findings, limit)) {
        const worst = g.findings[0]?.severity ?? 'info';
        const checks = [...new Set(g.findings.map((f) => f.check))].join(', ');
        const name = `${cut(visible(g.exchange), MAX_NAME)}/${cut(visible(g.symbol), MAX_NAME)}`;
        // The group's line: the worst severity, the position, its checks (wrapped under the name).
        const rest = `${name}${g.positionId !== null ? ` (position #${g.positionId})` : ''}: ${checks}`;
        wrap(rest, width - 10).forEach((l, i) => push(i === 0 ? `${paint(c, worst, worst.toUpperCase().padEnd(8))}  ${c.bold(l)}` : `${' '.repeat(10)}${l}`));
        if (g.findings.length === 1 && g.hidden === 0) {
          // One finding: its message under the line, not a one-row table repeating the line.
          push(...wrap(visibleLines(detail(g.findings[0] as Finding)), width - 10).map((l) => `${' '.repeat(10)}${l}`));
        } else {
          const table = layout(columns, g.findings, width - 2, { header: false });
          push(...table.lines.map((l) => `  ${l}`));
        }
        if (g.hidden > 0) push(c.dim(`  … ${plural(g.hidden, 'more finding')} of this position past --max-rows`));
        for (const f of g.findings) shown[f.severity] += 1;
        rows += g.findings.length;
        push('');
        if (out.length >= 500) yield* flush(out);
      }
      // What was left out, from the summary's counts: the rest is never held.
      const left = report.findings.length - rows;
      if (left > 0) {
        const bySeverity = SEVERITIES.map((s) => [s, summary.bySeverity[s] - shown[s]] as const).filter(([, n]) => n > 0);
        push(
          ...fit(
            `… ${plural(left, 'more finding')} not shown (${bySeverity.map(([s, n]) => `${n} ${s}`).join(', ')}): ` +
              '--max-rows 0 shows every one, --format json or ndjson gives them all to a program',
            width,
            (l) => c.bold(l),
          ),
        );
      }
    }
    push(...renderDetails(report, c, width));
    if (out.at(-1) !== '') push('');
  }
  const memoryPart = summary.stopsInMemory === null ? '' : ` · stops in memory ${summary.stopsInMemory} · matched ${summary.matched}`;
  if (summary.openPositions !== null) push(...fit(`Open positions ${summary.openPositions} · stops in DB ${summary.stopsInDb}${memoryPart}`, width));
  if (summary.restart) {
    const restart = `Restart: ${summary.restart.text}`;
    push(...fit(restart, width, (l) => (summary.restart && summary.restart.restored < summary.restart.openPositions ? c.bold.red(l) : c.green(l))));
  }
  // Checks skipped for the same reason (the lifecycle checks on a bot without lifecycles) share a line.
  const byReason = new Map<string, string[]>();
  for (const s of report.skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s.check]);
  for (const [reason, checks] of byReason) push(...fit(`Not checked: ${checks.join(', ')}: ${reason}`, width, (l) => c.yellow(l)));
  for (const n of report.notes) push(...fit(`Note: ${n}`, width, (l) => c.dim(l)));
  if (summary.suppressed) push(...fit(`Suppressed: ${summary.suppressed.baseline} by the baseline, ${summary.suppressed.allowlist} by the allowlist`, width, (l) => c.dim(l)));
  if (report.details?.burst) push(...fit(`Burst: ${report.details.burst.text}`, width, (l) => c.bold.yellow(l)));
  const total = report.findings.length;
  const where = total > 0 && summary.positions !== undefined ? ` on ${plural(summary.positions, 'position')}` : '';
  const count = (s: Severity) => `${groupDigits(summary.bySeverity[s])} ${s}`;
  const counts = (colour: boolean) => SEVERITIES.map((s) => (colour ? paint(c, s, count(s)) : count(s))).join(' · ');
  const doubtful = summary.uncertain ? ` (${groupDigits(summary.uncertain)} uncertain)` : '';
  const headline = `${plural(total, 'finding')}${where}${doubtful}:`;
  // The headline: one line when it fits, the counts on their own line when not.
  if (length(`${headline} ${counts(false)}`) <= width) push(`${c.bold(headline)} ${counts(true)}`);
  else push(c.bold(headline), `  ${counts(true)}`);
  yield* flush(out);
}

/** The lines gathered so far, as one chunk; the array is emptied. */
function* flush(lines: string[]): Generator<string> {
  if (lines.length === 0) return;
  yield `${lines.join('\n')}\n`;
  lines.length = 0;
}

function inZone(d: Date | null, zone: string): string {
  return d ? DateTime.fromJSDate(d, { zone }).toFormat('yyyy-LL-dd HH:mm:ss') : '-';
}

/** The per-position tables of `timestamps`, `restore` and `logs`, fitted to the width. */
function renderDetails(report: Report, c: ChalkInstance, width: number): string[] {
  const details = report.details;
  if (!details) return [];
  const out: string[] = [];
  const bold = (s: string) => c.bold(s);
  const note = (dropped: string[]) => (dropped.length ? fit(`(${dropped.join(', ')} left out to fit ${width} columns: --width shows more)`, width, (l) => c.dim(l)) : []);
  if (details.timestamps) {
    const zone = details.displayTimezone ?? 'UTC';
    const other = zone !== 'UTC';
    const columns: Column<TimestampDetail>[] = [
      { header: 'exchange', cell: (t) => t.exchange, max: MAX_NAME },
      { header: 'symbol', cell: (t) => t.symbol, max: MAX_NAME },
      { header: 'opened (UTC)', cell: (t) => inZone(t.positionOpenedAt, 'UTC'), ...(other ? { drop: 1 } : {}) },
      ...(other ? [{ header: `opened (${zone})`, cell: (t: TimestampDetail) => inZone(t.positionOpenedAt, zone) }] : []),
      { header: 'row created (UTC)', cell: (t) => inZone(t.stopCreatedAt, 'UTC'), ...(other ? { drop: 2 } : {}) },
      ...(other ? [{ header: `row created (${zone})`, cell: (t: TimestampDetail) => inZone(t.stopCreatedAt, zone) }] : []),
      {
        header: 'lag',
        cell: (t) => (t.lagSeconds === null ? 'no row' : formatSpan(t.lagSeconds)),
        right: true,
        paint: (text, t) => (t.lagSeconds === null ? c.red(text) : t.late ? c.yellow(text) : text),
      },
    ];
    const table = layout(columns, details.timestamps, width, { bold });
    out.push('', c.bold('Position opened vs stop row created'), ...table.lines, ...note(table.dropped));
  }
  if (details.logs) {
    type R = (typeof details.logs.restarts)[number];
    const lost = (r: R) => r.counts.createdNew + r.counts.failed + r.counts.timedOut + r.counts.deleted;
    const columns: Column<R>[] = [
      { header: 'restart (UTC)', cell: (r) => utc(r.at) },
      { header: `as logged (${details.logs.logTimezone})`, cell: (r) => r.local, drop: 1 },
      { header: 'restored', cell: (r) => String(r.counts.restored), right: true },
      { header: 'created new', cell: (r) => String(r.counts.createdNew), right: true, paint: (t, r) => (lost(r) ? c.red(t) : t) },
      { header: 'failed', cell: (r) => String(r.counts.failed), right: true },
      { header: 'timed out', cell: (r) => String(r.counts.timedOut), right: true },
      { header: 'deleted', cell: (r) => String(r.counts.deleted), right: true },
    ];
    const more = details.logs.restartCount > 20 ? ` (the last 20 of ${details.logs.restartCount})` : '';
    const table = layout(columns, details.logs.restarts.slice(-20), width, { bold });
    out.push('', c.bold(`Restarts${more}`), ...(details.logs.restarts.length ? [...table.lines, ...note(table.dropped)] : ['none in these logs']));
    for (const m of details.logs.memory) {
      out.push(...fit(`In memory on ${m.exchange} at ${utc(m.at)}: ${plural(m.symbols.length, 'stop')} (${m.symbols.join(', ')})`, width));
    }
  }
  if (details.restore) {
    const columns: Column<RestoreDetail>[] = [
      { header: 'exchange', cell: (r) => r.exchange, max: MAX_NAME },
      { header: 'symbol', cell: (r) => r.symbol, max: MAX_NAME },
      { header: 'position', cell: (r) => `#${r.positionId}`, right: true },
      { header: 'on restart', cell: (r) => r.outcome, paint: (t, r) => (r.outcome === 'restored' ? c.green(t) : c.red(t)) },
      // With the current bot's signal lifecycles (its real exit), what a restart does to each shares the wrapping column.
      details.restore.some((r) => r.lifecycle)
        ? { header: 'why; lifecycle on restart', cell: (r) => `${r.reason}; lifecycle: ${r.lifecycle ?? 'none (not judged)'}`, flex: true }
        : { header: 'why', cell: (r) => r.reason, flex: true },
    ];
    out.push('', c.bold('What a restart would do'), ...layout(columns, details.restore, width, { bold }).lines);
  }
  return out;
}
