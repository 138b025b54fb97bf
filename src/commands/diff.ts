// ts-audit diff: which open positions would lose their stop. Three things are compared: the open
// positions, the bot's in-memory stops (a state dump) and monitoring.trailing_stop_state. The dump is
// opened while connecting (a bad file is the error, whatever the database), the database is read in one snapshot and
// closed, then the dump's stops are streamed against it: memory holds the rows, never the whole dump.
// With --all, every database check runs in the same snapshot.
import { DB_CHECKS, DIFF_CHECKS } from '../checks/index.js';
import { type DiffContext, type DiffSides, type Finding, stopKey } from '../checks/types.js';
import type { Tolerance } from '../decimal.js';
import type { DiffSummaryRow, OpenPositionRow, StopRow } from '../db/rows.js';
import type { DumpReader, MemoryStop } from '../dump/types.js';
import { journalQueries, journalSpan } from '../journal/read.js';
import { restartPrediction } from '../report/build.js';
import { LIFECYCLE_QUERY, type LifecyclePositionRow, lifecycleRestart, lifecyclesReadable } from '../lifecycles/judge.js';
import { DUMP_SPILL_AT } from '../report/findings.js';
import { PREFETCH_STOPS, prefetched } from '../dump/prefetch.js';
import { setImmediate } from 'node:timers/promises';
import type { Report } from '../report/types.js';
import { asOfNotes, assembleReport, findingStore, prepared } from '../run/assemble.js';
import { evaluateDbChecks, evaluateQueryChecks } from '../run/evaluate.js';
import { inFilter, refuseUnmatched, unmatchedFilters } from '../run/filters.js';
import { type MemoryOptions, journalDoubts, memoryOpensAtOnce, openMemory, readJournal, withMemory } from '../run/memory.js';
import { type AuditOptions, type RunContext, queryParams } from '../run/options.js';
import { RowFeed, fetchRows } from '../run/rows.js';
import { availableChecks, replayChecks, selectDbChecks } from '../run/select.js';
import { connectEarly, inSnapshotWithTail } from '../run/snapshot.js';

export interface DiffOptions extends AuditOptions, MemoryOptions {
  dumpTimeoutMs: number;
  dumpedAt?: Date;
  priceTolerance: Tolerance;
  /** Also run every database check in the same snapshot. */
  all?: boolean;
}

const PRICE_COLUMNS = ['entry_price', 'highest_price', 'lowest_price', 'current_stop_price', 'activation_price', 'quantity'];

export async function runDiff(opts: DiffOptions, ctx: RunContext): Promise<Report> {
  const now = ctx.now();
  // Connecting starts now, while the dump is opened; a bad dump is still the error (the connection is
  // dropped unused). prefetched: the dump's first stops are parsed while the snapshot's queries run,
  // once the session is open (the connection's round trips would each wait for the parsing).
  const early = await connectEarly(opts, ctx, { now: memoryOpensAtOnce(opts) });
  try {
    return await withMemory(await openMemory(opts), (dump) =>
      diffAgainst(dump && prefetched(dump, PREFETCH_STOPS, early.ctx.opening?.settled), opts, early.ctx, now),
    );
  } finally {
    await early.done();
  }
}

