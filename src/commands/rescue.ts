// ts-audit rescue: the SQL that makes a restart restore every stop memory holds, for a person to
// review and apply. ts-audit stays read-only: it reads one snapshot (the open positions, the stop
// rows, the restore simulation) and the memory side (a dump, or the event journal), and writes a
// script. Every statement is guarded by the values ts-audit read (optimistic concurrency): a row the
// bot changed since is left alone, and the closing verification then rolls everything back.
//
// Every value in the script was written by another program (symbols, exchanges and states come from
// the bot's tables and from a dump), and the script is applied by a privileged role through psql, so
// a value must never become SQL or a psql command (docs/rescue.md, "What the script defends against"):
// - every string is an E'' literal in pure ASCII: a quote doubled, a backslash doubled, and every other
//   character outside printable ASCII, and `$`, written as a \u escape. An E'' literal means the same
//   whatever standard_conforming_strings says, psql's lexer reads it as PostgreSQL does, and no byte of
//   a value can end the literal, start a psql meta-command or a dollar quote, or be misread in another
//   client encoding;
// - comments show values with every control and non-ASCII character escaped: they cannot end the line;
// - the script pins standard_conforming_strings and search_path (pg_catalog, then pg_temp) and names
//   pg_catalog's functions and types: nothing a user can create runs inside the repair;
// - the verification block's dollar-quote tag is derived from a hash of its body and checked against it;
// - ids are written as the integers PostgreSQL sent (text), never through a JS number;
// - predicted prices are rounded to each column's declared scale, as PostgreSQL stores them.
import { createHash } from 'node:crypto';
import type { OpenPositionRow, RestoreRow, StopRow } from '../db/rows.js';
import { Decimal, parseTolerance } from '../decimal.js';
import { type DumpReader, type MemoryStop, type Side, memoryActivated, normalizeSide } from '../dump/types.js';
import { journalQueries } from '../journal/read.js';
import { comparePairs } from '../report/findings.js';
import { plural } from '../words.js';
import { type Severity, atOrAbove } from '../severity.js';
import { utcText } from '../time.js';
import { VERSION } from '../version.js';
import { inFilter } from '../run/filters.js';
import { type MemoryOptions, openMemory, readJournal, withMemory } from '../run/memory.js';
import { type AuditOptions, type RunContext, queryParams } from '../run/options.js';
import { inSnapshot } from '../run/snapshot.js';
import { evaluateDbChecks } from '../run/evaluate.js';
import { availableChecks, selectDbChecks } from '../run/select.js';
import { LIFECYCLE_QUERY, lifecyclesReadable } from '../lifecycles/judge.js';
import { CHECKS, DB_CHECKS, DIFF_CHECKS } from '../checks/index.js';
import { type Check, type DiffContext, type DiffSides, type Finding, stopKey } from '../checks/types.js';
import { pushAll } from '../arrays.js';

/** The checks whose findings an action repairs, by their ids as the registry has them. */
const repairs = (action: NonNullable<Check['rescue']>) =>
  CHECKS.filter((c) => c.rescue === action)
    .map((c) => c.id)
    .join(' / ');

/** The value of the side a stop does not track, as the bot writes it (docs/bot.md#tables). */
export const UNTRACKED_PEAK = '999999';

/** The numeric columns the script writes, rounded to their declared scale. */
export const PRICE_COLUMNS = ['entry_price', 'highest_price', 'lowest_price', 'current_stop_price', 'activation_price', 'quantity'] as const;

/** Findings at or above this severity that `diff` reports are repaired by the script or listed as left out. */
export const RESCUE_ACCOUNTS_FROM: Severity = 'high';

export interface RescueOptions extends AuditOptions, Omit<MemoryOptions, 'exchanges' | 'dumpLog' | 'logTimezone'> {
  dumpTimeoutMs: number;
  deleteStale: boolean;
}

