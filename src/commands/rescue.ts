// ts-audit rescue: the SQL that makes a restart restore every stop memory holds, for a person to
// review and apply. ts-audit stays read-only: it reads one snapshot (the open positions, the stop
// rows, the restore simulation) and the memory side (a dump, or the event journal), and writes a
// script. Every statement is guarded by the values ts-audit read (optimistic concurrency): a row the
// bot changed since is left alone, and the closing verification then rolls everything back.
import type { OpenPositionRow, RestoreRow, StopRow } from '../db/rows.js';
import { quoteIdent } from '../db/tables.js';
import { Decimal } from '../decimal.js';
import { openDump } from '../dump/read.js';
import { type MemoryStop, type Side, memoryActivated, normalizeSide } from '../dump/types.js';
import { DEFAULT_FLUSH_MS, journalMemory, journalQueries, journalSpan } from '../journal/read.js';
import type { JournalSpan } from '../journal/replay.js';
import { visible } from '../report/escape.js';
import { comparePairs } from '../report/findings.js';
import { plural } from '../words.js';
import { utcText } from '../time.js';
import { VERSION } from '../version.js';
import { type AuditOptions, type RunContext, inFilter, openAuditSnapshot, queryParams } from './audit.js';
import { CHECKS } from '../checks/index.js';
import { type Check, stopKey } from '../checks/types.js';

/** The checks whose findings an action repairs, by their ids as the registry has them. */
const repairs = (action: NonNullable<Check['rescue']>) =>
  CHECKS.filter((c) => c.rescue === action)
    .map((c) => c.id)
    .join(' / ');

/** The value of the side a stop does not track, as the bot writes it (docs/bot.md#tables). */
export const UNTRACKED_PEAK = '999999';

export interface RescueOptions extends AuditOptions {
  dump?: string;
  fromEvents?: boolean;
  flushMs?: number;
  dumpTimeoutMs: number;
  dumpMaxBytes?: number;
  deleteStale: boolean;
}

export interface PlannedStatement {
  kind: 'insert' | 'update' | 'fix-side' | 'delete';
  exchange: string;
  symbol: string;
  positionId: number | null;
  /** The check whose finding this repairs. */
  finding: string;
  /** What the bot would do at a restart without it. */
  otherwise: string;
  sql: string;
  /** Rows it should touch when the table is as ts-audit read it. */
  expectedRows: number;
}

export interface RescuePlan {
  tool: 'ts-audit';
  version: string;
  command: 'rescue';
  generatedAt: Date;
  target: string;
  serverVersion: string;
  snapshotAt: Date;
  memory: { source: string; format: string; dumpedAt: Date | null; stops: number };
  statements: PlannedStatement[];
  /** Stops memory holds that the script does not write, and why. */
  leftOut: { exchange: string; symbol: string; reason: string }[];
  /** Rows a restart would mishandle that the script leaves (without --delete-stale), and why. */
  notes: string[];
  /** The state every touched (exchange, symbol) must be in when the script ends. */
  verify: { exchange: string; symbol: string; expect: Record<string, string | number | boolean | null> | null }[];
}

interface RescuePosition {
  id: number;
  exchange: string;
  symbol: string;
  side: string;
  entry_price: string;
  quantity: string | null;
}

/** SQL text literal: doubled quotes (standard_conforming_strings, on since PostgreSQL 9.1). */
const lit = (text: string) => `'${text.replace(/'/g, "''")}'`;
const num = (d: Decimal | string | null | undefined) => (d === null || d === undefined ? 'NULL' : `${lit(d.toString())}::numeric`);
const isDistinct = (column: string, value: string | null) => (value === null ? `${column} IS NULL` : `${column} = ${lit(value)}::numeric`);
/** One line of a SQL comment: data never ends the comment or starts a statement. */
const comment = (text: string) => `-- ${visible(text)}`;

