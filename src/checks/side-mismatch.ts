import type { DbCheck } from './types.js';

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

/** What a finding carries: both sides as written and as read, and the row's position_id. */
type SideMismatchEvidence = { positionSide: string; stopSide: string; positionSideAs: string | null; stopSideAs: string; stopPositionId: number | null };

const sideMismatch: DbCheck<SideRow, SideMismatchEvidence> = {
  id: 'side-mismatch',
  kind: 'database',
  rescue: 'fix-side',
  problemOf: [{ cause: 'wrong-side', rank: 0 }],
  commands: ['check'],
  cause: 'wrong-side',
  severities: ['critical'],
  summary: 'A stop row on the other side from its open position (a short stop on a long position).',
  query: 'side-mismatch',
  columns: {
    position_id: true,
    exchange: true,
    symbol: true,
    position_side: true,
    stop_side: true,
    position_side_norm: true,
    stop_side_norm: true,
    stop_position_id: true,
  },
  failureMode:
    'The stop is computed on the wrong side, so every stop update is rejected while the position runs unprotected; a restart deletes and recreates the row.',
  repair:
    "`ts-audit rescue` corrects the row's side to its open position's when memory agrees (review and apply the script); otherwise delete the row while the bot is stopped so that a fresh stop is created from the position. Then find the write that gave it the wrong side.",
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
      evidence: {
        positionSide: r.position_side,
        stopSide: r.stop_side,
        positionSideAs: r.position_side_norm,
        stopSideAs: r.stop_side_norm,
        stopPositionId: num(r.stop_position_id),
      },
    })),
};
export default sideMismatch;