async function diffAgainst(dump: DumpReader | undefined, opts: DiffOptions, ctx: RunContext, now: Date): Promise<Report> {
  // A symbols-only memory side (log lines) has no fields to compare.
  const symbolsOnly = dump?.header().format === 'ts-debug-log';

  // With the journal, the checks that judge the replay itself (a session with no event) run too.
  const requested = opts.all ? selectDbChecks([], opts.disabled) : opts.fromEvents ? replayChecks([], opts.disabled) : [];
  // The signal lifecycles of open positions are memory against the table too (the current bot's real
  // exit): judged in every diff, from the dump's lifecycles, the log's, or the journal's prices.
  const lifecycleChecks = opts.all ? [] : selectDbChecks([], opts.disabled).filter((c) => c.query === LIFECYCLE_QUERY);
  const journal = journalQueries(opts);
  const queries = ['diff-summary', 'open-positions', 'stop-rows', 'filter-matches', ...journal, LIFECYCLE_QUERY, ...requested.map((c) => c.query)];
  const params = queryParams(opts, opts.asOf ?? now, ctx.snapshot !== undefined);
  // A dump's diff (no other database check, a snapshot of its own) sends the lifecycle query last and
  // leaves it running: the dump is compared while the server works on it, and its rows are judged as
  // they arrive (each row on its own, so in batches). Otherwise every query is answered first.
  const feed = dump && requested.length === 0 && !ctx.snapshot && lifecycleChecks.every((c) => c.byRow) ? new RowFeed<LifecyclePositionRow>() : undefined;
  const { snapshot, read, closed } = await inSnapshotWithTail(opts, ctx, queries, async (snapshot) => {
    const dbChecks = availableChecks(requested, snapshot.catalog, opts.asOf);
    const span = journal.length ? await journalSpan(snapshot, opts.asOf) : undefined;
    const unmatched = await unmatchedFilters(snapshot, opts, params);
    // Without --since here: a stop whose open position opened before --since is left out on both sides.
    const positions = await snapshot.run<OpenPositionRow>('open-positions', { ...params, since: null });
    const rows = await snapshot.run<StopRow>('stop-rows', params);
    const [summary] = (await snapshot.run<DiffSummaryRow>('diff-summary', params)) as [DiffSummaryRow];
    const dbRows = await fetchRows(snapshot, dbChecks.run, params);
    const readable = lifecyclesReadable(snapshot.catalog, opts.asOf);
    const lifecycleRows =
      readable && !feed
        ? ((dbRows.get(LIFECYCLE_QUERY) as LifecyclePositionRow[] | undefined) ?? (await snapshot.run<LifecyclePositionRow>(LIFECYCLE_QUERY, params)))
        : undefined;
    const side = await readJournal(snapshot, params, opts, span, { rows: async () => rows, positions: async () => positions });
    const tail = readable && feed ? snapshot.run<LifecyclePositionRow>(LIFECYCLE_QUERY, params, feed.push) : undefined;
    if (tail) feed?.follow(tail);
    return { value: { dbChecks, span, unmatched, positions, rows, summary, dbRows, lifecycleRows, lifecycleFeed: tail && feed, side }, tail };
  });
  const compareSides = async (): Promise<Report> => {
    const { dbChecks, span, unmatched, positions, rows, summary, dbRows, lifecycleFeed, side } = read;
    let lifecycleRows = read.lifecycleRows;
    // Without --all, a database without lifecycles (the incident-era bot) has nothing to say about them.
    const lifecycleRun = availableChecks(lifecycleChecks, snapshot.catalog, opts.asOf).run;
    const memorySource = (dump ?? side.replay?.reader) as DumpReader;
    const notes: string[] = [...asOfNotes(opts.asOf), ...(side.replay?.notes ?? [])];
    const hiddenRows = side.replay?.hiddenRows ?? new Set<string>();

    const header = memorySource.header();
    const diffCtx: DiffContext = {
      dumpedAt: opts.dumpedAt ?? header.dumpedAt,
      priceTolerance: opts.priceTolerance,
      scales: Object.fromEntries(PRICE_COLUMNS.map((c) => [c, snapshot.catalog.scale('trailing_stop_state', c)])),
    };
    const openByKey = new Map(positions.map((p) => [stopKey(p.exchange, p.symbol), p]));
    // Rows a later session's start-up wrote are not the moment's (the replay said so in a note).
    const rowsByKey = new Map(rows.filter((r) => !hiddenRows.has(stopKey(r.exchange, r.symbol))).map((r) => [stopKey(r.exchange, r.symbol), r]));
    const since = opts.since?.getTime();
    const before = (k: string) => {
      if (since === undefined) return false;
      const openedAt = openByKey.get(k)?.opened_at;
      return openedAt != null && openedAt.getTime() < since;
    };
    if (since !== undefined) for (const k of [...rowsByKey.keys()]) if (before(k)) rowsByKey.delete(k);
    const wanted = (stop: MemoryStop, k: string) => inFilter(opts.exchanges, stop.exchange) && inFilter(opts.symbols, stop.symbol) && !before(k);
    // Kept only for --all, where the restart simulation asks which stops memory has activated.
    const memory = opts.all ? new Map<string, MemoryStop>() : undefined;
    // The open positions memory has not (yet) shown a stop for: bounded by the database, not the dump.
    const unheld = new Map(openByKey);
    const dumpExchanges = new Set<string>();
    const stillUnmatched = new Set(unmatched);

    // A million-stop dump can make a million findings: they go to a store that spills to disk.
    const store = findingStore(opts, dump ? DUMP_SPILL_AT : undefined);
    const asOf = journalDoubts(opts.asOf, side, rows, span);
    const mark = asOf.mark;
    const add = (finding: Finding) => store.add(mark(finding));
    const disabled = new Set(opts.disabled);
    const diffChecks = DIFF_CHECKS.filter((c) => !disabled.has(c.id) && !(symbolsOnly && c.comparesFields));
    const judge = (sides: DiffSides) => {
      for (const check of diffChecks) {
        const finding = check.evaluate(sides, diffCtx);
        if (finding) add(finding);
      }
    };
    let inMemory = 0;
    let matched = 0;
    for await (const stop of memorySource.stops()) {
      dumpExchanges.add(stop.exchange);
      // The pair's key, made once per stop: every lookup below uses it.
      const k = stopKey(stop.exchange, stop.symbol);
      if (!wanted(stop, k)) continue;
      if (stillUnmatched.size > 0) {
        for (const u of stillUnmatched)
          if (u.value.toLowerCase() === (u.kind === 'exchange' ? stop.exchange : stop.symbol).toLowerCase()) stillUnmatched.delete(u);
      }
      inMemory += 1;
      unheld.delete(k);
      memory?.set(k, stop);
      const row = rowsByKey.get(k);
      if (row) matched += 1;
      rowsByKey.delete(k);
      judge({ stop, row, position: openByKey.get(k), dumpHasExchange: true });
      // The lifecycle rows arriving meanwhile are read off the connection now and then (the dump's
      // stops come from memory as microtasks, which would starve it).
      if (lifecycleFeed && (inMemory & 1023) === 0) await setImmediate();
    }
    refuseUnmatched([...stillUnmatched], 'the database or the dump');
    store.boundedFromHere();

    // The third side: every open position in scope that memory does not hold.
    for (const [k, position] of unheld) {
      if (before(k)) continue;
      judge({ row: rowsByKey.get(k), position, dumpHasExchange: dumpExchanges.has(position.exchange) });
    }
    const lifecycles = memorySource.lifecycles?.();
    const auditCtx = { now: opts.asOf ?? now, thresholds: opts.thresholds, memory, lifecycles };
    if (lifecycleFeed) {
      // Judged once memory's lifecycles are known (the whole dump read), as the rows come.
      for await (const batch of lifecycleFeed.batches())
        for (const f of prepared(opts, evaluateQueryChecks(lifecycleRun, LIFECYCLE_QUERY, batch, auditCtx))) add(f);
      lifecycleRows = lifecycleFeed.rows;
    }
    if (lifecycleRows && !lifecycleFeed) dbRows.set(LIFECYCLE_QUERY, lifecycleRows);
    for (const f of evaluateDbChecks([...dbChecks.run, ...(lifecycleFeed ? [] : lifecycleRun)], dbRows, auditCtx)) add(f);
    // Database checks that can judge a row as read here (a NaN or Infinity in it) do so even without
    // --all; with --all their own query already did.
    for (const check of DB_CHECKS.filter((c) => c.evaluateStopRow && !dbChecks.run.includes(c) && !disabled.has(c.id))) {
      for (const row of rows) {
        const finding = before(stopKey(row.exchange, row.symbol)) ? null : (check.evaluateStopRow?.(row) ?? null);
        if (finding) add(finding);
      }
    }

    notes.push(...asOf.notes);
    return assembleReport(
      {
        command: 'diff',
        database: snapshot.info,
        dump: { source: memorySource.source, format: header.format, dumpedAt: diffCtx.dumpedAt, stops: inMemory },
        counts: { open_positions: summary.open_positions, stops_in_db: summary.stops_in_db },
        memory: { stopsInMemory: inMemory, matched },
        restart: restartPrediction(Number(summary.restored), Number(summary.open_positions), lifecycleRows && lifecycleRestart(lifecycleRows, lifecycles)),
        findings: store,
        checks: [...diffChecks, ...dbChecks.run, ...lifecycleRun].map((c) => c.id),
        skipped: dbChecks.skipped,
        notes,
      },
      opts,
      now,
    );
  };
  try {
    const report = await compareSides();
    await closed;
    return report;
  } catch (err) {
    // The queries' outcome first, as when every query was answered before the dump was compared.
    await closed;
    throw err;
  }
}