export async function planRescue(opts: RescueOptions, ctx: RunContext): Promise<RescuePlan> {
  const now = ctx.now();
  const dump = opts.fromEvents ? undefined : await openDump(opts.dump ?? '-', { exchange: opts.exchanges.length === 1 ? opts.exchanges[0] : undefined, timeoutMs: opts.dumpTimeoutMs, maxBytes: opts.dumpMaxBytes });
  try {
    const journal = journalQueries(opts);
    const snapshot = await openAuditSnapshot(opts, ctx, ['open-positions', 'rescue-positions', 'stop-rows', 'restore', ...journal]);
    const params = queryParams(opts, now);
    let positions: RescuePosition[];
    let open: OpenPositionRow[];
    let rows: StopRow[];
    let restore: RestoreRow[];
    let memorySource = dump;
    try {
      positions = await snapshot.run<RescuePosition>('rescue-positions', { ...params, since: null });
      open = await snapshot.run<OpenPositionRow>('open-positions', { ...params, since: null });
      // In the order of rescue-positions (byte-wise), for a script that reads the same on every run.
      rows = [...(await snapshot.run<StopRow>('stop-rows', params))].sort(comparePairs);
      restore = await snapshot.run<RestoreRow>('restore', params);
      if (!memorySource) {
        const span = await journalSpan(snapshot, opts.asOf);
        memorySource = (await journalMemory(snapshot, params, span as JournalSpan, opts.asOf, rows, open, opts.flushMs ?? DEFAULT_FLUSH_MS)).reader;
      }
    } finally {
      await snapshot.close();
    }
    const memory = new Map<string, MemoryStop>();
    for await (const stop of memorySource.stops()) {
      if (inFilter(opts.exchanges, stop.exchange) && inFilter(opts.symbols, stop.symbol)) memory.set(stopKey(stop.exchange, stop.symbol), stop);
    }
    const header = memorySource.header();
    const plan = buildPlan(opts, positions, rows, restore, memory);
    return {
      tool: 'ts-audit',
      version: VERSION,
      command: 'rescue',
      generatedAt: new Date(Math.max(now.getTime(), snapshot.info.snapshotAt.getTime())),
      target: snapshot.info.target,
      serverVersion: snapshot.info.serverVersion,
      snapshotAt: snapshot.info.snapshotAt,
      memory: { source: memorySource.source, format: header.format, dumpedAt: header.dumpedAt, stops: memory.size },
      ...plan,
    };
  } finally {
    await dump?.close?.();
  }
}

