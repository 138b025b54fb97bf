import { Chalk, type ChalkInstance } from 'chalk';
import { DateTime } from 'luxon';
import { formatSpan } from '../duration.js';
import type { Finding } from '../checks/types.js';
import { type FailOn, SEVERITIES, type Severity, atOrAbove } from '../severity.js';
import { detailsOf, findCheck, hasFact, identityKey } from '../checks/index.js';
import { causeOf } from './problems.js';
import { rescueMemory } from '../words.js';
import type { RenderOptions, Report, RestoreDetail, TimestampDetail } from './types.js';
import { PairIndex } from '../key-index.js';
import { groupDigits, plural } from '../words.js';
import { visible, visibleLines } from './escape.js';
import { cutTo } from './width.js';
import { FindingStore, type Findings, SPILL_AT, compareFindings } from './findings.js';
import { detailTable } from './detail-table.js';
import { type Column, MAX_NAME, fit, layout, length, wrap } from './layout.js';
import { utcText as utc } from '../time.js';
import { pushAll } from '../arrays.js';

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

/**
 * The finding's message plus, indented on lines of their own, what its check shows of its evidence
 * (each differing field, what a restart loses): each line one line, whatever its values hold.
 */
function detail(f: Finding): string {
  return [f.message, ...detailsOf(f).map((line) => `  ${visible(line)}`)].join('\n');
}

/** One problem of a position: the finding that names it, the severity of its worst, and its consequences. */
interface Problem {
  name: string;
  severity: Severity;
  root: Finding;
  consequences: string[];
}

/**
 * A position's findings as problems (src/report/problems.ts tags each finding with its own), worst
 * first: findings come sorted worst first, so a problem's first finding is its worst.
 */
function problemsOf(findings: Finding[]): Problem[] {
  // Findings of a shared root cause by the problem they belong to; any other finding is its own.
  const byName = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = causeOf(f) ? `\u0000${f.problem ?? f.check}` : identityKey(f);
    byName.set(key, [...(byName.get(key) ?? []), f]);
  }
  return [...byName.values()].map((all) => {
    const name = (all[0] as Finding).problem ?? (all[0] as Finding).check;
    const root = all.find((f) => f.check === name) ?? (all[0] as Finding);
    const consequences = [...new Set(all.filter((f) => f.check !== name).map((f) => f.check))];
    return { name, severity: (all[0] as Finding).severity, root, consequences };
  });
}

/** The problem's finding and, on a line of their own, the other checks that report it. */
function problemText(p: Problem): string {
  return `${detail(p.root)}${p.consequences.length ? `\n${CONSEQUENCES}${p.consequences.join(', ')}` : ''}`;
}
const CONSEQUENCES = 'consequences: ';

