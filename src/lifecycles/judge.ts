// The current bot's real trailing exit, its signal lifecycle: what a restart does to it. The bot exits
// when the price falls base_callback % below the lifecycle's peak (max_price), once its latch
// (ts_activated) was set by a profit of base_activation % from the entry. Both live in memory only; the
// row keeps the values of the open, and a restart rebuilds the lifecycle from the row. Everything here
// is exact decimal arithmetic on the rows of queries/lifecycle-positions.sql, with what memory (a dump's
// lifecycles, the bot's log) says where it is known.
import type { ColumnList } from '../db/rows.js';
import { Decimal } from '../decimal.js';
import type { Severity } from '../severity.js';
import { stopKey } from '../finding.js';
import type { MemoryLifecycle, MemoryLifecycles } from './memory.js';

export type { MemoryLifecycle, MemoryLifecycles } from './memory.js';

/** The query the lifecycle checks of open positions read, and the restart line and restore's table with them. */
export const LIFECYCLE_QUERY = 'lifecycle-positions';

/** Whether the lifecycle query can run here: the bot's lifecycles and its journal (the peaks since the open). */
export function lifecyclesReadable(catalog: { hasTable(table: 'signal_lifecycles' | 'events'): boolean }, asOf?: Date): boolean {
  return !asOf && catalog.hasTable('signal_lifecycles') && catalog.hasTable('events');
}

/**
 * One open position of queries/lifecycle-positions.sql (numeric and bigint as text). The fields after
 * journal_ticks are what only a position without a lifecycle in position is judged by
 * (the check of missing lifecycles): null on a row whose lifecycle is in position.
 */
export interface LifecyclePositionRow {
  position_id: number;
  exchange: string;
  symbol: string;
  position_entry_price: string;
  position_trailing_activated: boolean | null;
  current_price: string | null;
  stop_outcome: 'restored' | 'created-new' | 'deleted-and-recreated';
  stop_activated: boolean;
  stop_peak: string | null;
  lifecycle_id: number | null;
  lifecycle_state: string | null;
  lifecycle_entry_price: string | null;
  max_price: string | null;
  ts_activated: boolean | null;
  lifecycle_updated_at: Date | null;
  base_activation: string | null;
  base_callback: string | null;
  journal_peak: string | null;
  journal_peak_at: Date | null;
  journal_ticks: string | number;
  opened_at: Date | null;
  position_signal_id: string | null;
  trailing_activation_percent: string | null;
  trailing_callback_percent: string | null;
  /** The table's rows, every state. */
  lifecycle_rows: string | null;
  signal_lifecycle: string | null;
}

/** The columns of LifecyclePositionRow, as its query returns them. */
export const LIFECYCLE_POSITION_COLUMNS: ColumnList<LifecyclePositionRow> = {
  position_id: true,
  exchange: true,
  symbol: true,
  position_entry_price: true,
  position_trailing_activated: true,
  current_price: true,
  stop_outcome: true,
  stop_activated: true,
  stop_peak: true,
  lifecycle_id: true,
  lifecycle_state: true,
  lifecycle_entry_price: true,
  max_price: true,
  ts_activated: true,
  lifecycle_updated_at: true,
  base_activation: true,
  base_callback: true,
  journal_peak: true,
  journal_peak_at: true,
  journal_ticks: true,
  opened_at: true,
  position_signal_id: true,
  trailing_activation_percent: true,
  trailing_callback_percent: true,
  lifecycle_rows: true,
  signal_lifecycle: true,
};

/** Memory's lifecycle of this (exchange, symbol): by its pair, or by its symbol when memory did not say the exchange. */
export function memoryLifecycle(memory: MemoryLifecycles | undefined, exchange: string, symbol: string): MemoryLifecycle | undefined {
  return memory?.get(stopKey(exchange, symbol)) ?? memory?.get(stopKey('', symbol));
}

const num = (text: string | null | undefined): Decimal | undefined => (text == null ? undefined : (Decimal.parse(text) ?? undefined));

const HUNDREDTH = Decimal.of('0.01');

/** value x (1 + sign x fraction), exactly. */
const shiftedBy = (value: Decimal, fraction: Decimal, sign: 1 | -1): Decimal => {
  const part = value.times(fraction);
  return sign === 1 ? value.plus(part) : value.minus(part);
};

/**
 * A strategy percent's text as a fraction (percent / 100), kept by text: the open positions of a run
 * share the few strategies' percents, each otherwise parsed and scaled once per position.
 */
