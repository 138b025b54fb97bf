// A signal lifecycle waiting to re-enter: its post-exit peak is held in memory only.
import { LIFECYCLE_COLUMNS, type LifecycleRow } from '../lifecycles/judge.js';
import type { DbCheck } from './types.js';

/** What a finding carries: the lifecycle's row peak and its last exit, and whether a position is open for it. */
type ReentryPeakEvidence = {
  lifecycleId: number;
  maxPrice: string | null;
  lastExitPrice: string | null;
  lastExitAt: Date | null;
  lastExitReason: string | null;
  hasOpenPosition: boolean;
};

const lifecycleReentryPeak: DbCheck<LifecycleRow, ReentryPeakEvidence> = {
  id: 'lifecycle-reentry-peak',
  kind: 'database',
  commands: ['check'],
  asOf: false,
  severities: ['info'],
  summary:
    'A signal lifecycle waiting to re-enter: the peak reached since its exit has no trace in the database, so after a restart the re-entry is judged from the exit price.',
  query: 'lifecycle-rows',
  columns: LIFECYCLE_COLUMNS,
  failureMode:
    'After a trailing exit the current bot writes the lifecycle as reentry_wait with max_price = the exit price, then raises max_price in memory as the price moves; a re-entry needs the price to drop base_reentry_drop % from that peak. Nothing writes the peak after the exit, and no event carries it once the position is closed, so a restart measures the drop from the exit price instead.',
  repair: 'Nothing to repair in the database; know that a restart changes when this lifecycle re-enters (it may re-enter sooner or later than it would have).',
  notRescued: "the peak since the exit is in the bot's memory only: a peak is never invented",
  evaluate: (rows) =>
    rows
      .filter((r) => r.state === 'reentry_wait')
      .map((r) => ({
        check: 'lifecycle-reentry-peak',
        severity: 'info',
        exchange: r.exchange,
        symbol: r.symbol,
        positionId: null,
        message:
          `waiting to re-enter since ${r.last_exit_reason ?? 'an exit'}${r.last_exit_price ? ` at ${r.last_exit_price}` : ''}: the peak since the exit is in memory only; ` +
          `after a restart the re-entry drop is measured from max_price ${r.max_price ?? '?'}${r.has_open_position ? ' (an open position exists for it: the bot forces the lifecycle to in_position at a restart)' : ''}`,
        evidence: {
          lifecycleId: r.lifecycle_id,
          maxPrice: r.max_price,
          lastExitPrice: r.last_exit_price,
          lastExitAt: r.last_exit_at,
          lastExitReason: r.last_exit_reason,
          hasOpenPosition: r.has_open_position,
        },
      })),
};
export default lifecycleReentryPeak;
