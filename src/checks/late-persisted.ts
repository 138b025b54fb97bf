import { formatSpan } from '../duration.js';
import { durationThreshold } from '../thresholds.js';
import { TIMESTAMP_COLUMNS, type TimestampRow } from '../db/rows.js';
import type { DbCheck } from './types.js';

/** What a finding carries: when the position opened, when its row was created, and the lag between them. */
type LatePersistedEvidence = { positionOpenedAt: TimestampRow['opened_at']; stopCreatedAt: TimestampRow['stop_created_at']; lagSeconds: number };

const latePersisted: DbCheck<TimestampRow, LatePersistedEvidence> = {
  id: 'late-persisted',
  kind: 'database',
  commands: ['timestamps', 'check'],
  thresholds: [durationThreshold('lateAfter', 'late-persisted: a row created this long after its position opened', '5m', 'late_after_seconds')],
  severities: ['medium'],
  summary: 'A stop row created long after its position opened: it was recreated later (e.g. at a restart), not saved at open.',
  query: 'late-persisted',
  columns: TIMESTAMP_COLUMNS,
  failureMode:
    'The bot saves a stop when its position opens. In the 2025-10-26 incident those saves failed silently (the pool was not initialised), so the rows were only created when a restart found none: created_at 16:30:34, positions opened 3-4 hours earlier, peaks and activations lost.',
  repair:
    'Find why the save at open failed (logs: "Failed to save TS state", "Repository pool not initialized"), fix it, then compare memory with `ts-audit diff` before the next restart.',
  evaluate: (rows, ctx) =>
    rows
      .filter((r) => r.late)
      .map((r) => {
        const lag = Number(r.lag_seconds);
        return {
          check: 'late-persisted',
          severity: 'medium',
          exchange: r.exchange,
          symbol: r.symbol,
          positionId: r.position_id,
          message: `stop row created ${formatSpan(lag)} after its position opened (more than ${formatSpan(ctx.thresholds.lateAfter as number)})`,
          evidence: { positionOpenedAt: r.opened_at, stopCreatedAt: r.stop_created_at, lagSeconds: lag },
        };
      }),
};
export default latePersisted;