const fractions = new Map<string, Decimal | undefined>();
function fractionOf(text: string | null): Decimal | undefined {
  if (text == null) return undefined;
  if (fractions.has(text)) return fractions.get(text);
  if (fractions.size >= 1024) fractions.clear();
  const fraction = num(text)?.times(HUNDREDTH);
  fractions.set(text, fraction);
  return fraction;
}

/** Whether v is known and above best (or best is not). */
const above = (v: Decimal | undefined, best: Decimal | undefined): v is Decimal => v !== undefined && (best === undefined || v.compare(best) > 0);

export type LifecycleVerdict =
  /** The database (or memory) shows activation while the row says ts_activated = false. */
  | 'latch-reset'
  /** Activated, and the peak since the open is above the row's max_price. */
  | 'peak-reset'
  /** A peak above the row's, below activation: a restart changes no exit. */
  | 'peak-below-activation'
  /** Nothing a restart would change, as far as the database shows. */
  | 'kept'
  /** No lifecycle row: after a restart the position has no trailing exit. */
  | 'missing'
  /** A row, but not in position: the bot forces it to in_position at a restart, with the row's peak. */
  | 'not-in-position';

export interface LifecycleJudgement {
  verdict: LifecycleVerdict;
  severity: Severity | null;
  /** "exit peak 1.155 -> 1, latch armed -> disarmed": what a restart does to this lifecycle. */
  outcome: string;
  /** Whether a restart keeps this position's real exit as it is in memory. */
  keepsExit: boolean;
  entry?: Decimal;
  activationPrice?: Decimal;
  rowPeak?: Decimal;
  peak?: Decimal;
  /** Which source gave the peak. */
  peakSource?: string;
  /** Why ts-audit believes the latch is armed. */
  armedBy: string[];
  rowExit?: Decimal;
  peakExit?: Decimal;
  memory?: MemoryLifecycle;
}

/** Each row's judgement, made once: a run judges every row for its checks and again for the restart line. */
const judged = new WeakMap<LifecyclePositionRow, { memory: MemoryLifecycle | undefined; judgement: LifecycleJudgement }>();

/** What a restart does to the lifecycle of one open position. */
export function judgeLifecycle(r: LifecyclePositionRow, memory?: MemoryLifecycle): LifecycleJudgement {
  const known = judged.get(r);
  if (known && known.memory === memory) return known.judgement;
  const judgement = judgeAfresh(r, memory);
  judged.set(r, { memory, judgement });
  return judgement;
}

