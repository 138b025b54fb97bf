// The commands that read the database alone: timestamps, entry-mismatch, orphans, recreated,
// restore and check. Each is a set of checks plus, for timestamps and restore, a table of every open
// position; all share one runner and the report contract of `diff`.
import { checksOfCommand } from '../checks/index.js';
import { type Finding, stopKey } from '../checks/types.js';
import type { DiffSummaryRow, OpenPositionRow, RestoreRow, StopRow, TimestampRow } from '../db/rows.js';
import { DEFAULT_FLUSH_MS, type DeletedRow, type Uncertainty, asOfUncertainty, deletedSince, journalMemory, journalQueries, journalSpan, mergeUncertainty, uncertaintyMarker } from '../journal/read.js';
import type { JournalSpan } from '../journal/replay.js';
import { DB_CHECKS } from '../checks/index.js';
import { openDump } from '../dump/read.js';
import { DEFAULT_DUMP_TIMEOUT_MS } from '../dump/source.js';
import type { MemoryStop } from '../dump/types.js';
import { formatSpan } from '../duration.js';
import {
  LIFECYCLE_QUERY,
  type LifecyclePositionRow,
  type MemoryLifecycles,
  judgeLifecycle,
  lifecycleRestart,
  lifecyclesReadable,
  memoryLifecycle,
} from '../lifecycles/judge.js';
import { restartPrediction } from '../report/build.js';
import { comparePairs } from '../report/findings.js';
import type { Burst, Report } from '../report/types.js';
import {
  type AuditOptions,
  type CountsRow,
  type FilterValue,
  type RunContext,
  asOfNotes,
  assembleReport,
  availableChecks,
  commandChecks,
  evaluateDbChecks,
  evaluateQueryChecks,
  fetchRows,
  openAuditSnapshot,
  queryParams,
  refuseUnmatched,
  unmatchedFilters,
} from './audit.js';

export interface DbCommandOptions extends AuditOptions {
  /** `check`: the checks to run (all when empty). */
  checks?: string[];
  /** `restore`: a state dump, so that stops activated in memory are weighed (critical when lost). */
  dump?: string;
  /** `restore`: the memory side from the event journal instead of a dump. */
  fromEvents?: boolean;
  flushMs?: number;
  dumpTimeoutMs?: number;
  dumpMaxBytes?: number;
  displayTimezone?: string;
}

/** What `counts` returns, or `diff-summary` with the restored count of the restart line. */
type SummaryRow = CountsRow & Partial<Pick<DiffSummaryRow, 'restored'>>;

/** The investigation commands; each runs the checks that name it (`check` runs them all). */
export const DB_COMMANDS = ['timestamps', 'entry-mismatch', 'orphans', 'recreated', 'restore', 'check'] as const;
export type DbCommand = (typeof DB_COMMANDS)[number];

/** The query of a command's checks whose rows make its table (timestamps, restore): run even when the checks are disabled. */
function tableQuery(command: 'timestamps' | 'restore'): string {
  // The lifecycle checks of `restore` add a column to its table, not a table of their own.
  const queries = new Set(checksOfCommand(command).map((c) => c.query).filter((q) => q !== LIFECYCLE_QUERY));
  if (queries.size !== 1) throw new Error(`the checks of ${command} must read one query, not ${queries.size}`);
  return [...queries][0] as string;
}

