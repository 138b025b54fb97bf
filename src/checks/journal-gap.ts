import { QUIET_MS } from '../journal/read.js';
import { utcText } from '../time.js';
import type { DbCheck } from './types.js';

interface Row {
  position_id: number;
  exchange: string;
  symbol: string;
  opened_at: Date | null;
  started_at: Date;
  marker: string;
  moment: Date;
}

/** What a finding carries: the silent session (its start and marker), the position, and the moment judged. */
type JournalGapEvidence = { sessionStartedAt: Date; marker: string; positionOpenedAt: Date | null; moment: Date };

const journalGap: DbCheck<Row, JournalGapEvidence> = {
  id: 'journal-gap',
  kind: 'database',
  commands: ['check'],
  withReplay: true,
  severities: ['high'],
  summary: "The bot's current session has written no event since it started: what memory holds for each open position is unknown, not empty.",
  query: 'journal-gap',
  columns: { position_id: true, exchange: true, symbol: true, opened_at: true, started_at: true, marker: true, moment: true },
  failureMode:
    'The EventLogger is given the repository\'s pool when the bot starts; when that pool was not initialised (the 2025-10-26 incident) or every batch write fails, the session journals nothing. A replay of such a session would read as "nothing changed since the start" and give a confident, wrong memory; a session whose logger never started leaves no bot_started at all, which only the logs show (`ts-audit logs`).',
  repair:
    'Check the bot\'s logs for "EventLogger initialization failed" and "EventLogger batch write failed"; until the journal records again, compare memory with a dump (`ts-audit diff --dump ...`) instead of --from-events.',
  evaluate: (rows) =>
    rows
      // Events wait up to a flush interval, and a quiet minute can be a quiet market: a session younger
      // than that is not called silent yet.
      .filter((r) => r.moment.getTime() - r.started_at.getTime() > QUIET_MS)
      .map((r) => ({
        check: journalGap.id,
        severity: 'high',
        exchange: r.exchange,
        symbol: r.symbol,
        positionId: r.position_id,
        message: `memory unknown: the session that started at ${utcText(r.started_at)} (${r.marker}) has written no event since, although this position is open: the EventLogger failed or lost its batches, so nothing says what the bot holds for it`,
        evidence: { sessionStartedAt: r.started_at, marker: r.marker, positionOpenedAt: r.opened_at, moment: r.moment },
        uncertain: ['memory unknown'],
      })),
};
export default journalGap;