function judgeAfresh(r: LifecyclePositionRow, memory?: MemoryLifecycle): LifecycleJudgement {
  if (r.lifecycle_id === null) {
    return { verdict: 'missing', severity: 'high', outcome: 'no lifecycle: no trailing exit', keepsExit: false, armedBy: [], memory };
  }
  const rowPeak = num(r.max_price);
  const a = fractionOf(r.base_activation);
  const cb = fractionOf(r.base_callback);
  // The row's entry and peak are the same text while the position is open (as written at the open): parsed once.
  const rowEntry = r.lifecycle_entry_price === r.max_price ? rowPeak : num(r.lifecycle_entry_price);
  const entry = rowEntry && !rowEntry.isZero() ? rowEntry : num(r.position_entry_price);
  const activationPrice = entry && a ? shiftedBy(entry, a, 1) : undefined;
  const exitOf = (peak: Decimal | undefined) => (peak && cb ? shiftedBy(peak, cb, -1) : undefined);
  if (r.lifecycle_state !== 'in_position') {
    return {
      verdict: 'not-in-position',
      severity: 'high',
      outcome: `lifecycle ${r.lifecycle_state ?? '?'} -> in_position (forced), exit peak ${rowPeak?.toString() ?? '?'} from the row`,
      keepsExit: false,
      entry,
      activationPrice,
      rowPeak,
      armedBy: [],
      rowExit: exitOf(rowPeak),
      memory,
    };
  }
  const exact = memory?.exact === true;
  // The highest of the sources, the first of them on a tie (memory's, then the database's in this order).
  let highest = memory?.maxPrice;
  let highestSource = highest ? memory?.source : undefined;
  if (!(exact && memory?.maxPrice)) {
    const journal = num(r.journal_peak);
    if (above(journal, highest)) {
      highest = journal;
      highestSource = 'position_updated events since the open';
    }
    const stopPeak = num(r.stop_peak);
    if (above(stopPeak, highest)) {
      highest = stopPeak;
      highestSource = 'the stop row (trailing_stop_state.highest_price)';
    }
    const current = num(r.current_price);
    if (above(current, highest)) {
      highest = current;
      highestSource = 'positions.current_price';
    }
  }
  const peak = highest;
  const peakSource = highestSource;
  const armedBy: string[] = [];
  if (memory?.tsActivated) armedBy.push(`${memory.source} says ts_activated = true`);
  if (!(exact && memory?.tsActivated !== undefined)) {
    if (r.stop_activated) armedBy.push('its stop row is activated (trailing_stop_state.is_activated)');
    if (r.position_trailing_activated) armedBy.push('positions.trailing_activated is true');
    if (peak && activationPrice && peak.compare(activationPrice) >= 0) {
      armedBy.push(`the price since the open reached ${peak.toString()} (${peakSource}), at or above the activation price ${activationPrice.toString()}`);
    }
  }
  const armed = armedBy.length > 0;
  const rowArmed = r.ts_activated === true;
  const peakLost = peak !== undefined && rowPeak !== undefined && peak.compare(rowPeak) > 0;
  const rowExit = exitOf(rowPeak);
  const peakExit = peak === undefined ? rowExit : exitOf(peak);
  // Built as one literal per verdict (not a spread of shared fields): the spread was the most costly
  // line of judging a large set of open positions.
  const judgement = (verdict: LifecycleVerdict, severity: Severity | null, outcome: string, keepsExit: boolean): LifecycleJudgement => ({
    entry,
    activationPrice,
    rowPeak,
    peak: peak ?? rowPeak,
    peakSource,
    armedBy,
    rowExit,
    peakExit,
    memory,
    verdict,
    severity,
    outcome,
    keepsExit,
  });
  const peakText = peakLost ? `exit peak ${peak.toString()} -> ${rowPeak.toString()}` : `exit peak ${rowPeak?.toString() ?? '?'} kept`;
  if (armed && !rowArmed) return judgement('latch-reset', 'critical', `${peakText}, latch armed -> disarmed`, false);
  if (peakLost && (armed || rowArmed)) return judgement('peak-reset', 'high', `${peakText}, latch stays armed`, false);
  if (peakLost) return judgement('peak-below-activation', 'info', `peak ${peak.toString()} -> ${rowPeak.toString()} (below activation: no exit changes)`, true);
  return judgement('kept', null, `restored as written (peak ${rowPeak?.toString() ?? '?'}, latch ${rowArmed ? 'armed' : 'disarmed'})`, true);
}

/** One row of queries/lifecycle-rows.sql: a lifecycle no open position explains, or one waiting to re-enter. */
export interface LifecycleRow {
  lifecycle_id: number;
  exchange: string;
  symbol: string;
  signal_id: number | null;
  state: string;
  entry_price: string | null;
  max_price: string | null;
  last_exit_price: string | null;
  last_exit_at: Date | null;
  last_exit_reason: string | null;
  ts_activated: boolean | null;
  updated_at: Date | null;
  has_open_position: boolean;
  last_position_id: number | null;
  last_position_status: string | null;
  last_position_closed_at: Date | null;
}

/** The columns of LifecycleRow, as its query returns them. */
export const LIFECYCLE_COLUMNS: ColumnList<LifecycleRow> = {
  lifecycle_id: true,
  exchange: true,
  symbol: true,
  signal_id: true,
  state: true,
  entry_price: true,
  max_price: true,
  last_exit_price: true,
  last_exit_at: true,
  last_exit_reason: true,
  ts_activated: true,
  updated_at: true,
  has_open_position: true,
  last_position_id: true,
  last_position_status: true,
  last_position_closed_at: true,
};

/** Lifecycles a restart would break, counted for the restart line. */
export interface LifecycleRestart {
  /** Open positions judged (the bot uses lifecycles; 0 when it does not). */
  judged: number;
  reset: number;
  missing: number;
  /** Open positions whose TS row is restored but whose lifecycle exit is not kept. */
  restoredButBroken: number;
}

export function lifecycleRestart(rows: LifecyclePositionRow[], memory?: MemoryLifecycles): LifecycleRestart {
  const out: LifecycleRestart = { judged: rows.length, reset: 0, missing: 0, restoredButBroken: 0 };
  for (const r of rows) {
    const j = judgeLifecycle(r, memoryLifecycle(memory, r.exchange, r.symbol));
    if (j.keepsExit) continue;
    if (j.verdict === 'missing') out.missing += 1;
    else out.reset += 1;
    if (r.stop_outcome === 'restored') out.restoredButBroken += 1;
  }
  return out;
}