export interface PlannedStatement {
  kind: 'insert' | 'update' | 'fix-side' | 'delete';
  exchange: string;
  symbol: string;
  /** The position's id as PostgreSQL sent it (a number for integer, text for bigint: never rounded). */
  positionId: number | string | null;
  /** The check whose finding this repairs. */
  finding: string;
  /** What the bot would do at a restart without it. */
  otherwise: string;
  sql: string;
  /** Rows it should touch when the table is as ts-audit read it. */
  expectedRows: number;
}

export interface LeftOut {
  exchange: string;
  symbol: string;
  reason: string;
  /** The `diff` finding the script does not repair, when that is why it is listed. */
  check?: string;
  severity?: Severity;
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
  /** Stops memory holds that the script does not write, and findings of `diff` it does not repair, and why. */
  leftOut: LeftOut[];
  /** Rows a restart would mishandle that the script leaves (without --delete-stale), and why. */
  notes: string[];
  /** The state every touched (exchange, symbol) must be in when the script ends. */
  verify: { exchange: string; symbol: string; expect: Record<string, string | number | boolean | null> | null }[];
}

interface RescuePosition {
  id: number | string;
  exchange: string;
  symbol: string;
  side: string;
  entry_price: string;
  quantity: string | null;
}

/** What buildPlan needs besides the rows: the columns' scales and the policy diff would apply. */
export interface PlanContext {
  diff: DiffContext;
  severity: Record<string, Severity>;
  disabled: string[];
  /** The exchanges the memory side holds any stop of (a partial dump does not hold every exchange). */
  dumpExchanges: Set<string>;
  now: Date;
}

/**
 * A SQL string literal that means the same under standard_conforming_strings on and off, in pure
 * ASCII: E'' (backslash escapes always on), a quote doubled, a backslash doubled, and every character
 * that is not printable ASCII, and `$`, as \uXXXX or \UXXXXXXXX. (A NUL or a lone surrogate is refused
 * by the server: the script then stops before anything is committed.)
 */
export function sqlString(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (ch === "'") out += "''";
    else if (ch === '\\') out += '\\\\';
    else if (code >= 0x20 && code < 0x7f && ch !== '$') out += ch;
    else out += code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `E'${out}'`;
}

/**
 * A quoted identifier (a schema or table name from the configuration), in ASCII too: "name" with `"`
 * doubled when it is printable ASCII, else U&"..." with every other character as \XXXX or \+XXXXXX.
 */
export function sqlIdent(name: string): string {
  if (/^[\x20-\x7e]*$/.test(name)) return `"${name.replace(/"/g, '""')}"`;
  let out = '';
  for (const ch of name) {
    const code = ch.codePointAt(0) as number;
    if (ch === '"') out += '""';
    else if (ch === '\\') out += '\\\\';
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else out += code <= 0xffff ? `\\${code.toString(16).padStart(4, '0')}` : `\\+${code.toString(16).padStart(6, '0')}`;
  }
  return `U&"${out}"`;
}

/** An integer as PostgreSQL sent it (bigint comes as text): written as it is, never through a float. */
export function sqlInteger(value: number | string | bigint): string {
  const text = String(value);
  if (!/^-?\d+$/.test(text) || (typeof value === 'number' && !Number.isSafeInteger(value))) throw new Error(`not an exact integer: ${text}`);
  return text;
}

const numericText = (d: Decimal) => {
  const text = d.toString();
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new Error(`not a plain decimal: ${text}`);
  return text;
};
const num = (d: Decimal | null | undefined) => (d === null || d === undefined ? 'NULL' : `${sqlString(numericText(d))}::pg_catalog.numeric`);
const isValue = (column: string, value: string | null) => (value === null ? `${column} IS NULL` : `${column} = ${sqlString(value)}::pg_catalog.numeric`);
const time = (d: Date) => `${sqlString(d.toISOString())}::pg_catalog.timestamptz`;
const NOW = 'pg_catalog.now()';

/** Text for a script comment or a terminal: every control and every non-ASCII character escaped. */
export function asciiVisible(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (code >= 0x20 && code < 0x7f) out += ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code <= 0xff) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return out;
}
/** One line of a SQL comment: data never ends the comment or starts a statement. */
const comment = (text: string) => `-- ${asciiVisible(text)}`;