/** restore's positions (its table), each with the findings shown in its row. */
function restoreTable(report: Report): Map<string, Finding[]> | undefined {
  const rows = report.details?.restore;
  return rows ? new Map(rows.map((r) => [`${r.exchange}\u0000${r.symbol}`, []])) : undefined;
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
    const byGroup = new FindingStore(
      SPILL_AT,
      (f) => f,
      (a, b) => ordinalOf(a) - ordinalOf(b) || compareFindings(a, b),
    );
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
      if (logs)
        push(
          ...fit(
            `${logs.files.join(', ')}: ${plural(logs.records, 'record')}, ${utc(logs.firstAt)} to ${utc(logs.lastAt)} (written in ${logs.logTimezone})`,
            width,
          ),
        );
    }
    if (db && db.naiveColumns.length > 0)
      push(...fit(`naive timestamps read as ${db.naiveTimestampZone}: ${db.naiveColumns.join(', ')}`, width, (l) => c.dim(l)));
    push('');
  }
  yield* flush(out);

  let inTable: Map<string, Finding[]> | undefined;
  if (!options.quiet) {
    if (report.findings.length === 0) {
      // Never "No findings" above a table of positions that have no row to judge.
      push(noRowText(report) ? c.yellow('No late rows.') : c.green('No findings.'));
    } else {
      // Findings come sorted worst first: past --max-rows the table keeps the worst, says what it left out.
      const limit = options.maxRows === undefined || options.maxRows <= 0 ? Number.POSITIVE_INFINITY : options.maxRows;
      const shown = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
      let rows = 0;
      // One width for the check column of every group, so that the groups line up.
      let checkWidth = 0;
      for (const id of Object.keys(summary.byCheck)) checkWidth = Math.max(checkWidth, id.length);
      const columns: Column<Problem>[] = [
        { header: 'severity', cell: (p) => p.severity.toUpperCase(), minWidth: 8, paint: (t, p) => paint(c, p.severity, t) },
        { header: 'check', cell: (p) => p.name, minWidth: checkWidth },
        { header: 'finding', cell: problemText, flex: true },
      ];
      // restore's own table lists each of its positions once, with the severity of its findings: they
      // are shown there, not again above it.
      inTable = restoreTable(report);
      for (const g of grouped(report.findings, limit)) {
        const folded = inTable?.get(`${g.exchange}\u0000${g.symbol}`);
        if (folded) {
          pushAll(folded, g.findings);
          rows += g.findings.length;
          for (const f of g.findings) shown[f.severity] += 1;
          continue;
        }
        const problems = problemsOf(g.findings);
        const worst = problems[0]?.severity ?? 'info';
        const names = problems.map((p) => p.name).join(', ');
        const name = `${cutTo(visible(g.exchange), MAX_NAME)}/${cutTo(visible(g.symbol), MAX_NAME)}`;
        // The group's line: the worst severity, the position, its problems (wrapped under the name).
        const rest = `${name}${g.positionId !== null ? ` (position #${g.positionId})` : ''}: ${names}`;
        wrap(rest, width - 10).forEach((l, i) => push(i === 0 ? `${paint(c, worst, worst.toUpperCase().padEnd(8))}  ${c.bold(l)}` : `${' '.repeat(10)}${l}`));
        if (problems.length === 1 && g.hidden === 0) {
          // One problem: its message under the line, not a one-row table repeating the line.
          pushAll(
            out,
            wrap(visibleLines(problemText(problems[0] as Problem)), width - 10).map((l) => `${' '.repeat(10)}${l}`),
          );
        } else {
          const table = layout(columns, problems, width - 2, { header: false });
          pushAll(
            out,
            table.lines.map((l) => `  ${l}`),
          );
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
    const details = renderDetails(report, c, width, inTable);
    // Flushed lines end with a blank one.
    pushAll(out, (out.length === 0 || out.at(-1) === '') && details[0] === '' ? details.slice(1) : details);
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
  if (summary.suppressed)
    push(...fit(`Suppressed: ${summary.suppressed.baseline} by the baseline, ${summary.suppressed.allowlist} by the allowlist`, width, (l) => c.dim(l)));
  const noRow = noRowText(report);
  if (noRow) push(...fit(noRow, width, (l) => c.bold.yellow(l)));
  if (report.details?.burst) push(...fit(`Burst: ${report.details.burst.text}`, width, (l) => c.bold.yellow(l)));
  const total = report.findings.length;
  // The headline counts problems (a root cause on one position, said once) and the positions they are
  // on; the findings, when more, in brackets. Severities are the problems' (each its worst finding's).
  const problems = summary.problems ?? { total, bySeverity: summary.bySeverity };
  const where = total > 0 && summary.positions !== undefined ? ` on ${plural(summary.positions, 'position')}` : '';
  const hits = total !== problems.total ? ` (${plural(total, 'finding')})` : '';
  const count = (s: Severity) => `${groupDigits(problems.bySeverity[s])} ${s}`;
  const counts = (colour: boolean) => SEVERITIES.map((s) => (colour ? paint(c, s, count(s)) : count(s))).join(' · ');
  const doubtful = summary.uncertain ? ` (${groupDigits(summary.uncertain)} uncertain)` : '';
  const headline = `${plural(problems.total, 'problem')}${where}${hits}${doubtful}:`;
  // The headline: one line when it fits, the counts on their own line when not.
  // At a narrow width the headline wraps and the counts go two spaces in, as many to a line as fit.
  if (length(`${headline} ${counts(false)}`) <= width) push(`${c.bold(headline)} ${counts(true)}`);
  else {
    push(...fit(headline, width, (l) => c.bold(l)));
    let plain = '';
    let line = '';
    for (const s of SEVERITIES) {
      if (plain && length(`  ${plain} · ${count(s)}`) > width) {
        push(`  ${line}`);
        plain = line = '';
      }
      plain += `${plain ? ' · ' : ''}${count(s)}`;
      line += `${line ? ' · ' : ''}${paint(c, s, count(s))}`;
    }
    push(`  ${line}`);
  }
  const next = nextStep(report, options.failOn);
  if (next) push(...fit(`Next: ${next}`, width, (l) => c.bold(l)));
  yield* flush(out);
}

/** timestamps: the open positions it cannot judge, having no row ("13 open positions have no row"). */
function noRowText(report: Report): string | undefined {
  const n = report.details?.timestamps?.filter((t) => t.stopCreatedAt === null).length ?? 0;
  if (n === 0) return undefined;
  const them = n === 1 ? 'it' : 'them';
  return `${plural(n, 'open position')} ${n === 1 ? 'has' : 'have'} no row, so no lag to judge: ts-audit orphans reports ${them}, ts-audit diff --from-events (or --dump) tells whether memory holds ${n === 1 ? 'its stop' : 'their stops'}`;
}

/**
 * The one command that repairs or explains the problems at or above --fail-on: `rescue` when the
 * check naming one of them says what rescue writes for it (the registry's `rescue`), else `explain`
 * of the worst one. Findings come worst first, so the reading stops at the first below --fail-on.
 */
export function nextStep(report: Report, failOn: FailOn): string | undefined {
  const names = new Set<string>();
  for (const f of report.findings) {
    if (!atOrAbove(f.severity, failOn)) break;
    names.add(f.problem ?? f.check);
  }
  if (names.size === 0) return undefined;
  const checks = [...names].map((n) => findCheck(n)).filter((x): x is NonNullable<typeof x> => x !== undefined);
  const repairable = checks.filter((x) => x.rescue);
  const others = checks.filter((x) => !x.rescue).map((x) => x.id);
  const explain = others.length ? `ts-audit explain ${others[0]}${others.length > 1 ? ` (also: ${others.slice(1).join(', ')})` : ''}` : '';
  if (repairable.length === 0) return `${explain}: what it means and how to repair it`;
  const memory = rescueMemory(report.dump);
  const stale = repairable.some((x) => x.rescue === 'delete-stale' || x.rescue === 'delete-orphan') ? ' --delete-stale' : '';
  return `ts-audit rescue ${memory}${stale} -o rescue.sql, review and apply it, then ts-audit restore${explain ? `; ${explain}` : ''}`;
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

/**
 * The per-position tables of `timestamps`, `restore` and `logs`, fitted to the width. The logs' restarts
 * (20 at most) are drawn by cli-table3 (detail-table.ts); timestamps and restore have a row per open
 * position, at which cli-table3 is too slow (bench/README.md, Tables), so layout.ts draws them.
 */
function renderDetails(report: Report, c: ChalkInstance, width: number, restoreFindings?: Map<string, Finding[]>): string[] {
  const details = report.details;
  if (!details) return [];
  const out: string[] = [];
  const bold = (s: string) => c.bold(s);
  const note = (dropped: string[]) =>
    dropped.length ? fit(`(${dropped.join(', ')} left out to fit ${width} columns: --width shows more)`, width, (l) => c.dim(l)) : [];
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
    out.push('', c.bold('Position opened vs stop row created'));
    pushAll(out, table.lines);
    pushAll(out, note(table.dropped));
  }
  if (details.logs) {
    type R = (typeof details.logs.restarts)[number];
    const lost = (r: R) => r.counts.createdNew + r.counts.failed + r.counts.timedOut + r.counts.deleted;
    const columns: Column<R>[] = [
      { header: 'restart (UTC)', cell: (r) => utc(r.at) },
      // Narrow, the copy of the time as logged goes first, then the rarer losses; created new (red on any loss) stays.
      { header: `as logged (${details.logs.logTimezone})`, cell: (r) => r.local, drop: 4 },
      { header: 'restored', cell: (r) => String(r.counts.restored), right: true },
      { header: 'created new', cell: (r) => String(r.counts.createdNew), right: true, paint: (t, r) => (lost(r) ? c.red(t) : t) },
      { header: 'failed', cell: (r) => String(r.counts.failed), right: true, drop: 1 },
      { header: 'timed out', cell: (r) => String(r.counts.timedOut), right: true, drop: 2 },
      { header: 'deleted', cell: (r) => String(r.counts.deleted), right: true, drop: 3 },
    ];
    const more = details.logs.restartCount > 20 ? ` (the last 20 of ${details.logs.restartCount})` : '';
    const table = detailTable(columns, details.logs.restarts.slice(-20), width, { bold });
    out.push('', c.bold(`Restarts${more}`));
    pushAll(out, details.logs.restarts.length ? [...table.lines, ...note(table.dropped)] : ['none in these logs']);
    for (const m of details.logs.memory) {
      out.push(...fit(`In memory on ${m.exchange} at ${utc(m.at)}: ${plural(m.symbols.length, 'stop')} (${m.symbols.join(', ')})`, width));
    }
  }
  if (details.restore) {
    type Row = RestoreDetail & { findings: Finding[] };
    const rows: Row[] = details.restore.map((r) => ({ ...r, findings: restoreFindings?.get(`${r.exchange}\u0000${r.symbol}`) ?? [] }));
    const severityOf = (r: Row) => r.findings[0]?.severity;
    const columns: Column<Row>[] = [
      {
        header: 'severity',
        cell: (r) => severityOf(r)?.toUpperCase() ?? '',
        paint: (t, r) => {
          const s = severityOf(r);
          return s ? paint(c, s, t) : t;
        },
      },
      { header: 'exchange', cell: (r) => r.exchange, max: MAX_NAME },
      { header: 'symbol', cell: (r) => r.symbol, max: MAX_NAME },
      { header: 'position', cell: (r) => `#${r.positionId}`, right: true, drop: 1 },
      { header: 'on restart', cell: (r) => r.outcome, paint: (t, r) => (r.outcome === 'restored' && r.findings.length === 0 ? c.green(t) : c.red(t)) },
      // With the current bot's signal lifecycles (its real exit), what a restart does to each shares the wrapping column.
      details.restore.some((r) => r.lifecycle)
        ? { header: 'why; lifecycle on restart', cell: (r) => `${why(r)}; lifecycle: ${r.lifecycle ?? 'none (not judged)'}`, flex: true }
        : { header: 'why', cell: why, flex: true },
    ];
    out.push('', c.bold('What a restart would do'));
    pushAll(out, layout(columns, rows, width, { bold }).lines);
    // The reason, and what a finding of the row says beyond the outcome and the reason (a stop
    // activated in memory, a row of an earlier position).
    function why(r: Row): string {
      const more = r.findings.filter((f) => !f.message.endsWith(`: ${r.reason}`)).map(detail);
      const activated = r.findings.some((f) => hasFact(f, 'activated-in-memory')) ? ' (activated in memory)' : '';
      return [`${r.reason}${activated}`, ...new Set(more)].join('\n');
    }
  }
  return out;
}