/** The statements, from what was read: pure, so that it can be tested on rows alone. */
export function buildPlan(
  opts: Pick<RescueOptions, 'schema' | 'tables' | 'openStatuses' | 'deleteStale'>,
  positions: RescuePosition[],
  rows: StopRow[],
  restore: RestoreRow[],
  memory: Map<string, MemoryStop>,
): Pick<RescuePlan, 'statements' | 'leftOut' | 'notes' | 'verify'> {
  const table = `${quoteIdent(opts.schema)}.${quoteIdent(opts.tables.trailing_stop_state)}`;
  const positionsTable = `${quoteIdent(opts.schema)}.${quoteIdent(opts.tables.positions)}`;
  const openStatuses = `ARRAY[${opts.openStatuses.map(lit).join(', ')}]`;
  const statements: PlannedStatement[] = [];
  const leftOut: RescuePlan['leftOut'] = [];
  const notes: string[] = [];
  const verify: RescuePlan['verify'] = [];
  const rowByKey = new Map(rows.map((r) => [stopKey(r.exchange, r.symbol), r]));
  const outcome = new Map(restore.map((r) => [stopKey(r.exchange, r.symbol), r]));
  const openKeys = new Set(positions.map((p) => stopKey(p.exchange, p.symbol)));
  const rowGuard = (r: StopRow) =>
    [
      `id = ${Number(r.id)}`,
      `state = ${lit(r.state)}`,
      `side = ${lit(r.side)}`,
      `update_count IS NOT DISTINCT FROM ${r.update_count === null ? 'NULL' : Number(r.update_count)}`,
      isDistinct('highest_price', r.highest_price),
      isDistinct('lowest_price', r.lowest_price),
      isDistinct('current_stop_price', r.current_stop_price),
    ].join(' AND ');

  for (const p of positions) {
    const key = stopKey(p.exchange, p.symbol);
    const m = memory.get(key);
    const r = rowByKey.get(key);
    const where = `${p.exchange}/${p.symbol}`;
    const positionSide = normalizeSide(p.side);
    // A row of an earlier position: linked to another position, or with another entry price (the
    // bot's upsert updates position_id but not entry_price). A restart restores it as if current.
    const stale = r !== undefined && ((r.position_id !== null && Number(r.position_id) !== p.id) || !sameDecimal(r.entry_price, p.entry_price));
    if (!m) {
      if (stale && opts.deleteStale) notes.push(`${where}: the row belongs to an earlier position, but memory holds no stop to put in its place: it is left for the bot to recreate at restart`);
      continue;
    }
    // The fields a row needs, from memory, else (side, entry, quantity) from the open position.
    const side: Side | null = m.side ?? positionSide;
    if (!side) {
      leftOut.push({ exchange: p.exchange, symbol: p.symbol, reason: `neither memory nor the position (side ${JSON.stringify(p.side)}) says long or short` });
      continue;
    }
    const peak = side === 'long' ? m.highestPrice : m.lowestPrice;
    const activated = memoryActivated(m);
    if (!r || (stale && opts.deleteStale)) {
      if (peak === undefined || peak === null) {
        leftOut.push({ exchange: p.exchange, symbol: p.symbol, reason: `memory does not say its ${side === 'long' ? 'highest' : 'lowest'} price (peak): a peak is never invented` });
        continue;
      }
      const entry = m.entryPrice ?? Decimal.parse(p.entry_price);
      const quantity = m.quantity ?? (p.quantity === null ? null : Decimal.parse(p.quantity));
      if (!entry || !quantity) {
        leftOut.push({ exchange: p.exchange, symbol: p.symbol, reason: 'neither memory nor the position has its entry price and quantity' });
        continue;
      }
      if (r && stale) {
        statements.push({
          kind: 'delete',
          exchange: p.exchange,
          symbol: p.symbol,
          positionId: p.id,
          finding: repairs('delete-stale'),
          otherwise: `a restart restores row #${r.id} of an earlier position (entry ${r.entry_price}) as if it were position #${p.id}'s`,
          sql: `DELETE FROM ${table}\nWHERE ${rowGuard(r)};`,
          expectedRows: 1,
        });
      }
      const highest = side === 'long' ? peak : Decimal.parse(UNTRACKED_PEAK);
      const lowest = side === 'short' ? peak : Decimal.parse(UNTRACKED_PEAK);
      const state = m.state.toLowerCase();
      const updateCount = m.updateCount ?? 0;
      const activatedAt = activated ? (m.activatedAt ? `${lit(m.activatedAt.toISOString())}::timestamptz` : 'now()') : 'NULL';
      const values: [string, string][] = [
        ['symbol', lit(p.symbol)],
        ['exchange', lit(p.exchange)],
        ['position_id', String(p.id)],
        ['state', lit(state)],
        ['is_activated', activated ? 'true' : 'false'],
        ['side', lit(side)],
        ['highest_price', num(highest)],
        ['lowest_price', num(lowest)],
        ['current_stop_price', num(m.currentStopPrice)],
        ['activation_price', num(m.activationPrice)],
        ['entry_price', num(entry)],
        ['quantity', num(quantity)],
        ['update_count', String(updateCount)],
        ['created_at', m.createdAt ? `${lit(m.createdAt.toISOString())}::timestamptz` : 'now()'],
        ['activated_at', activatedAt],
        ['last_update_time', 'now()'],
      ];
      statements.push({
        kind: 'insert',
        exchange: p.exchange,
        symbol: p.symbol,
        positionId: p.id,
        finding: repairs('insert'),
        otherwise: `a restart creates a new stop for position #${p.id}: ${activated ? 'its activation and ' : ''}its peak ${peak.toString()} and ${plural(updateCount, 'update')} are lost`,
        sql:
          `INSERT INTO ${table} (${values.map(([c]) => c).join(', ')})\n` +
          `SELECT ${values.map(([, v]) => v).join(', ')}\n` +
          `WHERE EXISTS (SELECT 1 FROM ${positionsTable} p WHERE p.id = ${p.id} AND p.status = ANY (${openStatuses}))\n` +
          'ON CONFLICT (symbol, exchange) DO NOTHING;',
        expectedRows: 1,
      });
      verify.push({ exchange: p.exchange, symbol: p.symbol, expect: { position_id: p.id, state, side, update_count: updateCount, highest_price: highest?.toString() ?? null, lowest_price: lowest?.toString() ?? null } });
      continue;
    }
    if (stale) notes.push(`${where}: row #${r.id} belongs to an earlier position (entry ${r.entry_price}, position #${r.position_id}); --delete-stale replaces it with memory's stop`);
    // The row's side (and case) against the open position's, when memory agrees with the position.
    const rowSide = normalizeSide(r.side);
    const sets: string[] = [];
    const expect: Record<string, string | number | boolean | null> = {};
    let kind: PlannedStatement['kind'] = 'update';
    let finding = repairs('update');
    let otherwise = '';
    if (positionSide && m.side === positionSide && (rowSide !== positionSide || r.side !== positionSide)) {
      sets.push(`side = ${lit(positionSide)}`);
      expect.side = positionSide;
      kind = 'fix-side';
      finding = repairs('fix-side');
      otherwise = rowSide !== positionSide ? `a restart deletes row #${r.id} (side ${r.side}, position ${p.side}) and creates a new stop` : `the row's side "${r.side}" is not written as the bot writes it`;
    }
    if (r.state !== r.state.toLowerCase()) {
      sets.push(`state = ${lit(r.state.toLowerCase())}`);
      expect.state = r.state.toLowerCase();
    }
    // A row behind memory: memory has counted more updates than the row.
    const behind = m.updateCount !== undefined && m.updateCount !== null && (r.update_count === null || m.updateCount > r.update_count);
    if (behind && peak !== undefined && peak !== null) {
      const column = side === 'long' ? 'highest_price' : 'lowest_price';
      sets.push(`${column} = ${num(peak)}`);
      expect[column] = peak.toString();
      if (m.currentStopPrice !== undefined) sets.push(`current_stop_price = ${num(m.currentStopPrice)}`);
      if (m.activationPrice !== undefined) sets.push(`activation_price = ${num(m.activationPrice)}`);
      sets.push(`update_count = ${m.updateCount}`, `state = ${lit(m.state.toLowerCase())}`, `is_activated = ${activated ? 'true' : 'false'}`, 'last_update_time = now()');
      if (activated) sets.push(`activated_at = COALESCE(activated_at, ${m.activatedAt ? `${lit(m.activatedAt.toISOString())}::timestamptz` : 'now()'})`);
      expect.update_count = m.updateCount as number;
      expect.state = m.state.toLowerCase();
      if (kind === 'update') {
        finding = repairs('update');
        otherwise = `a restart restores the row as saved: ${plural((m.updateCount as number) - (r.update_count ?? 0), 'update')} behind memory (peak ${r[column] ?? 'none'} instead of ${peak.toString()})`;
      }
    } else if (behind) {
      leftOut.push({ exchange: p.exchange, symbol: p.symbol, reason: 'the row is behind memory, but memory does not say the peak: a peak is never invented' });
    }
    if (sets.length === 0) continue;
    // Later assignments win where two set the same column (state): keep the last.
    const byColumn = new Map(sets.map((s) => [s.split(' = ')[0] as string, s]));
    statements.push({
      kind,
      exchange: p.exchange,
      symbol: p.symbol,
      positionId: p.id,
      finding,
      otherwise: otherwise || `the row's state "${r.state}" is not written as the bot writes it`,
      sql: `UPDATE ${table}\nSET ${[...byColumn.values()].join(', ')}\nWHERE ${rowGuard(r)};`,
      expectedRows: 1,
    });
    verify.push({ exchange: p.exchange, symbol: p.symbol, expect: { id: Number(r.id), ...expect } });
  }

  // Rows of no open position: a restart deletes them anyway; --delete-stale does it now, guarded.
  for (const r of rows) {
    const key = stopKey(r.exchange, r.symbol);
    if (openKeys.has(key) || outcome.has(key)) continue;
    if (!opts.deleteStale) {
      notes.push(`${r.exchange}/${r.symbol}: row #${r.id} belongs to no open position (--delete-stale deletes it)`);
      continue;
    }
    statements.push({
      kind: 'delete',
      exchange: r.exchange,
      symbol: r.symbol,
      positionId: null,
      finding: repairs('delete-orphan'),
      otherwise: `row #${r.id} stays behind for no position; a later position of ${r.symbol} would inherit it`,
      sql: `DELETE FROM ${table}\nWHERE ${rowGuard(r)};`,
      expectedRows: 1,
    });
    verify.push({ exchange: r.exchange, symbol: r.symbol, expect: null });
  }
  for (const [key, m] of memory) {
    if (!openKeys.has(key)) leftOut.push({ exchange: m.exchange, symbol: m.symbol, reason: 'memory holds it, but it has no open position: a restart would not restore it' });
  }
  return { statements, leftOut, notes, verify };
}

