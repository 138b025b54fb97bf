// An open position of a bot that uses signal lifecycles, with no lifecycle row to rebuild at a restart.
import { type LifecyclePositionRow, memoryLifecycle, LIFECYCLE_POSITION_COLUMNS } from '../lifecycles/judge.js';
import type { DbCheck, FindingOf } from './types.js';

/** A lifecycle is written right after its position opens: a younger position may not have its row yet. */
const GRACE_MS = 60_000;

/** What a finding carries: why the position is judged lifecycle-managed, its lifecycle row (if any), and what a restart does. */
type LifecycleMissingEvidence = {
  reason: 'not-in-position' | 'no-row';
  onRestart: string;
  lifecycleState: string | null;
  lifecycleRows: number;
  trailingActivationPercent: string | null;
  trailingCallbackPercent: string | null;
  signalId: string | null;
  signalLifecycle: string | null;
  openedAt: Date | null;
  inMemory: string | null;
  stopOutcome: LifecyclePositionRow['stop_outcome'];
};

const lifecycleMissing: DbCheck<LifecyclePositionRow, LifecycleMissingEvidence> = {
  id: 'lifecycle-missing',
  kind: 'database',
  commands: ['restore', 'diff', 'check'],
  asOf: false,
  severities: ['high', 'info'],
  severityText: 'high; info for a position opened in the last minute (its row may not be written yet)',
  summary: 'An open position that the lifecycle manager should hold, but no lifecycle row in position covers: after a restart it has no trailing exit.',
  query: 'lifecycle-positions',
  columns: LIFECYCLE_POSITION_COLUMNS,
  byRow: true,
  failureMode:
    "The current bot writes a position's signal lifecycle row once, when the position opens, and swallows a failure of that write (`Failed to persist lifecycle for X`, logged at ERROR). The lifecycle lives on in memory, so nothing shows until a restart: the restarted bot rebuilds lifecycles from their rows, and a position without one has no trailing exit and no time-out, only the exchange's protection stop-loss; the same signal sent again is refused because the position exists. The start-up line `Restored n/m lifecycles from DB` cannot show a missing row. A row left in reentry_wait or waiting_data for an open position (its write at the re-entry failed) is forced to in_position at a restart, with the peak of the old exit.",
  repair:
    'Before restarting, write the lifecycle row (state in_position, entry_price and max_price of the position, ts_activated as memory holds it), or plan to close or watch the position by hand after the restart. For good: make the bot retry or fail loudly when its lifecycle write fails.',
  notRescued: 'rescue writes stop rows only; a lifecycle row needs the strategy parameters, which only the bot holds',
  evaluate: (rows, ctx) => {
    // A loop, not a flatMap: nearly every row of a current bot's database is in position, and an
    // empty array for each of them is garbage for nothing.
    const found: FindingOf<LifecycleMissingEvidence>[] = [];
    for (const r of rows) {
      if (r.lifecycle_id !== null && r.lifecycle_state === 'in_position') continue;
      // Sent on every row this check reports (see the query); '?' should a row come without it.
      const rowsInTable = r.lifecycle_rows ?? '?';
      const why = [
        `${rowsInTable} lifecycle row${rowsInTable === '1' ? '' : 's'} in the table show the lifecycle manager in use`,
        ...(r.trailing_activation_percent !== null || r.trailing_callback_percent !== null
          ? [
              `the position carries a strategy's percents (activation ${r.trailing_activation_percent ?? '?'}%, callback ${r.trailing_callback_percent ?? '?'}%)`,
            ]
          : []),
        ...(r.signal_lifecycle ? [`a lifecycle row carries its signal ${r.position_signal_id} (${r.signal_lifecycle})`] : []),
      ];
      const memory = memoryLifecycle(ctx.lifecycles, r.exchange, r.symbol);
      const young = r.opened_at !== null && ctx.now.getTime() - r.opened_at.getTime() < GRACE_MS;
      const stale = r.lifecycle_id !== null;
      const what = stale
        ? `its lifecycle row is in ${r.lifecycle_state ?? '?'}, not in position: a restart forces it to in_position with the row's peak ${r.max_price ?? '?'}, not the position's`
        : 'no lifecycle row: after a restart it has no trailing exit (only the protection stop-loss)';
      found.push({
        check: 'lifecycle-missing',
        severity: young ? 'info' : 'high',
        exchange: r.exchange,
        symbol: r.symbol,
        positionId: r.position_id,
        message: `${what}${memory ? ` (${memory.source} holds it in memory)` : ''}; ts-audit judges the position lifecycle-managed because ${why.join('; ')}${young ? '; opened less than a minute ago, its row may not be written yet' : ''}`,
        evidence: {
          reason: stale ? 'not-in-position' : 'no-row',
          onRestart: stale ? `lifecycle ${r.lifecycle_state ?? '?'} -> in_position (forced)` : 'no lifecycle: no trailing exit',
          lifecycleState: r.lifecycle_state,
          lifecycleRows: Number(rowsInTable),
          trailingActivationPercent: r.trailing_activation_percent,
          trailingCallbackPercent: r.trailing_callback_percent,
          signalId: r.position_signal_id,
          signalLifecycle: r.signal_lifecycle,
          openedAt: r.opened_at,
          inMemory: memory ? memory.source : null,
          stopOutcome: r.stop_outcome,
        },
      });
    }
    return found;
  },
};
export default lifecycleMissing;
