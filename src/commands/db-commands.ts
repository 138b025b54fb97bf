// The commands that read the database alone: timestamps, entry-mismatch, orphans, recreated,
// restore and check. Each is a set of checks plus, for timestamps and restore, a table of every open
// position; all share one runner and the report contract of `diff`.
import { checksOfCommand } from '../checks/index.js';
import { type Finding, stopKey } from '../checks/types.js';
import type { DiffSummaryRow, OpenPositionRow, RestoreRow, StopRow, TimestampRow } from '../db/rows.js';
import { journalQueries, journalSpan } from '../journal/read.js';
import { formatSpan } from '../duration.js';
import { LIFECYCLE_QUERY, type LifecyclePositionRow, judgeLifecycle, lifecycleRestart, lifecyclesReadable, memoryLifecycle } from '../lifecycles/judge.js';
import { restartPrediction } from '../report/build.js';
import { comparePairs } from '../report/findings.js';
import type { Burst, Report } from '../report/types.js';
import { asOfNotes, assembleReport, prepared } from '../run/assemble.js';
import { evaluateDbChecks, evaluateQueryChecksInBatches } from '../run/evaluate.js';
import { refuseUnmatched, unmatchedFilters } from '../run/filters.js';
import { type MemoryOptions, journalDoubts, memoryByKey, once, openMemory, readJournal, withMemory } from '../run/memory.js';
import { type AuditOptions, type CountsRow, type RunContext, queryParams } from '../run/options.js';
import { fetchRows } from '../run/rows.js';
import { availableChecks, commandChecks, replayChecks } from '../run/select.js';
import { connectEarly, inSnapshot } from '../run/snapshot.js';
import { maxOf, minOf, pushAll } from '../arrays.js';

export interface DbCommandOptions extends AuditOptions, Omit<MemoryOptions, 'exchanges' | 'dumpLog' | 'logTimezone'> {
  /** `check`: the checks to run (all when empty). */
  checks?: string[];
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
  const queries = new Set(
    checksOfCommand(command)
      .map((c) => c.query)
      .filter((q) => q !== LIFECYCLE_QUERY),
  );
  if (queries.size !== 1) throw new Error(`the checks of ${command} must read one query, not ${queries.size}`);
  return [...queries][0] as string;
}

export async function runDbCommand(command: DbCommand, opts: DbCommandOptions, given: RunContext): Promise<Report> {
  // Connecting starts now, while the checks are chosen; not when a dump (restore's) is read whole first.
  const early = await connectEarly(opts, given, { now: !opts.dump });
  try {
    return await runWith(command, opts, early.ctx);
  } finally {
    await early.done();
  }
}

