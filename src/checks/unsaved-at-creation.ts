import { formatSpan } from '../duration.js';
import { utcText } from '../time.js';
import type { DbCheck } from './types.js';

interface Row {
  position_id: number;
  exchange: string;
  symbol: string;
  opened_at: Date | null;
  created_event_at: Date;
  row_created_at: Date | null;
  lag_seconds: string | null;
  written_by_startup_at?: Date | null;
  saved_by_restart_at: Date | null;
}

/** What a finding carries: the creation the journal shows, the row (if any) and its lag, and who wrote it late. */
type UnsavedEvidence = {
  writtenByStartup?: true;
  createdEventAt: Date;
  rowCreatedAt: Date | null;
  lagSeconds: number | null;
  savedByRestartAt: Date | null;
  positionOpenedAt: Date | null;
};

const unsavedAtCreation: DbCheck<Row, UnsavedEvidence> = {
  id: 'unsaved-at-creation',
  kind: 'database',
  problemOf: [{ cause: 'no-row', rank: 2 }],
  commands: ['check'],
  cause: 'saves-failing',
  severities: ['high', 'medium'],
  severityText: 'high when the open position still has no row; medium when a row came later than --late-after (a restart or a later save wrote it)',
  summary:
    'The event journal shows the stop created for an open position, but no row was saved with it: it lived in memory only, or (current bot) its creation failed.',
  query: 'unsaved-at-creation',
  columns: {
    position_id: true,
    exchange: true,
    symbol: true,
    opened_at: true,
    created_event_at: true,
    row_created_at: true,
    lag_seconds: true,
    written_by_startup_at: true,
    saved_by_restart_at: true,
  },
  failureMode:
    "The 2025-10-26 incident, found from the database alone: trailing_stop_created is written before the save, so it exists when the save failed (as long as the bot's EventLogger works). The rows appeared 3-4 hours later, written by the restart's start-up (before its bot_started, with no event), with peaks and activations lost.",
  repair:
    'While a row is missing, `ts-audit diff --from-events` shows what memory holds and `ts-audit rescue --from-events -o rescue.sql` writes the rows (review and apply the script); fix persistence (logs: "Failed to save TS state", "Repository pool not initialized").',
  evaluate: (rows) =>
    rows.map((r) => {
      const lag = r.lag_seconds === null ? null : Number(r.lag_seconds);
      return {
        check: unsavedAtCreation.id,
        severity: r.row_created_at ? 'medium' : 'high',
        exchange: r.exchange,
        symbol: r.symbol,
        positionId: r.position_id,
        message: r.row_created_at
          ? `created in memory ${utcText(r.created_event_at)} per the journal, row created ${utcText(r.row_created_at)}: not saved for ${formatSpan(lag ?? 0)}${savedBy(r)}`
          : `created in memory ${utcText(r.created_event_at)} per the journal, and no row since: it exists only in memory, or its creation failed and the position trails nothing`,
        evidence: {
          ...(r.written_by_startup_at ? { writtenByStartup: true } : {}),
          createdEventAt: r.created_event_at,
          rowCreatedAt: r.row_created_at,
          lagSeconds: lag,
          savedByRestartAt: r.saved_by_restart_at,
          positionOpenedAt: r.opened_at,
        },
      };
    }),
};
export default unsavedAtCreation;

/** Who wrote the late row: a start-up (before its session's bot_started), or a save after a restart. */
function savedBy(r: Row): string {
  if (r.written_by_startup_at) return ` (written by the start-up of the session that began at ${utcText(r.written_by_startup_at)})`;
  return r.saved_by_restart_at ? ` (written after the restart at ${utcText(r.saved_by_restart_at)})` : '';
}
