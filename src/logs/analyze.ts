// What the bot's logs say about its trailing stops: each restart ("Initializing trailing stops for
// loaded positions") with the stops it restored, created new, failed or timed out on; save failures
// by symbol and time; and the latest set of symbols each exchange manager held in memory
// ([TS_DEBUG] lines). Memory stays bounded: every restart is counted, the last 1,000 are kept one by
// one, and only the last 50 keep their symbol lists.
import { type LifecycleLog, LifecycleTracker } from './lifecycles.js';

export type { LifecycleLog, LifecyclePersistFailure, LostActivation } from './lifecycles.js';
import type { LogRecord } from './parse.js';

export interface Restart {
  at: Date;
  local: string;
  file: string;
  line: number;
  counts: { restored: number; createdNew: number; failed: number; timedOut: number; deleted: number };
  /** Symbols by outcome; kept only for the last RESTARTS_WITH_SYMBOLS restarts. */
  symbols?: { restored: string[]; createdNew: string[]; failed: string[]; timedOut: string[]; deleted: string[] };
}

export type SaveFailureKind = 'pool-not-initialized' | 'save-failed' | 'position-not-found' | 'retrying';

/** What a symbol's failed saves lost, from what the logs show of its stop before them. */
export type SaveLoss = 'never-saved' | 'activated' | 'updates-only' | 'unknown';

export interface SaveFailure {
  symbol: string;
  count: number;
  first: Date;
  last: Date;
  kinds: Partial<Record<SaveFailureKind, number>>;
  /** When a later "TS state saved on retry" was logged for the symbol, after its last failure. */
  recoveredAt: Date | null;
  example: string;
  loss: SaveLoss;
}

/** A row deletion that failed when a position closed: the row stays behind (docs/bot.md#two-versions-of-the-bot). */
export interface DeleteFailure {
  symbol: string;
  count: number;
  last: Date;
  /** The bot then logged "TS removed from memory AND database" anyway. */
  falseSuccess: boolean;
  example: string;
}

/** A stop the bot failed to create outside a restart: the position trails nothing. */
export interface CreationFailure {
  symbol: string;
  count: number;
  last: Date;
  kind: 'failed' | 'timed-out';
  example: string;
}

/**
 * Where the bot's event journal lost events: a session whose EventLogger never started (no journal
 * at all), or batches whose INSERT failed and were dropped, merged while they follow each other.
 */
export interface JournalLoss {
  kind: 'init-failed' | 'batch-dropped';
  first: Date;
  last: Date;
  /** Failures merged into this one. */
  count: number;
  /** Events dropped (batch-dropped); null when a line did not say. */
  events: number | null;
  example: string;
}

export interface MemorySet {
  exchange: string;
  at: Date;
  symbols: string[];
}

export interface LogAnalysis {
  files: string[];
  records: number;
  firstAt: Date | null;
  lastAt: Date | null;
  /** The most recent RESTARTS_KEPT restarts, oldest first. */
  restarts: Restart[];
  /** Every restart in the logs, counted. */
  restartCount: number;
  restartTotals: Restart['counts'];
  saveFailures: SaveFailure[];
  deleteFailures: DeleteFailure[];
  creationFailures: CreationFailure[];
  /** The journal's losses, oldest first (the last JOURNAL_LOSSES_KEPT). */
  journalLosses: JournalLoss[];
  /** Per symbol: how many restarts lost its stop, and the outcome of the latest one that did. */
  restoreLosses: { symbol: string; restarts: number; lastAt: Date; lastOutcome: string }[];
  memory: MemorySet[];
  /** The current bot's signal lifecycles (core.signal_lifecycle); absent from analyses made before them. */
  lifecycles?: LifecycleLog;
  /** Lines longer than the reader's cap (logs/parse.ts): read in part, counted here. */
  longLines?: number;
}

export const RESTARTS_WITH_SYMBOLS = 50;
export const JOURNAL_LOSSES_KEPT = 1000;
/** Dropped batches this close to the previous one are one loss. */
const BATCH_RUN_MS = 10 * 60_000;
/** Restarts kept one by one; older ones survive only in restartCount and restartTotals, so memory stays flat. */
export const RESTARTS_KEPT = 1000;

const P = '^(?:[^\\w\\s]+\\s+)?'; // an optional emoji, as the bot prefixes its messages
/**
 * A restart's outcome lines come in one burst after its start (one per loaded position; a timeout
 * takes seconds). The restart is over once this long passes without one: a creation that fails later
 * is a position opened afterwards, not a restart's outcome. Not the first [TS_DEBUG] line: position
 * updates may interleave with the initialisation.
 */