export async function runDbCommand(command: DbCommand, opts: DbCommandOptions, ctx: RunContext): Promise<Report> {
  const now = ctx.now();
  const dumped = opts.dump ? await readMemory(opts) : undefined;
  let memory = dumped?.stops;
  const chosen = commandChecks(command, opts.checks ?? [], opts.disabled);
  // With the journal, the checks that judge the replay itself (a session with no event) run too.
  const checks = opts.fromEvents ? [...chosen, ...DB_CHECKS.filter((c) => c.withReplay && !chosen.includes(c) && !opts.disabled.includes(c.id))] : chosen;
  const restoreQuery = tableQuery('restore');
  const timestampQuery = tableQuery('timestamps');
  const ownTable = command === 'timestamps' || command === 'restore' ? tableQuery(command) : undefined;
  const detailQuery = ownTable ?? (checks.some((c) => c.query === restoreQuery) ? restoreQuery : undefined);
  // stop-rows for --as-of too: a row saved again after the moment makes its findings uncertain.
  const journal = [...journalQueries(opts), ...(opts.fromEvents ? ['stop-rows', 'open-positions'] : opts.asOf ? ['stop-rows'] : [])];
  // Without the restore table and without memory to weigh restored stops, the checks of `restore` need
  // only the rows they can report; the restart line then counts the restored ones in `diff-summary`.
  const notableOnly = detailQuery === restoreQuery && command !== 'restore' && !memory && !opts.fromEvents && !ctx.snapshot;
  const summaryQuery = notableOnly ? 'diff-summary' : 'counts';
  // The restart line weighs the signal lifecycles too (the current bot's real exit), where the database has them.
  const queries = [...new Set([summaryQuery, 'filter-matches', ...journal, ...checks.map((c) => c.query), ...(detailQuery ? [detailQuery] : []), ...(detailQuery === restoreQuery ? [LIFECYCLE_QUERY] : [])])];

  const snapshot = await openAuditSnapshot(opts, ctx, queries);
  const params = {
    ...queryParams(opts, opts.asOf ?? now, ctx.snapshot !== undefined),
    ...(command === 'timestamps' ? { late_only: false } : {}),
    notable_only: notableOnly,
  };
  const { run, skipped } = availableChecks(checks, snapshot.catalog, opts.asOf);
  const notes = asOfNotes(opts.asOf);
  let counts: SummaryRow;
  let rows: Map<string, object[]>;
  let unmatched: FilterValue[];
  let deleted: DeletedRow[] = [];
  let span: JournalSpan | undefined;
  let stopRows: StopRow[] = [];
  let replayUncertainty: Uncertainty = { byKey: new Map(), all: [] };
  const evaluated: Finding[] = [];
  try {
    span = journal.length ? await journalSpan(snapshot, opts.asOf) : undefined;
    unmatched = await unmatchedFilters(snapshot, opts, params);
    [counts] = (await snapshot.run<SummaryRow>(summaryQuery, params)) as [SummaryRow];
    // Without --from-events, memory is known before the queries run: each query's checks are
    // evaluated while the next query runs.
    const early = opts.fromEvents ? undefined : { now: opts.asOf ?? now, thresholds: opts.thresholds, memory, lifecycles: dumped?.lifecycles };
    rows = await fetchRows(snapshot, run, params, early && ((query, answered) => evaluated.push(...evaluateQueryChecks(run, query, answered, early))));
    if (detailQuery && !rows.has(detailQuery)) rows.set(detailQuery, await snapshot.run(detailQuery, params));
    if (detailQuery === restoreQuery && !rows.has(LIFECYCLE_QUERY) && lifecyclesReadable(snapshot.catalog, opts.asOf)) {
      rows.set(LIFECYCLE_QUERY, await snapshot.run(LIFECYCLE_QUERY, params));
    }
    if (opts.asOf) deleted = await deletedSince(snapshot, params, span);
    if (opts.fromEvents || opts.asOf) stopRows = await snapshot.run<StopRow>('stop-rows', params);
    if (opts.fromEvents && span) {
      const positions = await snapshot.run<OpenPositionRow>('open-positions', { ...params, since: null });
      const replayed = await journalMemory(snapshot, params, span, opts.asOf, stopRows, positions, opts.flushMs ?? DEFAULT_FLUSH_MS);
      memory = new Map();
      for await (const stop of replayed.reader.stops()) memory.set(stopKey(stop.exchange, stop.symbol), stop);
      notes.push(...replayed.notes);
      replayUncertainty = replayed.uncertainty;
    }
  } finally {
    await snapshot.close();
  }
  refuseUnmatched(unmatched, 'the database');

  const found = opts.fromEvents ? evaluateDbChecks(run, rows, { now: opts.asOf ?? now, thresholds: opts.thresholds, memory, lifecycles: dumped?.lifecycles }) : evaluated;
  const asOf = asOfUncertainty(opts.asOf, deleted, stopRows, span);
  notes.push(...asOf.notes);
  const mark = uncertaintyMarker(mergeUncertainty(replayUncertainty, asOf.uncertainty));
  const findings = found.map(mark);
  const timestampRows = rows.get(timestampQuery) as TimestampRow[] | undefined;
  const restoreRows = rows.get(restoreQuery) as RestoreRow[] | undefined;
  const lifecycleRows = rows.get(LIFECYCLE_QUERY) as LifecyclePositionRow[] | undefined;
  const lifecycles = lifecycleRows && lifecycleRestart(lifecycleRows, dumped?.lifecycles);
  const lifecycleText = new Map(
    (lifecycleRows ?? []).map((r) => [stopKey(r.exchange, r.symbol), judgeLifecycle(r, memoryLifecycle(dumped?.lifecycles, r.exchange, r.symbol)).outcome]),
  );
  return assembleReport(
    {
      command,
      database: snapshot.info,
      counts,
      findings,
      checks: run.map((c) => c.id),
      skipped,
      notes,
      restart: notableOnly
        ? restartPrediction(Number(counts.restored), Number(counts.open_positions), lifecycles)
        : restoreRows
          ? restartPrediction(restoreRows.filter((r) => r.outcome === 'restored').length, restoreRows.length, lifecycles)
          : undefined,
      // The per-position tables belong to their own commands; `check` keeps only the burst call-out.
      details:
        timestampRows || (restoreRows && command === 'restore')
          ? {
              ...(timestampRows && command === 'timestamps' ? { timestamps: timestampDetails(timestampRows) } : {}),
              ...(timestampRows ? { burst: findBurst(timestampRows) } : {}),
              ...(restoreRows && command === 'restore'
                ? {
                    // Sorted here, for this table only: restore.sql leaves its rows unsorted, since every
                    // other reader (check, rescue, report's checks) would pay for a sort of all open positions.
                    restore: [...restoreRows]
                      .sort(comparePairs)
                      .map((r) => {
                        const lifecycle = lifecycleText.get(stopKey(r.exchange, r.symbol));
                        return { exchange: r.exchange, symbol: r.symbol, positionId: r.position_id, outcome: r.outcome, reason: r.reason, ...(lifecycle ? { lifecycle } : {}) };
                      }),
                  }
                : {}),
              ...(opts.displayTimezone ? { displayTimezone: opts.displayTimezone } : {}),
            }
          : undefined,
    },
    opts,
    now,
  );
}

