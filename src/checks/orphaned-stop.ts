import type { DbCheck } from './types.js';

interface OrphanRow {
  stop_id: string;
  exchange: string;
  symbol: string;
  stop_position_id: string | null;
  state: string;
  stop_created_at: Date;
  last_update_time: Date | null;
  last_position_id: number | null;
  last_position_status: string | null;
  last_position_closed_at: Date | null;
  last_position_exit_reason: string | null;
}

/** What a finding carries: the row, and the symbol's last position when it had one. */
type OrphanEvidence = {
  stopPositionId: number | null;
  state: string;
  stopCreatedAt: Date;
  lastUpdateTime: Date | null;
  lastPosition: { id: number; status: string | null; closedAt: Date | null; exitReason: string | null } | null;
};

const orphanedStop: DbCheck<OrphanRow, OrphanEvidence> = {
  id: 'orphaned-stop',
  kind: 'database',
  rescue: 'delete-orphan',
  commands: ['orphans', 'check'],
  cause: 'close-skips-delete',
  severities: ['medium'],
  summary: 'A stop row whose (exchange, symbol) has no open position: left behind when its position ended.',
  query: 'orphaned-stop',
  columns: {
    stop_id: true,
    exchange: true,
    symbol: true,
    stop_position_id: true,
    state: true,
    stop_created_at: true,
    last_update_time: true,
    last_position_id: true,
    last_position_status: true,
    last_position_closed_at: true,
    last_position_exit_reason: true,
  },
  failureMode:
    'Some close paths (phantom clean-up on load, emergency close) skip the delete, leaving rows for ended positions (29 after one clean-up). If the symbol is reopened, the stale row is restored as if current.',
  repair:
    "`ts-audit rescue --delete-stale` writes the DELETE of rows whose last position has ended (the bot's orphan clean-up does this but nothing calls it); make every close path delete its row.",
  evaluate: (rows) =>
    rows.map((r) => ({
      check: 'orphaned-stop',
      severity: 'medium',
      exchange: r.exchange,
      symbol: r.symbol,
      positionId: null,
      message: r.last_position_status
        ? `row for a symbol with no open position (last position #${r.last_position_id} ${r.last_position_status})`
        : 'row for a symbol that has no position at all',
      evidence: {
        stopPositionId: r.stop_position_id === null ? null : Number(r.stop_position_id),
        state: r.state,
        stopCreatedAt: r.stop_created_at,
        lastUpdateTime: r.last_update_time,
        lastPosition:
          r.last_position_id === null
            ? null
            : { id: r.last_position_id, status: r.last_position_status, closedAt: r.last_position_closed_at, exitReason: r.last_position_exit_reason },
      },
    })),
};
export default orphanedStop;
