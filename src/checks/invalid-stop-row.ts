import { decimalText, isNonFinite } from '../decimal.js';
import type { DbCheck, FindingOf } from './types.js';

const num = (s: string | null) => (s === null ? null : Number(s));

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

/**
 * What a finding carries: its reason and the row's values; for a non-finite value found by `diff`
 * (without this check's query), the columns that hold one and their values.
 */
type InvalidRowEvidence =
  | {
      reason: string;
      state: string;
      side: string;
      isActivated: boolean;
      entryPrice: string | null;
      highestPrice: string | null;
      lowestPrice: string | null;
      currentStopPrice: string | null;
      activationPrice: string | null;
      quantity: string | null;
      callbackPercent: string | null;
    }
  | ({ reason: 'non-finite'; columns: (typeof FINITE_COLUMNS)[number][] } & Partial<Record<(typeof FINITE_COLUMNS)[number], string | null>>);

/** `diff` reads rows without this check's query: the same non-finite finding, from a row it has. */
function evaluateNonFinite(
  row: Partial<Record<(typeof FINITE_COLUMNS)[number], string | null>> & { exchange: string; symbol: string; position_id: string | null },
): FindingOf<InvalidRowEvidence> | null {
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

const invalidStopRow: DbCheck<InvalidRow, InvalidRowEvidence> = {
  id: 'invalid-stop-row',
  kind: 'database',
  commands: ['check', 'diff'],
  evaluateStopRow: (row) => evaluateNonFinite(row),
  identityByReason: true,
  severities: ['high'],
  summary:
    'A stop row whose values cannot be right; `evidence.reason` is one of non-finite (NaN or Infinity, also reported by diff), entry-price-zero, sentinel-on-tracked-side, stop-beyond-peak, zero-callback, activation-flag-mismatch, unknown-state, unknown-side, legacy-case: one finding per reason.',
  query: 'invalid-stop-row',
  columns: {
    stop_id: true,
    exchange: true,
    symbol: true,
    stop_position_id: true,
    state: true,
    side: true,
    is_activated: true,
    entry_price: true,
    highest_price: true,
    lowest_price: true,
    current_stop_price: true,
    activation_price: true,
    quantity: true,
    callback_percent: true,
    reasons: true,
  },
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
export default invalidStopRow;
