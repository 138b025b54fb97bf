import type { DbCheck } from './types.js';

interface LinkRow {
  position_id: number;
  exchange: string;
  symbol: string;
  stop_position_id: string | null;
  stop_created_at: Date;
  opened_at: Date | null;
}

/** What a finding carries: the position the row points at, the open one, and when each began. */
type StaleLinkEvidence = { stopPositionId: number | null; openPositionId: number; stopCreatedAt: Date; positionOpenedAt: Date | null };

const stalePositionLink: DbCheck<LinkRow, StaleLinkEvidence> = {
  id: 'stale-position-link',
  kind: 'database',
  rescue: 'delete-stale',
  problemOf: [{ cause: 'earlier-row', rank: 1 }],
  commands: ['orphans', 'check'],
  cause: 'carried-over',
  severities: ['medium'],
  summary: "A stop row's position_id is not its open position's id: it was written for an earlier position.",
  query: 'stale-position-link',
  columns: { position_id: true, exchange: true, symbol: true, stop_position_id: true, stop_created_at: true, opened_at: true },
  failureMode:
    "A symbol closed and reopened can keep the previous position's row (the delete on close was skipped). The bot never compares position_id on restore, so the old peak, stop and entry come back.",
  repair:
    'Check the row against the open position (`ts-audit entry-mismatch`); if it is the old one, `ts-audit rescue --delete-stale` writes its DELETE, to apply while the bot is stopped.',
  evaluate: (rows) =>
    rows.map((r) => ({
      check: 'stale-position-link',
      severity: 'medium',
      exchange: r.exchange,
      symbol: r.symbol,
      positionId: r.position_id,
      message: r.stop_position_id === null ? 'row has no position_id' : `row points at position #${r.stop_position_id}, the open position is #${r.position_id}`,
      evidence: {
        stopPositionId: r.stop_position_id === null ? null : Number(r.stop_position_id),
        openPositionId: r.position_id,
        stopCreatedAt: r.stop_created_at,
        positionOpenedAt: r.opened_at,
      },
    })),
};
export default stalePositionLink;
