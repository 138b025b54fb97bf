// Checks of the rows' own consistency: side mismatches, corrupted values, flags that disagree, and
// active stops that stopped being saved.
import { decimalText, isNonFinite } from '../decimal.js';
import { formatSpan } from '../duration.js';
import type { DbCheck, Finding } from './types.js';

const num = (s: string | null) => (s === null ? null : Number(s));

interface SideRow {
  position_id: number;
  exchange: string;
  symbol: string;
  position_side: string;
  stop_side: string;
  position_side_norm: string | null;
  stop_side_norm: string;
  stop_position_id: string | null;
}

export const sideMismatch: DbCheck<SideRow> = {
  id: 'side-mismatch',
  severities: ['critical'],
  summary: 'A stop row on the other side from its open position (a short stop on a long position).',
  query: 'side-mismatch',
  failureMode: 'The stop is computed on the wrong side, so every stop update is rejected while the position runs unprotected; a restart deletes and recreates the row.',
  repair: 'Delete the row while the bot is stopped so that a fresh stop is created from the position, and find the write that gave it the wrong side.',
  evaluate: (rows) =>
    rows.map((r) => ({
      check: 'side-mismatch',
      severity: 'critical',
      exchange: r.exchange,
      symbol: r.symbol,
      positionId: r.position_id,
      message:
        r.position_side_norm === null
          ? `position side "${r.position_side}" is not buy/long/sell/short: a restart deletes the row`
          : `row side "${r.stop_side}" (${r.stop_side_norm}) on a ${r.position_side_norm} position`,
      evidence: { positionSide: r.position_side, stopSide: r.stop_side, positionSideAs: r.position_side_norm, stopSideAs: r.stop_side_norm, stopPositionId: num(r.stop_position_id) },
    })),
};

interface InvalidRow {
  stop_id: string;
  exchange: string;
  symbol: string;
  stop_position_id: string | null;
  state: string;
  side: string;
  is_activated: boolean;
  entry_price: string;
  highest_price: string | null;
  lowest_price: string | null;
  current_stop_price: string | null;
  activation_price: string | null;
  quantity: string | null;
  callback_percent: string | null;
  reasons: string[];
}

const nonFiniteColumns = (r: InvalidRow) =>
  FINITE_COLUMNS.filter((c) => isNonFinite(r[c]))
    .map((c) => `${c} ${r[c]}`)
    .join(', ');

const REASON_TEXT: Record<string, string> = {
  'entry-price-zero': 'entry_price is 0',
  'sentinel-on-tracked-side': 'the 999999 sentinel sits in the peak the stop tracks',
  'stop-beyond-peak': 'the stop is beyond the peak',
  'zero-callback': 'callback_percent is 0 (stop equals peak)',
  'activation-flag-mismatch': "is_activated disagrees with state = 'active'",
  'unknown-state': 'state is not inactive/waiting/active/triggered',
  'unknown-side': 'side is not long/short (restore treats it as long)',
  'legacy-case': 'upper-case state or side from an older version',
  'non-finite': 'a price, quantity or percent is NaN or Infinity: no stop can be computed from it',
};

/** The numeric columns of a row that must hold finite numbers. */
const FINITE_COLUMNS = ['entry_price', 'highest_price', 'lowest_price', 'current_stop_price', 'activation_price', 'quantity', 'callback_percent'] as const;

/** `diff` reads rows without the invalid-stop-row query: the same non-finite finding, from a row it has. */
export function evaluateNonFinite(row: Partial<Record<(typeof FINITE_COLUMNS)[number], string | null>> & { exchange: string; symbol: string; position_id: string | null }): Finding | null {
  const columns = FINITE_COLUMNS.filter((c) => isNonFinite(row[c] ?? null));
  if (columns.length === 0) return null;
  return {
    check: 'invalid-stop-row',
    severity: 'high',
    exchange: row.exchange,
    symbol: row.symbol,
    positionId: num(row.position_id),
    message: `${REASON_TEXT['non-finite']} (${columns.map((c) => `${c} ${row[c]}`).join(', ')})`,
    evidence: { reason: 'non-finite', columns, ...Object.fromEntries(columns.map((c) => [c, row[c]])) },
  };
}

