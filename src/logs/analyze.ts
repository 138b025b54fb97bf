// What the bot's logs say about its trailing stops: each restart ("Initializing trailing stops for
// loaded positions") with the stops it restored, created new, failed or timed out on; save failures
// by symbol and time; and the latest set of symbols each exchange manager held in memory
// ([TS_DEBUG] lines). Memory stays bounded: every restart is counted, the last 1,000 are kept one by
// one, and only the last 50 keep their symbol lists.
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

export type SaveFailureKind = 'pool-not-initialized' | 'save-failed' | 'position-not-found' | 'retrying' | 'delete-failed';

export interface SaveFailure {
  symbol: string;
  count: number;
  first: Date;
  last: Date;
  kinds: Partial<Record<SaveFailureKind, number>>;
  /** When a later "TS state saved on retry" was logged for the symbol, after its last failure. */
  recoveredAt: Date | null;
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
  /** Per symbol: how many restarts lost its stop, and the outcome of the latest one that did. */
  restoreLosses: { symbol: string; restarts: number; lastAt: Date; lastOutcome: string }[];
  memory: MemorySet[];
}

export const RESTARTS_WITH_SYMBOLS = 50;
/** Restarts kept one by one; older ones survive only in restartCount and restartTotals, so memory stays flat. */
export const RESTARTS_KEPT = 1000;

const P = '^(?:[^\\w\\s]+\\s+)?'; // an optional emoji, as the bot prefixes its messages
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
  tsDebug: /\[TS_DEBUG\] Exchange: (\S+), Trailing manager exists: \w+, TS symbols in memory: \[(.*)\]/,
};

export async function analyzeLogs(files: string[], records: AsyncIterable<LogRecord>): Promise<LogAnalysis> {
  let restarts: Restart[] = [];
  let restartCount = 0;
  const totals: Restart['counts'] = { restored: 0, createdNew: 0, failed: 0, timedOut: 0, deleted: 0 };
  const failures = new Map<string, SaveFailure>();
  const losses = new Map<string, { symbol: string; restarts: number; lastAt: Date; lastOutcome: string }>();
  const memory = new Map<string, MemorySet>();
  let current: Restart | undefined;
  let count = 0;
  let firstAt: Date | null = null;
  let lastAt: Date | null = null;

  const outcome = (kind: keyof Restart['counts'], symbol: string, at: Date) => {
    if (!current) return; // outcome lines outside a restart (a position opened later) are not restarts
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
    const f = failures.get(symbol) ?? { symbol, count: 0, first: r.at, last: r.at, kinds: {}, recoveredAt: null, example: '' };
    f.count += 1;
    f.last = r.at;
    f.kinds[kind] = (f.kinds[kind] ?? 0) + 1;
    f.recoveredAt = null;
    if (!f.example) f.example = `${r.local} ${r.logger} ${r.level} ${r.message.split('\n')[0]}`.slice(0, 300);
    failures.set(symbol, f);
  };

  for await (const r of records) {
    count += 1;
    firstAt ??= r.at;
    lastAt = r.at;
    const m = r.message.split('\n', 1)[0] ?? '';
    let x: RegExpExecArray | null;
    if (PATTERNS.init.test(m)) {
      current = {
        at: r.at,
        local: r.local,
        file: r.file,
        line: r.line,
        counts: { restored: 0, createdNew: 0, failed: 0, timedOut: 0, deleted: 0 },
        symbols: { restored: [], createdNew: [], failed: [], timedOut: [], deleted: [] },
      };
      restarts.push(current);
      restartCount += 1;
      const old = restarts[restarts.length - 1 - RESTARTS_WITH_SYMBOLS];
      if (old) delete old.symbols;
      if (restarts.length >= 2 * RESTARTS_KEPT) restarts = restarts.slice(-RESTARTS_KEPT);
    } else if ((x = PATTERNS.tsDebug.exec(m))) {
      const exchange = x[1] ?? '';
      const symbols = [...(x[2] ?? '').matchAll(/'([^']*)'|"([^"]*)"/g)].map((s) => s[1] ?? s[2] ?? '');
      memory.set(exchange, { exchange, at: r.at, symbols });
    } else if (r.logger === 'core.position_manager' && (x = PATTERNS.restored.exec(m))) outcome('restored', x[1] ?? '', r.at);
    else if ((x = PATTERNS.createdNew.exec(m))) outcome('createdNew', x[1] ?? '', r.at);
    else if ((x = PATTERNS.timedOut.exec(m))) outcome('timedOut', x[1] ?? '', r.at);
    else if ((x = PATTERNS.errorInit.exec(m) ?? PATTERNS.failedCreate.exec(m))) outcome('failed', x[1] ?? '', r.at);
    else if ((x = PATTERNS.deleted.exec(m))) outcome('deleted', x[1] ?? '', r.at);
    else if ((x = PATTERNS.pool.exec(m))) failure('pool-not-initialized', x[1] ?? '', r);
    else if ((x = PATTERNS.saveFailed.exec(m) ?? PATTERNS.repoSaveFailed.exec(m))) failure('save-failed', x[1] ?? '', r);
    else if ((x = PATTERNS.noPosition.exec(m))) failure('position-not-found', x[1] ?? '', r);
    else if ((x = PATTERNS.retrying.exec(m))) failure('retrying', x[1] ?? '', r);
    else if ((x = PATTERNS.deleteFailed.exec(m))) failure('delete-failed', x[1] ?? '', r);
    else if ((x = PATTERNS.savedOnRetry.exec(m))) {
      const f = failures.get(x[1] ?? '');
      if (f) f.recoveredAt = r.at;
    }
  }
  const bySymbol = <T extends { symbol: string }>(a: T, b: T) => a.symbol.localeCompare(b.symbol);
  return {
    files,
    records: count,
    firstAt,
    lastAt,
    restarts: restarts.slice(-RESTARTS_KEPT),
    restartCount,
    restartTotals: totals,
    saveFailures: [...failures.values()].sort(bySymbol),
    restoreLosses: [...losses.values()].sort(bySymbol),
    memory: [...memory.values()].sort((a, b) => a.exchange.localeCompare(b.exchange)),
  };
}