/** Two numeric texts equal as decimals ("0.10" and "0.1"). */
function sameDecimal(a: string, b: string): boolean {
  const x = Decimal.parse(a);
  const y = Decimal.parse(b);
  return x !== null && y !== null && x.equals(y);
}

/** The script: a header saying what it was made from and will do, the guarded statements, the check. */
export function renderRescueSql(plan: RescuePlan, opts: Pick<RescueOptions, 'schema' | 'tables'>): string {
  const table = `${quoteIdent(opts.schema)}.${quoteIdent(opts.tables.trailing_stop_state)}`;
  const count = (kind: PlannedStatement['kind']) => plan.statements.filter((s) => s.kind === kind).length;
  const out = [
    comment(`ts-audit rescue script, written by ts-audit ${plan.version} at ${utcText(plan.generatedAt)}. ts-audit wrote nothing: this is for a person to review and apply.`),
    comment(`Database: ${plan.target} (PostgreSQL ${plan.serverVersion}), snapshot at ${utcText(plan.snapshotAt)}.`),
    comment(`Memory: ${plan.memory.source} (${plan.memory.format}, ${plural(plan.memory.stops, 'stop')}${plan.memory.dumpedAt ? `, as of ${utcText(plan.memory.dumpedAt)}` : ''}).`),
    comment(
      `It will: insert ${plural(count('insert'), 'row')}, bring ${plural(count('update'), 'row')} up to memory, correct the side of ${plural(count('fix-side'), 'row')}, delete ${plural(count('delete'), 'row')}.`,
    ),
    ...(plan.leftOut.length ? [comment(`Left out (${plan.leftOut.length}):`), ...plan.leftOut.map((l) => comment(`  ${l.exchange}/${l.symbol}: ${l.reason}`))] : []),
    ...(plan.notes.length ? [comment('Not changed:'), ...plan.notes.map((n) => comment(`  ${n}`))] : []),
    '--',
    comment('Every statement applies only to the row as ts-audit read it: a row the bot changed since is left'),
    comment('alone, and the check at the end then rolls everything back. psql prints how many rows each touched.'),
    comment('Stop the bot (or pause its writes) first if you can, then:'),
    comment('  psql -v ON_ERROR_STOP=1 -f this-file.sql "$DATABASE_URL"'),
    comment('then `ts-audit restore` should say every open position gets its stop back; then restart the bot.'),
    '',
    'BEGIN;',
    "SET LOCAL lock_timeout = '5s';",
    "SET LOCAL statement_timeout = '60s';",
    '',
  ];
  plan.statements.forEach((s, i) => {
    out.push(
      comment(`${i + 1}. ${s.kind} ${s.exchange}/${s.symbol}${s.positionId !== null ? ` (position #${s.positionId})` : ''}: repairs ${s.finding}.`),
      comment(`   Otherwise: ${s.otherwise}.`),
      s.sql,
      '',
    );
  });
  if (plan.statements.length === 0) out.push(comment('Nothing to write: every stop memory holds is in the table as a restart would restore it.'), '');
  // The check: the predicted end state, or an exception that rolls the transaction back.
  const checks = plan.verify.map((v) => {
    const key = `symbol = ${lit(v.symbol)} AND exchange = ${lit(v.exchange)}`;
    if (v.expect === null) return `  IF EXISTS (SELECT 1 FROM ${table} WHERE ${key}) THEN bad := bad || ' ' || ${lit(`${v.exchange}/${v.symbol}`)}; END IF;`;
    const conds = Object.entries(v.expect).map(([c, val]) =>
      val === null ? `${c} IS NULL` : typeof val === 'number' ? `${c} = ${val}` : typeof val === 'boolean' ? `${c} = ${val}` : ['highest_price', 'lowest_price'].includes(c) ? `${c} = ${lit(val)}::numeric` : `${c} = ${lit(val)}`,
    );
    return `  IF NOT EXISTS (SELECT 1 FROM ${table} WHERE ${key} AND ${conds.join(' AND ')}) THEN bad := bad || ' ' || ${lit(`${v.exchange}/${v.symbol}`)}; END IF;`;
  });
  out.push(
    comment('The check: every row as predicted, or nothing at all.'),
    'DO $ts_audit_verify$',
    'DECLARE bad text := \'\';',
    'BEGIN',
    ...checks,
    "  IF bad <> '' THEN",
    "    RAISE EXCEPTION 'ts-audit rescue: not as predicted for%; the table changed since the snapshot: nothing was applied, run ts-audit rescue again', bad;",
    '  END IF;',
    'END',
    '$ts_audit_verify$;',
    '',
    'COMMIT;',
    '',
  );
  return out.join('\n');
}