export async function planRescue(opts: RescueOptions, ctx: RunContext): Promise<RescuePlan> {
  const now = ctx.now();
  return withMemory(await openMemory(opts), async (dump) => {
    const journal = journalQueries(opts);
    const params = queryParams(opts, now);
    const replayQueries = opts.fromEvents ? DB_CHECKS.filter((c) => c.withReplay).map((c) => c.query) : [];
    const { snapshot, read } = await inSnapshot(
      opts,
      ctx,
      ['open-positions', 'rescue-positions', 'stop-rows', 'restore', ...journal, LIFECYCLE_QUERY, ...replayQueries],
      async (snapshot) => {
        // The database checks diff runs besides its own: the signal lifecycles (the current bot's real
        // exit) in every run, and with the journal those that judge the replay (a session with no event).
        // Rescue writes stop rows only, so what diff finds there is listed as left out, never passed over.
        const dbRun = availableChecks(
          selectDbChecks([], opts.disabled).filter((c) => c.query === LIFECYCLE_QUERY || (opts.fromEvents && c.withReplay)),
          snapshot.catalog,
          opts.asOf,
        ).run;
        const dbRows = new Map<string, object[]>();
        for (const query of new Set(dbRun.map((c) => c.query))) {
          if (query !== LIFECYCLE_QUERY || lifecyclesReadable(snapshot.catalog, opts.asOf)) dbRows.set(query, await snapshot.run(query, params));
        }
        const positions = await snapshot.run<RescuePosition>('rescue-positions', { ...params, since: null });
        const open = await snapshot.run<OpenPositionRow>('open-positions', { ...params, since: null });
        // In the order of rescue-positions (byte-wise), for a script that reads the same on every run.
        const rows = [...(await snapshot.run<StopRow>('stop-rows', params))].sort(comparePairs);
        const restore = await snapshot.run<RestoreRow>('restore', params);
        const side = await readJournal(snapshot, params, opts, undefined, { rows: async () => rows, positions: async () => open });
        return { positions, open, rows, restore, dbRun, dbRows, memorySource: (dump ?? side.replay?.reader) as DumpReader };
      },
    );
    const { positions, open, rows, restore, dbRun, dbRows, memorySource } = read;
    const memory = new Map<string, MemoryStop>();
    const dumpExchanges = new Set<string>();
    for await (const stop of memorySource.stops()) {
      dumpExchanges.add(stop.exchange);
      if (inFilter(opts.exchanges, stop.exchange) && inFilter(opts.symbols, stop.symbol)) memory.set(stopKey(stop.exchange, stop.symbol), stop);
    }
    const header = memorySource.header();
    const planCtx: PlanContext = {
      diff: {
        dumpedAt: header.dumpedAt,
        priceTolerance: parseTolerance('0') as NonNullable<ReturnType<typeof parseTolerance>>,
        scales: Object.fromEntries(PRICE_COLUMNS.map((c) => [c, snapshot.catalog.scale('trailing_stop_state', c)])),
      },
      severity: opts.severity,
      disabled: opts.disabled,
      dumpExchanges,
      now,
    };
    const plan = buildPlan(opts, positions, rows, restore, memory, planCtx, open);
    const dbFindings = evaluateDbChecks(dbRun, dbRows, { now, thresholds: opts.thresholds, memory, lifecycles: memorySource.lifecycles?.() });
    pushAll(plan.leftOut, dbFindingsLeftOut(dbFindings, planCtx));
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
  });
}

