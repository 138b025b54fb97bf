// What the current bot's log says of its signal lifecycles (core.signal_lifecycle): which ones
// activated and the peaks they showed (peak= of the activation and of the checks while activated),
// their exits, the restarts that rebuilt them from their rows, and the writes that failed. A restart
// disarms every latch and puts every peak back to the entry price: an activation before a restart that
// no exit followed, re-armed after it at a lower peak or not at all, is the loss made visible.
import { Decimal } from '../decimal.js';
import type { LogRecord } from './parse.js';

/** A lifecycle write that failed (`Failed to persist lifecycle for X`): the error is swallowed. */
export interface LifecyclePersistFailure {
  symbol: string;
  count: number;
  first: Date;
  last: Date;
  /** The symbol's lifecycle activated after the failure (`Trailing stop ACTIVATED for X`), before an exit. */
  activatedAfter: Date | null;
  example: string;
}

/** An activation a restart lost: activated before it with no exit, then re-armed at a lower peak, or not at all. */
export interface LostActivation {
  symbol: string;
  activatedAt: Date;
  /** The highest peak= the log showed for it before the restart. */
  peakBefore: string | null;
  restartAt: Date;
  /** The activation after the restart, and its peak=; null when it was not re-armed in the log. */
  rearmedAt: Date | null;
  peakAfter: string | null;
  example: string;
}

export interface LifecycleLog {
  persistFailures: LifecyclePersistFailure[];
  /** `Failed to load lifecycles from DB`: that restart restored no lifecycle at all. */
  loadFailures: { at: Date; example: string }[];
  lostActivations: LostActivation[];
  /** The lifecycles memory held at the end of the log, as far as its lines show (activated ones, with their highest peak=). */
  memory: { symbol: string; activated: boolean; peak: string | null; at: Date }[];
  /** The restarts' `Restored n/m lifecycles from DB` lines. */
  restores: { at: Date; restored: number; total: number }[];
}

const P = '^(?:[^\\w\\s]+\\s+)?';
const re = (body: string) => new RegExp(P + body);
const LINES = {
  activated: /Trailing stop ACTIVATED for (\S+?):/,
  watch: re('(?:TS CHECK|PROFIT LOCK|TS HELD) (\\S+?):'),
  exit: re('TRAILING STOP(?: EXIT)? (?:for )?(\\S+?):'),
  ended: re('(?:EXTERNAL CLOSE|FINALIZED|TIMEOUT|CLOSED|BREAKEVEN|STOP-LOSS|LIQUIDATION) (\\S+?):'),
  restored: re('Restored lifecycle (\\S+?):'),
  restoredCount: /Restored (\d+)\/(\d+) lifecycles from DB/,
  persistFailed: /Failed to persist lifecycle for (\S+?):/,
  loadFailed: /Failed to load lifecycles from DB/,
  none: /No active lifecycles to restore|SignalLifecycleManager started/,
};
const PEAK = /\bpeak=\s*([0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)/;
/** Lines of one restart come within this of each other (the TS init, each restored lifecycle, the count). */
const SAME_RESTART_MS = 2 * 60_000;
const KEEP = 10_000;

interface Held {
  activatedAt: Date;
  peak: Decimal | null;
  example: string;
}

const higher = (a: Decimal | null, b: Decimal | null) => (a && b ? (b.compare(a) > 0 ? b : a) : (a ?? b));

export class LifecycleTracker {
  private activated = new Map<string, Held>();
  /** Activated before the last restart with no exit: lost unless re-armed at a peak as high. */
  private pending = new Map<string, Held & { restartAt: Date }>();
  private lost: LostActivation[] = [];
  private failures = new Map<string, LifecyclePersistFailure>();
  private loadFailures: LifecycleLog['loadFailures'] = [];
  private restores: LifecycleLog['restores'] = [];
  private lastRestartAt = Number.NEGATIVE_INFINITY;
  private seen = false;

  /** A restart of the bot (any of its start-up lines): every lifecycle is rebuilt from its row. */
  restart(at: Date): void {
    const t = at.getTime();
    if (t - this.lastRestartAt > SAME_RESTART_MS) {
      for (const [symbol, held] of this.activated) this.pending.set(symbol, { ...held, restartAt: at });
      this.activated.clear();
    }
    this.lastRestartAt = t;
  }

  /** Reads one record; true when it was a lifecycle line. */
  record(r: LogRecord, message: string, example: string): boolean {
    let x: RegExpExecArray | null;
    const peakOf = () => {
      const m = PEAK.exec(message);
      return m ? Decimal.parse(m[1] ?? '') : null;
    };
    if ((x = LINES.activated.exec(message))) {
      const symbol = x[1] ?? '';
      const peak = peakOf();
      this.activated.set(symbol, { activatedAt: r.at, peak, example });
      const before = this.pending.get(symbol);
      if (before) {
        this.pending.delete(symbol);
        if (!before.peak || !peak || peak.compare(before.peak) < 0) this.lose(symbol, before, r.at, peak, example);
      }
      const f = this.failures.get(symbol);
      if (f && !f.activatedAfter) f.activatedAfter = r.at;
    } else if ((x = LINES.watch.exec(message))) {
      const held = this.activated.get(x[1] ?? '');
      if (held) held.peak = higher(held.peak, peakOf());
    } else if ((x = LINES.exit.exec(message) ?? LINES.ended.exec(message))) {
      const symbol = x[1] ?? '';
      this.activated.delete(symbol);
      this.pending.delete(symbol);
    } else if ((x = LINES.persistFailed.exec(message))) {
      const symbol = x[1] ?? '';
      const f = this.failures.get(symbol) ?? { symbol, count: 0, first: r.at, last: r.at, activatedAfter: null, example };
      f.count += 1;
      f.last = r.at;
      this.failures.set(symbol, f);
    } else if (LINES.loadFailed.test(message)) {
      this.restart(r.at);
      if (this.loadFailures.length < KEEP) this.loadFailures.push({ at: r.at, example });
    } else if ((x = LINES.restoredCount.exec(message))) {
      this.restart(r.at);
      if (this.restores.length < KEEP) this.restores.push({ at: r.at, restored: Number(x[1]), total: Number(x[2]) });
    } else if (LINES.restored.test(message) || LINES.none.test(message)) this.restart(r.at);
    else return false;
    this.seen = true;
    return true;
  }

  private lose(symbol: string, before: Held & { restartAt: Date }, rearmedAt: Date | null, peakAfter: Decimal | null, example: string): void {
    if (this.lost.length >= KEEP) return;
    this.lost.push({
      symbol,
      activatedAt: before.activatedAt,
      peakBefore: before.peak?.toString() ?? null,
      restartAt: before.restartAt,
      rearmedAt,
      peakAfter: peakAfter?.toString() ?? null,
      example: rearmedAt ? example : before.example,
    });
  }

  result(): LifecycleLog | undefined {
    if (!this.seen) return undefined;
    for (const [symbol, before] of this.pending) this.lose(symbol, before, null, null, before.example);
    this.pending.clear();
    const bySymbol = <T extends { symbol: string }>(a: T, b: T) => a.symbol.localeCompare(b.symbol);
    return {
      persistFailures: [...this.failures.values()].sort(bySymbol),
      loadFailures: this.loadFailures,
      lostActivations: this.lost.sort((a, b) => a.symbol.localeCompare(b.symbol) || a.restartAt.getTime() - b.restartAt.getTime()),
      memory: [...this.activated].map(([symbol, h]) => ({ symbol, activated: true, peak: h.peak?.toString() ?? null, at: h.activatedAt })).sort(bySymbol),
      restores: this.restores,
    };
  }
}