async function readMemory(opts: DbCommandOptions): Promise<{ stops: Map<string, MemoryStop>; lifecycles?: MemoryLifecycles }> {
  const dump = await openDump(opts.dump as string, {
    exchange: opts.exchanges.length === 1 ? opts.exchanges[0] : undefined,
    timeoutMs: opts.dumpTimeoutMs ?? DEFAULT_DUMP_TIMEOUT_MS,
    maxBytes: opts.dumpMaxBytes,
  });
  const memory = new Map<string, MemoryStop>();
  try {
    for await (const stop of dump.stops()) memory.set(stopKey(stop.exchange, stop.symbol), stop);
    return { stops: memory, lifecycles: dump.lifecycles?.() };
  } finally {
    await dump.close?.();
  }
}

function timestampDetails(rows: TimestampRow[]) {
  return rows.map((r) => ({
    exchange: r.exchange,
    symbol: r.symbol,
    positionId: r.position_id,
    positionOpenedAt: r.opened_at,
    stopCreatedAt: r.stop_created_at,
    lagSeconds: r.lag_seconds === null ? null : Number(r.lag_seconds),
    late: r.late,
  }));
}

/** The largest group (3 or more) of late rows created within the same minute. */
export function findBurst(rows: TimestampRow[]): Burst | null {
  const byMinute = new Map<number, TimestampRow[]>();
  for (const r of rows) {
    if (!r.late || !r.stop_created_at) continue;
    const minute = Math.floor(r.stop_created_at.getTime() / 60_000) * 60_000;
    byMinute.set(minute, [...(byMinute.get(minute) ?? []), r]);
  }
  const [minute, group] = [...byMinute].sort((a, b) => b[1].length - a[1].length)[0] ?? [0, []];
  if (group.length < 3) return null;
  const lags = group.map((r) => Number(r.lag_seconds));
  const min = Math.min(...lags);
  const max = Math.max(...lags);
  const at = new Date(minute).toISOString().slice(0, 16).replace('T', ' ');
  return {
    minute: new Date(minute),
    stops: group.length,
    minLagSeconds: min,
    maxLagSeconds: max,
    text:
      `${group.length} stop rows were created within one minute (${at} UTC), ${formatSpan(min)} to ${formatSpan(max)} after their ` +
      'positions opened: the signature of stops recreated at a restart, not saved at open',
  };
}