export const invalidStopRow: DbCheck<InvalidRow> = {
  id: 'invalid-stop-row',
  severities: ['high'],
  summary: 'A stop row whose values cannot be right: zero entry, sentinel on the tracked side, stop beyond peak, zero callback, bad flags, state, side or case.',
  query: 'invalid-stop-row',
  failureMode:
    'Corrupted rows seen in production: entry_price 0, the 999999 sentinel on the side the stop tracks, a stop above the peak of a long (below the trough of a short), callback_percent 0, and legacy upper-case LONG computing the stop on the wrong side.',
  repair: 'Delete the row while the bot is stopped (a fresh stop is created from the position) or correct the field; then find the write that produced it.',
  evaluate: (rows) =>
    rows.flatMap((r) =>
      r.reasons.map((reason) => ({
        check: 'invalid-stop-row',
        severity: 'high' as const,
        exchange: r.exchange,
        symbol: r.symbol,
        positionId: num(r.stop_position_id),
        message: reason === 'non-finite' ? `${REASON_TEXT[reason]} (${nonFiniteColumns(r)})` : (REASON_TEXT[reason] ?? reason),
        evidence: {
          reason,
          state: r.state,
          side: r.side,
          isActivated: r.is_activated,
          entryPrice: decimalText(r.entry_price),
          highestPrice: decimalText(r.highest_price),
          lowestPrice: decimalText(r.lowest_price),
          currentStopPrice: decimalText(r.current_stop_price),
          activationPrice: decimalText(r.activation_price),
          quantity: decimalText(r.quantity),
          callbackPercent: decimalText(r.callback_percent),
        },
      })),
    ),
};

interface FlagRow {
  position_id: number;
  exchange: string;
  symbol: string;
  has_trailing_stop: boolean | null;
  trailing_activated: boolean | null;
  has_row: boolean;
  row_state: string | null;
  reasons: string[];
}

const FLAG_TEXT: Record<string, string> = {
  'has-trailing-stop-without-row': 'has_trailing_stop is true but there is no row',
  'has-trailing-stop-false': 'has_trailing_stop is false on an open position',
  'trailing-activated-mismatch': "trailing_activated disagrees with the row's activation",
};

export const flagMismatch: DbCheck<FlagRow> = {
  id: 'flag-mismatch',
  severities: ['low'],
  summary: "positions.has_trailing_stop or trailing_activated disagreeing with the stop rows.",
  query: 'flag-mismatch',
  needs: { positions: ['has_trailing_stop', 'trailing_activated'] },
  failureMode: "The position's own flags are the bot's claim about its stop; when they disagree with the rows, one of the two writes failed.",
  repair: 'Trust the row (or memory, via `ts-audit diff`); correct the flag once the cause is known.',
  evaluate: (rows) =>
    rows.flatMap((r) =>
      r.reasons.map((reason) => ({
        check: 'flag-mismatch',
        severity: 'low' as const,
        exchange: r.exchange,
        symbol: r.symbol,
        positionId: r.position_id,
        message: FLAG_TEXT[reason] ?? reason,
        evidence: { reason, hasTrailingStop: r.has_trailing_stop, trailingActivated: r.trailing_activated, hasRow: r.has_row, rowState: r.row_state },
      })),
    ),
};

interface StaleRow {
  stop_id: string;
  exchange: string;
  symbol: string;
  stop_position_id: string | null;
  last_update_time: Date;
  reference_time: Date;
  stale_seconds: string;
}

export const staleStop: DbCheck<StaleRow> = {
  id: 'stale-stop',
  severities: ['low'],
  summary: 'An active stop whose row has not been updated for a long time.',
  query: 'stale-stop',
  failureMode:
    "Only active stops persist peaks, and saves are rate-limited; an active row hours older than the bot's latest write to the table suggests its saves are failing and memory's peak is ahead of it. Age is measured against that latest write, so a restored backup is judged as of its own last activity.",
  repair: 'Compare with memory (`ts-audit diff`); look for save failures in the logs.',
  evaluate: (rows) =>
    rows.map((r) => ({
      check: 'stale-stop',
      severity: 'low',
      exchange: r.exchange,
      symbol: r.symbol,
      positionId: num(r.stop_position_id),
      message: `active stop last updated ${formatSpan(Number(r.stale_seconds))} before the latest stop write`,
      evidence: { lastUpdateTime: r.last_update_time, latestStopWrite: r.reference_time, staleSeconds: Math.round(Number(r.stale_seconds)) },
    })),
};