export const RESTART_QUIET_MS = 2 * 60_000;
/** A save failing this soon after the stop was created is its first save: the stop never got a row. */
const FIRST_SAVE_MS = 30_000;
const re = (body: string) => new RegExp(P + body);
const PATTERNS = {
  init: /Initializing trailing stops for loaded positions/,
  restored: re('(\\S+): TS state restored from DB\\s*$'),
  createdNew: re('(\\S+): New TS created \\(no state in DB\\)'),
  errorInit: re('Error initializing trailing stop for (\\S+?):'),
  timedOut: re('Timeout creating trailing stop for (\\S+) - continuing without TS'),
  failedCreate: re('Failed to create trailing stop for (\\S+?):'),
  deleted: re('(\\S+): TS state exists in DB but no position on exchange - deleting stale TS state'),
  pool: re('(\\S+): Repository pool not initialized!'),
  saveFailed: re('(\\S+): Failed to save TS state:'),
  repoSaveFailed: re('Failed to save TS state for (\\S+?):'),
  noPosition: re('(\\S+): Position not found in DB, cannot save TS state'),
  retrying: re('(\\S+): Initial TS save failed, retrying with backoff'),
  savedOnRetry: re('(\\S+): TS state saved on retry #\\d+'),
  deleteFailed: re('(\\S+): Position closed, TS removed from memory BUT database deletion FAILED'),
  repoDeleteFailed: re('Failed to delete TS state for (\\S+?):'),
  closedAndDeleted: re('(\\S+): Position closed, TS removed from memory AND database'),
  sideMismatch: re('(\\S+): SIDE MISMATCH DETECTED'),
  created: re('(\\S+): TS CREATED\\b'),
  activated: /(?:^(?:[^\w\s]+\s+)?(\S+): TS ACTIVATED\b|Trailing stop activated for (\S+?)\s*$)/,
  rowRestored: re('(\\S+): TS state RESTORED from DB'),
  loggerFailed: /EventLogger initialization failed\b/,
  batchDropped: /EventLogger batch write failed(?: \((\d+) events?\))?/,
  // Both shapes the bot writes: with and without "Trailing manager exists: …", and a manager that
  // does not exist (no symbol list: it holds nothing).
  tsDebug: /\[TS_DEBUG\] Exchange: ([^,\s]+),(?: Trailing manager exists: (\w+),?)?(?: TS symbols in memory: \[(.*)\])?/,
};

const LOSS_RANK: Record<SaveLoss, number> = { 'updates-only': 0, unknown: 1, activated: 2, 'never-saved': 2 };

interface SymbolState {
  createdAt: Date | null;
  activated: boolean;
  /** A row is known to exist (restored from it, or saved on retry). */
  hasRow: boolean;
}

