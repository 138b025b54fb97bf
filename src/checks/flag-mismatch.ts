import type { DbCheck } from './types.js';

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

/** What a finding carries: its reason, the position's flags, and the row (if any) they were compared with. */
type FlagMismatchEvidence = {
  reason: string;
  hasTrailingStop: boolean | null;
  trailingActivated: boolean | null;
  hasRow: boolean;
  rowState: string | null;
};

const flagMismatch: DbCheck<FlagRow, FlagMismatchEvidence> = {
  id: 'flag-mismatch',
  kind: 'database',
  asOf: false,
  problemOf: [{ cause: 'no-row', rank: 5, when: (e) => e.reason === 'has-trailing-stop-without-row' }],
  commands: ['check'],
  identityByReason: true,
  severities: ['low'],
  summary:
    'positions.has_trailing_stop is true with no row or false on an open position, or trailing_activated disagrees with the row (`evidence.reason`); a NULL flag says nothing. Skipped, and said so, on a database without these columns.',
  query: 'flag-mismatch',
  columns: {
    position_id: true,
    exchange: true,
    symbol: true,
    has_trailing_stop: true,
    trailing_activated: true,
    has_row: true,
    row_state: true,
    reasons: true,
  },
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
export default flagMismatch;