async function runWith(command: DbCommand, opts: DbCommandOptions, ctx: RunContext): Promise<Report> {
  const now = ctx.now();
  // `restore` with a dump weighs the stops memory holds (a stop activated in memory is critical when lost).
  const dumped = opts.dump
    ? await withMemory(await openMemory({ ...opts, fromEvents: false }), (dump) => memoryByKey(dump as NonNullable<typeof dump>))
    : undefined;
  const chosen = commandChecks(command, opts.checks ?? [], opts.disabled);
  // With the journal, the checks that judge the replay itself (a session with no event) run too.
  const checks = opts.fromEvents ? [...chosen, ...replayChecks(chosen, opts.disabled)] : chosen;
  const restoreQuery = tableQuery('restore');
  const timestampQuery = tableQuery('timestamps');
  const ownTable = command === 'timestamps' || command === 'restore' ? tableQuery(command) : undefined;
  const detailQuery = ownTable ?? (checks.some((c) => c.query === restoreQuery) ? restoreQuery : undefined);
  // stop-rows for --as-of too: a row saved again after the moment makes its findings uncertain.
  const journal = [...journalQueries(opts), ...(opts.fromEvents ? ['stop-rows', 'open-positions'] : opts.asOf ? ['stop-rows'] : [])];
  // notable_only: without the restore table and without memory to weigh restored stops, the checks of
  // `restore` need only the rows they can report; the restart line then counts the restored ones in `diff-summary`.
  const notableOnly = detailQuery === restoreQuery && command !== 'restore' && !dumped && !opts.fromEvents && !ctx.snapshot;
  const summaryQuery = notableOnly ? 'diff-summary' : 'counts';
  // The restart line weighs the signal lifecycles too (the current bot's real exit), where the database has them.
  const queries = [
    ...new Set([
      summaryQuery,
      'filter-matches',
      ...journal,
      ...checks.map((c) => c.query),
      ...(detailQuery ? [detailQuery] : []),
      ...(detailQuery === restoreQuery ? [LIFECYCLE_QUERY] : []),
    ]),
  ];

  const params = {
    ...queryParams(opts, opts.asOf ?? now, ctx.snapshot !== undefined),
    ...(command === 'timestamps' ? { late_only: false } : {}),
    notable_only: notableOnly,
  };
  const { snapshot, read } = await inSnapshot(opts, ctx, queries, async (snapshot) => {
    const { run, skipped } = availableChecks(checks, snapshot.catalog, opts.asOf);
    const span = journal.length ? await journalSpan(snapshot, opts.asOf) : undefined;
    const unmatched = await unmatchedFilters(snapshot, opts, params);
    const [counts] = (await snapshot.run<SummaryRow>(summaryQuery, params)) as [SummaryRow];
    // Without --from-events, memory is known before the queries run: each query's checks are
    // evaluated while the next query runs (fetchRows' onRows).
    const evaluated: Finding[] = [];
    const early = opts.fromEvents ? undefined : { now: opts.asOf ?? now, thresholds: opts.thresholds, memory: dumped?.stops, lifecycles: dumped?.lifecycles };
    const rows = await fetchRows(
      snapshot,
      run,
      params,
      early && ((query, answered) => evaluateQueryChecksInBatches(run, query, answered, early, (found) => pushAll(evaluated, prepared(opts, found)))),
    );
    if (detailQuery && !rows.has(detailQuery)) rows.set(detailQuery, await snapshot.run(detailQuery, params));
    if (detailQuery === restoreQuery && !rows.has(LIFECYCLE_QUERY) && lifecyclesReadable(snapshot.catalog, opts.asOf)) {
      rows.set(LIFECYCLE_QUERY, await snapshot.run(LIFECYCLE_QUERY, params));
    }
    const stopRows = once(() => snapshot.run<StopRow>('stop-rows', params));
    const side = await readJournal(snapshot, params, opts, span, {
      rows: stopRows,
      positions: () => snapshot.run<OpenPositionRow>('open-positions', { ...params, since: null }),
    });
    return { run, skipped, span, unmatched, counts, evaluated, rows, side, stopRows: opts.fromEvents || opts.asOf ? await stopRows() : [] };
  });
  const { run, skipped, span, unmatched, counts, evaluated, rows, side, stopRows } = read;
  refuseUnmatched(unmatched, 'the database');

  let memory = dumped?.stops;
  if (side.replay) memory = (await memoryByKey(side.replay.reader)).stops;
  const notes = [...asOfNotes(opts.asOf), ...(side.replay?.notes ?? [])];
  const found = opts.fromEvents
    ? evaluateDbChecks(run, rows, { now: opts.asOf ?? now, thresholds: opts.thresholds, memory, lifecycles: dumped?.lifecycles })
    : evaluated;
  const asOf = journalDoubts(opts.asOf, side, stopRows, span);
  notes.push(...asOf.notes);
  const findings = found.map(asOf.mark);
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
                    restore: [...restoreRows].sort(comparePairs).map((r) => {
                      const lifecycle = lifecycleText.get(stopKey(r.exchange, r.symbol));
                      return {
                        exchange: r.exchange,
                        symbol: r.symbol,
                        positionId: r.position_id,
                        outcome: r.outcome,
                        reason: r.reason,
                        ...(lifecycle ? { lifecycle } : {}),
                      };
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
  const min = minOf(lags);
  const max = maxOf(lags);
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
