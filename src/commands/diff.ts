// ts-audit diff: the bot's in-memory stops (a state dump) against monitoring.trailing_stop_state.
// The dump is opened first (a bad file fails before any connection), the database is read in one
// snapshot and closed, then the dump's stops are streamed against it: memory holds the rows, never
// the whole dump. With --all, every database check runs in the same snapshot.
import { evaluateFieldDrift } from '../checks/field-drift.js';
import { DIFF_CHECKS } from '../checks/index.js';
import { evaluateMissingInDb } from '../checks/missing-in-db.js';
import { evaluateMissingInMemory } from '../checks/missing-in-memory.js';
import { type DiffContext, type Finding, stopKey } from '../checks/types.js';
import type { Tolerance } from '../decimal.js';
import type { OpenPositionRow, StopRow } from '../db/rows.js';
import { openDump } from '../dump/read.js';
import type { MemoryStop } from '../dump/types.js';
import { restartCoverage } from '../report/build.js';
import type { Report } from '../report/types.js';
import {
  type AuditOptions,
  type CountsRow,
  type RunContext,
  assembleReport,
  evaluateDbChecks,
  fetchRows,
  openAuditSnapshot,
  queryParams,
  selectDbChecks,
} from './audit.js';

export interface DiffOptions extends AuditOptions {
  /** A state dump; or, with dumpLog, the bot's logs whose [TS_DEBUG] lines say what memory held. */
  dump?: string;
  dumpLog?: string[];
  logTimezone?: string;
  dumpTimeoutMs: number;
  dumpedAt?: Date;
  priceTolerance: Tolerance;
  /** Also run every database check in the same snapshot. */
  all?: boolean;
}

const PRICE_COLUMNS = ['entry_price', 'highest_price', 'lowest_price', 'current_stop_price', 'activation_price', 'quantity'];

export async function runDiff(opts: DiffOptions, ctx: RunContext): Promise<Report> {
  const now = ctx.now();
  const dump = opts.dumpLog
    ? await (await import('../logs/memory.js')).logMemoryReader(opts.dumpLog, opts.logTimezone ?? 'UTC')
    : await openDump(opts.dump ?? '-', {
        exchange: opts.exchanges.length === 1 ? opts.exchanges[0] : undefined,
        timeoutMs: opts.dumpTimeoutMs,
      });
  // A symbols-only memory side (log lines) has no fields to compare.
  const symbolsOnly = dump.header().format === 'ts-debug-log';

  const dbChecks = opts.all ? selectDbChecks([], opts.disabled) : [];
  const snapshot = await openAuditSnapshot(opts, ctx, ['counts', 'open-positions', 'stop-rows', ...dbChecks.map((c) => c.query)]);
  const params = queryParams(opts, now);
  let counts: CountsRow;
  let positions: OpenPositionRow[];
  let rows: StopRow[];
  let dbRows: Map<string, unknown[]>;
  try {
    [counts] = (await snapshot.run<CountsRow>('counts', params)) as [CountsRow];
    // Without --since here: a stop whose open position opened before --since is left out on both sides.
    positions = await snapshot.run<OpenPositionRow>('open-positions', { ...params, since: null });
    rows = await snapshot.run<StopRow>('stop-rows', params);
    dbRows = await fetchRows(snapshot, dbChecks, params);
  } finally {
    await snapshot.close();
  }

  const header = dump.header();
  const diffCtx: DiffContext = {
    dumpedAt: opts.dumpedAt ?? header.dumpedAt,
    priceTolerance: opts.priceTolerance,
    scales: Object.fromEntries(PRICE_COLUMNS.map((c) => [c, snapshot.catalog.scale('trailing_stop_state', c)])),
  };
  const openByKey = new Map(positions.map((p) => [stopKey(p.exchange, p.symbol), p]));
  const rowsByKey = new Map(rows.map((r) => [stopKey(r.exchange, r.symbol), r]));
  const before = (k: string) => {
    const openedAt = openByKey.get(k)?.opened_at;
    return opts.since !== undefined && openedAt != null && openedAt.getTime() < opts.since.getTime();
  };
  for (const k of [...rowsByKey.keys()]) if (before(k)) rowsByKey.delete(k);
  const wanted = (stop: MemoryStop) =>
    (opts.exchanges.length === 0 || opts.exchanges.includes(stop.exchange)) &&
    (opts.symbols.length === 0 || opts.symbols.includes(stop.symbol)) &&
    !before(stopKey(stop.exchange, stop.symbol));
  // Kept only for --all, where restore-loss asks which stops memory has activated.
  const memory = opts.all ? new Map<string, MemoryStop>() : undefined;

  const findings: Finding[] = [];
  const disabled = new Set(opts.disabled);
  let inMemory = 0;
  let matched = 0;
  for await (const stop of dump.stops()) {
    if (!wanted(stop)) continue;
    inMemory += 1;
    const k = stopKey(stop.exchange, stop.symbol);
    memory?.set(k, stop);
    const position = openByKey.get(k);
    const row = rowsByKey.get(k);
    if (!row) {
      if (!disabled.has('missing-in-db')) findings.push(evaluateMissingInDb(stop, position));
      continue;
    }
    matched += 1;
    rowsByKey.delete(k);
    const drift = disabled.has('field-drift') || symbolsOnly ? null : evaluateFieldDrift(stop, row, position, diffCtx);
    if (drift) findings.push(drift);
  }
  if (!disabled.has('missing-in-memory')) {
    for (const [k, row] of rowsByKey) {
      const finding = evaluateMissingInMemory(row, openByKey.get(k), diffCtx);
      if (finding) findings.push(finding);
    }
  }
  findings.push(...evaluateDbChecks(dbChecks, dbRows, { now, thresholds: opts.thresholds, memory }));

  const diffChecks = DIFF_CHECKS.map((c) => c.id).filter((id) => !disabled.has(id) && !(symbolsOnly && id === 'field-drift'));
  const checks = [...diffChecks, ...dbChecks.map((c) => c.id)];
  return assembleReport(
    {
      command: 'diff',
      database: snapshot.info,
      dump: { source: dump.source, format: header.format, dumpedAt: diffCtx.dumpedAt, stops: inMemory },
      counts,
      memory: { stopsInMemory: inMemory, matched, restart: restartCoverage(matched, inMemory) },
      findings,
      checks,
    },
    opts,
    now,
  );
}