export async function analyzeLogs(files: string[], records: AsyncIterable<LogRecord>): Promise<LogAnalysis> {
  let restarts: Restart[] = [];
  let restartCount = 0;
  const totals: Restart['counts'] = { restored: 0, createdNew: 0, failed: 0, timedOut: 0, deleted: 0 };
  const failures = new Map<string, SaveFailure>();
  const deletes = new Map<string, DeleteFailure>();
  const creations = new Map<string, CreationFailure>();
  let journalLosses: JournalLoss[] = [];
  const losses = new Map<string, { symbol: string; restarts: number; lastAt: Date; lastOutcome: string }>();
  const memory = new Map<string, MemorySet>();
  const stops = new Map<string, SymbolState>();
  let current: Restart | undefined;
  let lastOutcomeAt = 0;
  /** Symbols whose row this restart deleted for a side mismatch: their "new TS" is that deletion, counted once. */
  let mismatched = new Set<string>();
  let count = 0;
  let firstAt: Date | null = null;
  let lastAt: Date | null = null;
  const lifecycles = new LifecycleTracker();

  const stateOf = (symbol: string) => {
    let st = stops.get(symbol);
    if (!st) stops.set(symbol, (st = { createdAt: null, activated: false, hasRow: false }));
    return st;
  };
  const example = (r: LogRecord) => `${r.local} ${r.logger} ${r.level} ${r.message.split('\n')[0]}`.slice(0, 300);
  const outcome = (kind: keyof Restart['counts'], symbol: string, at: Date) => {
    if (!current) return;
    lastOutcomeAt = at.getTime();
    current.counts[kind] += 1;
    totals[kind] += 1;
    current.symbols?.[kind].push(symbol);
    if (kind !== 'restored') {
      const l = losses.get(symbol) ?? { symbol, restarts: 0, lastAt: at, lastOutcome: kind };
      l.restarts += 1;
      l.lastAt = at;
      l.lastOutcome = kind;
      losses.set(symbol, l);
    }
  };
  const failure = (kind: SaveFailureKind, symbol: string, r: LogRecord) => {
    const st = stateOf(symbol);
    const f = failures.get(symbol) ?? { symbol, count: 0, first: r.at, last: r.at, kinds: {}, recoveredAt: null, example: '', loss: 'unknown' as SaveLoss };
    const firstSave = kind === 'retrying' || (st.createdAt !== null && !st.hasRow && r.at.getTime() - st.createdAt.getTime() <= FIRST_SAVE_MS && f.count === 0);
    f.count += 1;
    f.last = r.at;
    f.kinds[kind] = (f.kinds[kind] ?? 0) + 1;
    f.recoveredAt = null;
    if (!f.example) f.example = example(r);
    // The worst of what the failures lost: a stop that never got a row or was activated in memory;
    // else, when nothing in the logs shows the stop's row, not knowing; else the row's updates only.
    const loss: SaveLoss = firstSave ? 'never-saved' : st.activated ? 'activated' : st.hasRow || st.createdAt !== null ? 'updates-only' : 'unknown';
    if (f.count === 1 || LOSS_RANK[loss] > LOSS_RANK[f.loss]) f.loss = loss;
    failures.set(symbol, f);
  };
  const creationFailure = (kind: CreationFailure['kind'], symbol: string, r: LogRecord) => {
    const c = creations.get(symbol) ?? { symbol, count: 0, last: r.at, kind, example: '' };
    c.count += 1;
    c.last = r.at;
    c.kind = kind;
    c.example = example(r);
    creations.set(symbol, c);
  };

  for await (const r of records) {
    count += 1;
    firstAt ??= r.at;
    lastAt = r.at;
    if (current && r.at.getTime() - lastOutcomeAt > RESTART_QUIET_MS) current = undefined;
    const m = r.message.split('\n', 1)[0] ?? '';
    let x: RegExpExecArray | null;
    if (r.logger.includes('lifecycle') && lifecycles.record(r, m, example(r))) continue;
    if (m.includes('EventLogger') && (PATTERNS.loggerFailed.test(m) || PATTERNS.batchDropped.test(m))) {
      const dropped = PATTERNS.batchDropped.exec(m);
      const events = dropped?.[1] === undefined ? null : Number(dropped[1]);
      const last = journalLosses.at(-1);
      if (dropped && last?.kind === 'batch-dropped' && r.at.getTime() - last.last.getTime() <= BATCH_RUN_MS) {
        last.count += 1;
        last.last = r.at;
        last.events = last.events === null || events === null ? null : last.events + events;
      } else {
        journalLosses.push({ kind: dropped ? 'batch-dropped' : 'init-failed', first: r.at, last: r.at, count: 1, events, example: example(r) });
        if (journalLosses.length >= 2 * JOURNAL_LOSSES_KEPT) journalLosses = journalLosses.slice(-JOURNAL_LOSSES_KEPT);
      }
    } else if (PATTERNS.init.test(m)) {
      lifecycles.restart(r.at);
      current = {
        at: r.at,
        local: r.local,
        file: r.file,
        line: r.line,
        counts: { restored: 0, createdNew: 0, failed: 0, timedOut: 0, deleted: 0 },
        symbols: { restored: [], createdNew: [], failed: [], timedOut: [], deleted: [] },
      };
      mismatched = new Set();
      lastOutcomeAt = r.at.getTime();
      stops.clear(); // a restart builds memory anew
      restarts.push(current);
      restartCount += 1;
      const old = restarts[restarts.length - 1 - RESTARTS_WITH_SYMBOLS];
      if (old) delete old.symbols;
      if (restarts.length >= 2 * RESTARTS_KEPT) restarts = restarts.slice(-RESTARTS_KEPT);
    } else if ((x = PATTERNS.tsDebug.exec(m))) {
      const exchange = x[1] ?? '';
      const exists = x[2] === undefined || x[2] === 'True';
      if (x[3] !== undefined || !exists) {
        const symbols = [...(x[3] ?? '').matchAll(/'([^']*)'|"([^"]*)"/g)].map((s) => s[1] ?? s[2] ?? '');
        memory.set(exchange, { exchange, at: r.at, symbols });
      }
    } else if ((x = PATTERNS.sideMismatch.exec(m))) {
      const symbol = x[1] ?? '';
      if (current && !mismatched.has(symbol)) {
        mismatched.add(symbol);
        outcome('deleted', symbol, r.at);
      }
    } else if (r.logger === 'core.position_manager' && (x = PATTERNS.restored.exec(m))) {
      const symbol = x[1] ?? '';
      stateOf(symbol).hasRow = true;
      if (!mismatched.has(symbol)) outcome('restored', symbol, r.at);
    } else if ((x = PATTERNS.rowRestored.exec(m))) stateOf(x[1] ?? '').hasRow = true;
    else if ((x = PATTERNS.createdNew.exec(m))) {
      const symbol = x[1] ?? '';
      Object.assign(stateOf(symbol), { createdAt: r.at, activated: false, hasRow: false });
      if (!mismatched.has(symbol)) outcome('createdNew', symbol, r.at);
    } else if ((x = PATTERNS.created.exec(m))) {
      const st = stateOf(x[1] ?? '');
      st.createdAt = r.at;
      st.activated = false;
      st.hasRow = false;
    } else if ((x = PATTERNS.activated.exec(m))) stateOf(x[1] ?? x[2] ?? '').activated = true;
    else if ((x = PATTERNS.timedOut.exec(m))) {
      if (current) outcome('timedOut', x[1] ?? '', r.at);
      else creationFailure('timed-out', x[1] ?? '', r);
    } else if ((x = PATTERNS.errorInit.exec(m) ?? PATTERNS.failedCreate.exec(m))) {
      if (current) outcome('failed', x[1] ?? '', r.at);
      else creationFailure('failed', x[1] ?? '', r);
    } else if ((x = PATTERNS.deleted.exec(m))) outcome('deleted', x[1] ?? '', r.at);
    else if ((x = PATTERNS.pool.exec(m))) failure('pool-not-initialized', x[1] ?? '', r);
    else if ((x = PATTERNS.saveFailed.exec(m) ?? PATTERNS.repoSaveFailed.exec(m))) failure('save-failed', x[1] ?? '', r);
    else if ((x = PATTERNS.noPosition.exec(m))) failure('position-not-found', x[1] ?? '', r);
    else if ((x = PATTERNS.retrying.exec(m))) failure('retrying', x[1] ?? '', r);
    else if ((x = PATTERNS.deleteFailed.exec(m) ?? PATTERNS.repoDeleteFailed.exec(m))) {
      const symbol = x[1] ?? '';
      const d = deletes.get(symbol) ?? { symbol, count: 0, last: r.at, falseSuccess: false, example: '' };
      d.count += 1;
      d.last = r.at;
      d.example = example(r);
      deletes.set(symbol, d);
    } else if ((x = PATTERNS.closedAndDeleted.exec(m))) {
      const d = deletes.get(x[1] ?? '');
      // The manager's success line right after the repository's failure is false: the row stayed.
      if (d && r.at.getTime() - d.last.getTime() <= FIRST_SAVE_MS) d.falseSuccess = true;
      stops.delete(x[1] ?? '');
    } else if ((x = PATTERNS.savedOnRetry.exec(m))) {
      const f = failures.get(x[1] ?? '');
      stateOf(x[1] ?? '').hasRow = true;
      if (f) f.recoveredAt = r.at;
    }
  }
  const bySymbol = <T extends { symbol: string }>(a: T, b: T) => a.symbol.localeCompare(b.symbol);
  const lifecycleLog = lifecycles.result();
  return {
    files,
    records: count,
    firstAt,
    lastAt,
    restarts: restarts.slice(-RESTARTS_KEPT),
    restartCount,
    restartTotals: totals,
    saveFailures: [...failures.values()].sort(bySymbol),
    deleteFailures: [...deletes.values()].sort(bySymbol),
    creationFailures: [...creations.values()].sort(bySymbol),
    journalLosses: journalLosses.slice(-JOURNAL_LOSSES_KEPT),
    restoreLosses: [...losses.values()].sort(bySymbol),
    memory: [...memory.values()].sort((a, b) => a.exchange.localeCompare(b.exchange)),
    ...(lifecycleLog ? { lifecycles: lifecycleLog } : {}),
  };
}
