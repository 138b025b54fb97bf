import type { DbCheck } from './types.js';

interface UnprotectedRow {
  position_id: number;
  exchange: string;
  symbol: string;
  opened_at: Date | null;
  has_trailing_stop: boolean | null;
}

/** What a finding carries: the position's has_trailing_stop flag, when it opened, and its age. */
type UnprotectedEvidence = { hasTrailingStop: boolean | null; positionOpenedAt: Date | null; ageSeconds: number | null };

const unprotectedPosition: DbCheck<UnprotectedRow, UnprotectedEvidence> = {
  id: 'unprotected-position',
  kind: 'database',
  problemOf: [{ cause: 'no-row', rank: 3 }],
  commands: ['orphans', 'check'],
  cause: 'believed-stop',
  severities: ['high'],
  summary: 'An open position with no stop row: a restart creates its stop from scratch.',
  query: 'unprotected-position',
  columns: { position_id: true, exchange: true, symbol: true, opened_at: true, has_trailing_stop: true },
  failureMode:
    'The 2025-10-26 incident: saves failed silently while the stops lived in memory, so 13 of 14 open positions had no row and lost their peaks and activations at the restart.',
  repair:
    'Run `ts-audit diff --from-events` (or --dump FILE) to see whether memory holds a stop; if it does, `ts-audit rescue` writes its row (review and apply the script, then `ts-audit restore`), and fix persistence before restarting.',
  evaluate: (rows, ctx) =>
    rows.map((r) => {
      const ageSeconds = r.opened_at ? Math.round((ctx.now.getTime() - r.opened_at.getTime()) / 1000) : null;
      return {
        check: 'unprotected-position',
        severity: 'high',
        exchange: r.exchange,
        symbol: r.symbol,
        positionId: r.position_id,
        message: `open position has no stop row${r.has_trailing_stop ? ' although has_trailing_stop says it has one' : ''}`,
        evidence: { hasTrailingStop: r.has_trailing_stop, positionOpenedAt: r.opened_at, ageSeconds },
      };
    }),
  facts: (e) => (e.hasTrailingStop === true ? ['flag-claims-stop'] : []),
};
export default unprotectedPosition;