/** The statements, from what was read: pure, so that it can be tested on rows alone. */
export function buildPlan(
  opts: Pick<RescueOptions, 'schema' | 'tables' | 'openStatuses' | 'deleteStale'>,
  positions: RescuePosition[],
  rows: StopRow[],
  restore: RestoreRow[],
  memory: Map<string, MemoryStop>,
  ctx: PlanContext,
  open: OpenPositionRow[] = [],
): Pick<RescuePlan, 'statements' | 'leftOut' | 'notes' | 'verify'> {
  const table = `${sqlIdent(opts.schema)}.${sqlIdent(opts.tables.trailing_stop_state)}`;
  const positionsTable = `${sqlIdent(opts.schema)}.${sqlIdent(opts.tables.positions)}`;
  const openStatuses = `ARRAY[${opts.openStatuses.map(sqlString).join(', ')}]::pg_catalog.text[]`;
  const statements: PlannedStatement[] = [];
  const leftOut: LeftOut[] = [];
  const notes: string[] = [];
  const verify: RescuePlan['verify'] = [];
  const rowByKey = new Map(rows.map((r) => [stopKey(r.exchange, r.symbol), r]));
  const outcome = new Map(restore.map((r) => [stopKey(r.exchange, r.symbol), r]));
  const openKeys = new Set(positions.map((p) => stopKey(p.exchange, p.symbol)));
  /** The row of each (exchange, symbol) as the script leaves it, when the script changes it (null: deleted). */
  const after = new Map<string, StopRow | null>();
  /** A price at its column's declared scale: what PostgreSQL stores, and so what the check expects. */
  const atScale = (column: (typeof PRICE_COLUMNS)[number], d: Decimal): Decimal => {
    const scale = ctx.diff.scales[column] ?? null;
    return scale === null ? d : d.round(scale);
  };
  const atScaleOrNull = (column: (typeof PRICE_COLUMNS)[number], d: Decimal | null | undefined) => (d === null || d === undefined ? d : atScale(column, d));
  const rowGuard = (r: StopRow) =>
    [
      `id = ${sqlInteger(r.id)}`,
      `state = ${sqlString(r.state)}`,
      `side = ${sqlString(r.side)}`,
      `update_count IS NOT DISTINCT FROM ${r.update_count === null ? 'NULL' : sqlInteger(r.update_count)}`,
      isValue('highest_price', r.highest_price),
      isValue('lowest_price', r.lowest_price),
      isValue('current_stop_price', r.current_stop_price),
    ].join(' AND ');

  for (const p of positions) {
    const key = stopKey(p.exchange, p.symbol);
    const m = memory.get(key);
    const r = rowByKey.get(key);
    const where = `${p.exchange}/${p.symbol}`;
    const positionSide = normalizeSide(p.side);
    // A row of an earlier position: linked to another position, or with another entry price (the
    // bot's upsert updates position_id but not entry_price). A restart restores it as if current.
    const stale = r !== undefined && ((r.position_id !== null && String(r.position_id) !== String(p.id)) || !sameDecimal(r.entry_price, p.entry_price));
    if (!m) {
      if (stale && opts.deleteStale)
        notes.push(
          `${where}: the row belongs to an earlier position, but memory holds no stop to put in its place: it is left for the bot to recreate at restart`,
        );
      continue;
    }
    // The fields a row needs, from memory, else (side, entry, quantity) from the open position.
    const side: Side | null = m.side ?? positionSide;
    if (!side) {
      leftOut.push({ exchange: p.exchange, symbol: p.symbol, reason: `neither memory nor the position (side ${JSON.stringify(p.side)}) says long or short` });
      continue;
    }
    const peakColumn = side === 'long' ? 'highest_price' : 'lowest_price';
    const rawPeak = side === 'long' ? m.highestPrice : m.lowestPrice;
    const peak = atScaleOrNull(peakColumn, rawPeak);
    const activated = memoryActivated(m);
    if (!r || (stale && opts.deleteStale)) {
      if (peak === undefined || peak === null) {
        leftOut.push({
          exchange: p.exchange,
          symbol: p.symbol,
          reason: `memory does not say its ${side === 'long' ? 'highest' : 'lowest'} price (peak): a peak is never invented`,
        });
        continue;
      }
      const rawEntry = m.entryPrice ?? Decimal.parse(p.entry_price);
      const rawQuantity = m.quantity ?? (p.quantity === null ? null : Decimal.parse(p.quantity));
      if (!rawEntry || !rawQuantity) {
        leftOut.push({ exchange: p.exchange, symbol: p.symbol, reason: 'neither memory nor the position has its entry price and quantity' });
        continue;
      }
      const entry = atScale('entry_price', rawEntry);
      const quantity = atScale('quantity', rawQuantity);
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
      const highest = side === 'long' ? peak : atScale('highest_price', Decimal.of(UNTRACKED_PEAK));
      const lowest = side === 'short' ? peak : atScale('lowest_price', Decimal.of(UNTRACKED_PEAK));
      const currentStop = atScaleOrNull('current_stop_price', m.currentStopPrice);
      const activationPrice = atScaleOrNull('activation_price', m.activationPrice);
      const state = m.state.toLowerCase();
      const updateCount = m.updateCount ?? 0;
      const activatedAt = activated ? (m.activatedAt ? time(m.activatedAt) : NOW) : 'NULL';
      const values: [string, string][] = [
        ['symbol', sqlString(p.symbol)],
        ['exchange', sqlString(p.exchange)],
        ['position_id', sqlInteger(p.id)],
        ['state', sqlString(state)],
        ['is_activated', activated ? 'true' : 'false'],
        ['side', sqlString(side)],
        ['highest_price', num(highest)],
        ['lowest_price', num(lowest)],
        ['current_stop_price', num(currentStop)],
        ['activation_price', num(activationPrice)],
        ['entry_price', num(entry)],
        ['quantity', num(quantity)],
        ['update_count', sqlInteger(updateCount)],
        ['created_at', m.createdAt ? time(m.createdAt) : NOW],
        ['activated_at', activatedAt],
        ['last_update_time', NOW],
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
          `WHERE EXISTS (SELECT 1 FROM ${positionsTable} p WHERE p.id = ${sqlInteger(p.id)} AND p.status = ANY (${openStatuses}))\n` +
          'ON CONFLICT (symbol, exchange) DO NOTHING;',
        expectedRows: 1,
      });
      verify.push({
        exchange: p.exchange,
        symbol: p.symbol,
        expect: { position_id: p.id, state, side, update_count: updateCount, highest_price: highest.toString(), lowest_price: lowest.toString() },
      });
      after.set(key, {
        id: r?.id ?? '0',
        exchange: p.exchange,
        symbol: p.symbol,
        position_id: String(p.id),
        state,
        is_activated: activated,
        side,
        entry_price: entry.toString(),
        highest_price: highest.toString(),
        lowest_price: lowest.toString(),
        current_stop_price: currentStop?.toString() ?? null,
        activation_price: activationPrice?.toString() ?? null,
        quantity: quantity.toString(),
        update_count: updateCount,
        created_at: m.createdAt ?? ctx.now,
        last_update_time: ctx.now,
      });
      continue;
    }
    if (stale)
      notes.push(
        `${where}: row #${r.id} belongs to an earlier position (entry ${r.entry_price}, position #${r.position_id}); --delete-stale replaces it with memory's stop`,
      );
    // The row's side (and case) against the open position's, when memory agrees with the position.
    const rowSide = normalizeSide(r.side);
    const sets: string[] = [];
    const expect: Record<string, string | number | boolean | null> = {};
    const changed: Partial<StopRow> = {};
    let kind: PlannedStatement['kind'] = 'update';
    let finding = repairs('update');
    let otherwise = '';
    if (positionSide && m.side === positionSide && (rowSide !== positionSide || r.side !== positionSide)) {
      sets.push(`side = ${sqlString(positionSide)}`);
      expect.side = positionSide;
      changed.side = positionSide;
      kind = 'fix-side';
      finding = repairs('fix-side');
      otherwise =
        rowSide !== positionSide
          ? `a restart deletes row #${r.id} (side ${r.side}, position ${p.side}) and creates a new stop`
          : `the row's side "${r.side}" is not written as the bot writes it`;
    }
    if (r.state !== r.state.toLowerCase()) {
      sets.push(`state = ${sqlString(r.state.toLowerCase())}`);
      expect.state = r.state.toLowerCase();
      changed.state = r.state.toLowerCase();
    }
    // A row behind memory: memory has counted more updates than the row.
    const behind = m.updateCount !== undefined && m.updateCount !== null && (r.update_count === null || m.updateCount > r.update_count);
    if (behind && peak !== undefined && peak !== null) {
      sets.push(`${peakColumn} = ${num(peak)}`);
      expect[peakColumn] = peak.toString();
      changed[peakColumn] = peak.toString();
      if (m.currentStopPrice !== undefined) {
        const v = atScaleOrNull('current_stop_price', m.currentStopPrice);
        sets.push(`current_stop_price = ${num(v)}`);
        changed.current_stop_price = v?.toString() ?? null;
      }
      if (m.activationPrice !== undefined) {
        const v = atScaleOrNull('activation_price', m.activationPrice);
        sets.push(`activation_price = ${num(v)}`);
        changed.activation_price = v?.toString() ?? null;
      }
      const state = m.state.toLowerCase();
      sets.push(
        `update_count = ${sqlInteger(m.updateCount as number)}`,
        `state = ${sqlString(state)}`,
        `is_activated = ${activated ? 'true' : 'false'}`,
        `last_update_time = ${NOW}`,
      );
      if (activated) sets.push(`activated_at = COALESCE(activated_at, ${m.activatedAt ? time(m.activatedAt) : NOW})`);
      expect.update_count = m.updateCount as number;
      expect.state = state;
      Object.assign(changed, { update_count: m.updateCount as number, state, is_activated: activated, last_update_time: ctx.now });
      if (kind === 'update') {
        finding = repairs('update');
        otherwise = `a restart restores the row as saved: ${plural((m.updateCount as number) - (r.update_count ?? 0), 'update')} behind memory (peak ${r[peakColumn] ?? 'none'} instead of ${peak.toString()})`;
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
    verify.push({ exchange: p.exchange, symbol: p.symbol, expect: { id: r.id, ...expect } });
    after.set(key, { ...r, ...changed });
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
    after.set(key, null);
  }
  for (const [key, m] of memory) {
    if (!openKeys.has(key))
      leftOut.push({ exchange: m.exchange, symbol: m.symbol, reason: 'memory holds it, but it has no open position: a restart would not restore it' });
  }
  accountForFindings({ rows, open, memory, after, leftOut, ctx });
  return { statements, leftOut, notes, verify };
}

/**
 * The rule that keeps rescue honest about what it does not do, whatever checks there are: every
 * finding at or above high that `diff` would report on the same snapshot and memory is judged again
 * on the rows as the script leaves them; one that is still there is listed as left out, with the
 * check, its severity and its message. It is driven by the findings, not by a list of checks: a
 * check added to the registry is accounted for without a change here.
 */
function accountForFindings(a: {
  rows: StopRow[];
  open: OpenPositionRow[];
  memory: Map<string, MemoryStop>;
  after: Map<string, StopRow | null>;
  leftOut: LeftOut[];
  ctx: PlanContext;
}): void {
  const { ctx } = a;
  const disabled = new Set(ctx.disabled);
  const diffChecks = DIFF_CHECKS.filter((c) => !disabled.has(c.id));
  const rowChecks = DB_CHECKS.filter((c) => c.evaluateStopRow && !disabled.has(c.id));
  const severityOf = (f: Finding): Severity => ctx.severity[f.check] ?? f.severity;
  const serious = (f: Finding | null): f is Finding => f !== null && atOrAbove(severityOf(f), RESCUE_ACCOUNTS_FROM);
  const rowsByKey = new Map(a.rows.map((r) => [stopKey(r.exchange, r.symbol), r]));
  const openByKey = new Map(a.open.map((p) => [stopKey(p.exchange, p.symbol), p]));
  const keys = new Set([...a.memory.keys(), ...openByKey.keys(), ...rowsByKey.keys()]);
  const rowAfter = (k: string) => (a.after.has(k) ? (a.after.get(k) ?? undefined) : rowsByKey.get(k));
  for (const k of keys) {
    const stop = a.memory.get(k);
    const position = openByKey.get(k);
    const before: DiffSides = {
      stop,
      row: rowsByKey.get(k),
      position,
      dumpHasExchange: ctx.dumpExchanges.has((stop ?? position ?? rowsByKey.get(k))?.exchange ?? ''),
    };
    const afterSides: DiffSides = { ...before, row: rowAfter(k) };
    // As diff judges: the diff checks for a pair memory holds or an open position has; the row checks for every row.
    const judged = stop || position ? diffChecks : [];
    const found: { finding: Finding; still: Finding | null }[] = [];
    for (const check of judged) {
      const f = check.evaluate(before, ctx.diff);
      if (serious(f)) found.push({ finding: f, still: check.evaluate(afterSides, ctx.diff) });
    }
    for (const check of rowChecks) {
      if (!before.row) continue;
      const f = check.evaluateStopRow?.(before.row) ?? null;
      if (serious(f)) found.push({ finding: f, still: afterSides.row ? (check.evaluateStopRow?.(afterSides.row) ?? null) : null });
    }
    for (const { finding, still } of found) {
      if (!serious(still)) continue;
      const severity = severityOf(finding);
      const given = a.leftOut.find((l) => stopKey(l.exchange, l.symbol) === k && l.check === undefined);
      if (given) {
        // Already listed with the reason the script cannot write it: the finding is named there.
        given.check = finding.check;
        given.severity = severity;
        given.reason = `${given.reason} (diff: ${finding.check}, ${severity}: ${finding.message})`;
        continue;
      }
      a.leftOut.push({
        exchange: finding.exchange,
        symbol: finding.symbol,
        check: finding.check,
        severity,
        reason: `diff reports ${finding.check} (${severity}): ${finding.message}; the script does not repair it (rescue writes only a missing row, a row behind memory's update count, a side, and with --delete-stale a stale or orphaned row): review it by hand`,
      });
    }
  }
}

/** The findings at or above high of diff's database checks: the script writes none of them, and says why. */
export function dbFindingsLeftOut(findings: Finding[], ctx: Pick<PlanContext, 'severity'>): LeftOut[] {
  return findings.flatMap((f) => {
    const severity = ctx.severity[f.check] ?? f.severity;
    if (!atOrAbove(severity, RESCUE_ACCOUNTS_FROM)) return [];
    const why = CHECKS.find((c) => c.id === f.check)?.notRescued ?? 'the script writes stop rows from what memory holds, and this is not one';
    return [
      {
        exchange: f.exchange,
        symbol: f.symbol,
        check: f.check,
        severity,
        reason: `diff reports ${f.check} (${severity}): ${f.message}; not repaired by the script: ${why}`,
      },
    ];
  });
}

/** Two numeric texts equal as decimals ("0.10" and "0.1"). */
function sameDecimal(a: string, b: string): boolean {
  const x = Decimal.parse(a);
  const y = Decimal.parse(b);
  return x !== null && y !== null && x.equals(y);
}

const INTEGER_COLUMNS = new Set(['id', 'position_id', 'update_count']);
const NUMERIC_COLUMNS = new Set<string>(PRICE_COLUMNS);

/** One predicted column value as a SQL condition. */
function expectation(column: string, value: string | number | boolean | null): string {
  if (value === null) return `${column} IS NULL`;
  if (typeof value === 'boolean') return `${column} = ${value}`;
  if (INTEGER_COLUMNS.has(column)) return `${column} = ${sqlInteger(value)}`;
  if (NUMERIC_COLUMNS.has(column)) return `${column} = ${sqlString(String(value))}::pg_catalog.numeric`;
  return `${column} = ${sqlString(String(value))}`;
}

/** A dollar-quote tag that the body does not contain (derived from the body's hash, checked against it). */
export function dollarTag(body: string): string {
  const hash = createHash('sha256').update(body).digest('hex');
  for (let i = 0; ; i++) {
    const tag = `$ts_audit_${hash.slice(0, 16)}${i === 0 ? '' : `_${i}`}$`;
    if (!body.includes(tag)) return tag;
  }
}

/** The script: a header saying what it was made from and will do, the guarded statements, the check. */
export function renderRescueSql(plan: RescuePlan, opts: Pick<RescueOptions, 'schema' | 'tables'>): string {
  const table = `${sqlIdent(opts.schema)}.${sqlIdent(opts.tables.trailing_stop_state)}`;
  const count = (kind: PlannedStatement['kind']) => plan.statements.filter((s) => s.kind === kind).length;
  const out = [
    comment(
      `ts-audit rescue script, written by ts-audit ${plan.version} at ${utcText(plan.generatedAt)}. ts-audit wrote nothing: this is for a person to review and apply.`,
    ),
    comment(`Database: ${plan.target} (PostgreSQL ${plan.serverVersion}), snapshot at ${utcText(plan.snapshotAt)}.`),
    comment(
      `Memory: ${plan.memory.source} (${plan.memory.format}, ${plural(plan.memory.stops, 'stop')}${plan.memory.dumpedAt ? `, as of ${utcText(plan.memory.dumpedAt)}` : ''}).`,
    ),
    comment(
      `It will: insert ${plural(count('insert'), 'row')}, bring ${plural(count('update'), 'row')} up to memory, correct the side of ${plural(count('fix-side'), 'row')}, delete ${plural(count('delete'), 'row')}.`,
    ),
    ...(plan.leftOut.length
      ? [comment(`Left out (${plan.leftOut.length}):`), ...plan.leftOut.map((l) => comment(`  ${l.exchange}/${l.symbol}: ${l.reason}`))]
      : []),
    ...(plan.notes.length ? [comment('Not changed:'), ...plan.notes.map((n) => comment(`  ${n}`))] : []),
    '--',
    comment('Every statement applies only to the row as ts-audit read it: a row the bot changed since is left'),
    comment('alone, and the check at the end then rolls everything back. psql prints how many rows each touched.'),
    comment("Values are written as E'' strings in ASCII with every quote, backslash and other character escaped,"),
    comment('so they mean the same with standard_conforming_strings on or off; search_path is pg_catalog only.'),
    comment('Stop the bot (or pause its writes) first if you can, then:'),
    comment('  psql -v ON_ERROR_STOP=1 -f this-file.sql "$DATABASE_URL"'),
    comment('then `ts-audit restore` should say every open position gets its stop back; then restart the bot.'),
    '',
    'BEGIN;',
    "SET LOCAL lock_timeout = '5s';",
    "SET LOCAL statement_timeout = '60s';",
    'SET LOCAL standard_conforming_strings = on;',
    'SET LOCAL search_path = pg_catalog, pg_temp;',
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
    const key = `symbol = ${sqlString(v.symbol)} AND exchange = ${sqlString(v.exchange)}`;
    const name = sqlString(`${v.exchange}/${v.symbol}`);
    if (v.expect === null) return `  IF EXISTS (SELECT 1 FROM ${table} WHERE ${key}) THEN bad := bad || ' ' || ${name}; END IF;`;
    const conds = Object.entries(v.expect).map(([c, val]) => expectation(c, val));
    return `  IF NOT EXISTS (SELECT 1 FROM ${table} WHERE ${key} AND ${conds.join(' AND ')}) THEN bad := bad || ' ' || ${name}; END IF;`;
  });
  const body = [
    '',
    "DECLARE bad pg_catalog.text := '';",
    'BEGIN',
    ...checks,
    "  IF bad <> '' THEN",
    "    RAISE EXCEPTION 'ts-audit rescue: not as predicted for%; the table changed since the snapshot: nothing was applied, run ts-audit rescue again', bad;",
    '  END IF;',
    'END',
    '',
  ].join('\n');
  const tag = dollarTag(body);
  out.push(comment('The check: every row as predicted, or nothing at all.'), `DO ${tag}${body}${tag};`, '', 'COMMIT;', '');
  return out.join('\n');
}
