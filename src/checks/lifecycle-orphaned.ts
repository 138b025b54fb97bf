// A signal lifecycle in position whose (exchange, symbol) has no open position.
import { LIFECYCLE_COLUMNS, type LifecycleRow } from '../lifecycles/judge.js';
import type { DbCheck } from './types.js';

/** What a finding carries: the lifecycle row, and the symbol's last position when it had one. */
type LifecycleOrphanedEvidence = {
  lifecycleId: number;
  signalId: number | null;
  entryPrice: string | null;
  maxPrice: string | null;
  updatedAt: Date | null;
  lastPosition: { id: number; status: string | null; closedAt: Date | null } | null;
};

const lifecycleOrphaned: DbCheck<LifecycleRow, LifecycleOrphanedEvidence> = {
  id: 'lifecycle-orphaned',
  kind: 'database',
  commands: ['orphans', 'check'],
  asOf: false,
  severities: ['info'],
  summary: 'A signal lifecycle row in position whose (exchange, symbol) has no open position: a restart rebuilds a lifecycle that believes it holds one.',
  query: 'lifecycle-rows',
  columns: LIFECYCLE_COLUMNS,
  failureMode:
    "The current bot rebuilds every lifecycle that is not finalized from its row at a restart, and does not check an in_position row against the exchange. A row left in position after its position ended (closed while the lifecycle's write failed, or by hand) comes back as a lifecycle watching a position that does not exist.",
  repair:
    'Check the position on the exchange; if it has ended, finalize (delete) the lifecycle row with the bot stopped, or let the bot correct it after the restart and watch the log.',
  notRescued: 'rescue writes stop rows only; whether the position still exists on the exchange cannot be seen from the database',
  evaluate: (rows) =>
    rows
      .filter((r) => r.state === 'in_position' && !r.has_open_position)
      .map((r) => ({
        check: 'lifecycle-orphaned',
        severity: 'info',
        exchange: r.exchange,
        symbol: r.symbol,
        positionId: null,
        message: r.last_position_status
          ? `lifecycle in position, but the last position (#${r.last_position_id}) is ${r.last_position_status}: a restart rebuilds it as if it held a position`
          : 'lifecycle in position for a symbol with no position at all: a restart rebuilds it as if it held one',
        evidence: {
          lifecycleId: r.lifecycle_id,
          signalId: r.signal_id,
          entryPrice: r.entry_price,
          maxPrice: r.max_price,
          updatedAt: r.updated_at,
          lastPosition: r.last_position_id === null ? null : { id: r.last_position_id, status: r.last_position_status, closedAt: r.last_position_closed_at },
        },
      })),
};
export default lifecycleOrphaned;
