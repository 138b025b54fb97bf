import { plural } from '../words.js';
import { utcText } from '../time.js';
import type { JournalLoss } from '../logs/analyze.js';
import type { LogCheck } from './types.js';

/** What a finding carries: the loss (its kind and first moment are its identity), its span, counts and one line. */
type JournalLossEvidence = { reason: string; failures: number } & Pick<JournalLoss, 'kind' | 'first' | 'last' | 'events' | 'example'>;

const journalLoss: LogCheck<JournalLossEvidence> = {
  id: 'journal-loss',
  kind: 'logs',
  commands: ['logs'],
  identityByReason: true,
  severities: ['high', 'medium'],
  severityText: 'high when the EventLogger failed to start (a session with no journal at all); medium for dropped batches (events missing)',
  summary:
    "The bot's event journal lost events: `EventLogger initialization failed` (that session writes no event) or `EventLogger batch write failed (N events)` (N events dropped).",
  failureMode:
    "The bot's EventLogger is given the repository's pool when the bot starts: when that pool was not initialised (the 2025-10-26 incident) it fails to start and the session journals nothing, not even bot_started. Events are written in batches; a batch whose INSERT fails is dropped. A replay of the journal (--from-events, --as-of) over such a span gives a confident memory that is wrong: for a session with no journal it replays the previous one's.",
  repair:
    'Fix the database connection of the bot; until the journal is whole again, compare memory with a dump (`ts-audit diff --dump ...`), and read --from-events results over these spans as incomplete.',
  evaluate: (analysis) =>
    analysis.journalLosses.map((l) => {
      const init = l.kind === 'init-failed';
      const when = l.count > 1 ? `between ${utcText(l.first)} and ${utcText(l.last)}` : `at ${utcText(l.first)}`;
      return {
        check: journalLoss.id,
        severity: init ? 'high' : 'medium',
        exchange: '-',
        symbol: '-',
        positionId: null,
        message: init
          ? `the EventLogger failed to start ${when}: the session that started then has no journal, so --from-events cannot know its memory (a replay reads the previous session instead)`
          : `the EventLogger dropped ${l.events === null ? 'events' : plural(l.events, 'event')} ${when} (${plural(l.count, 'failed batch write')}): a replay of the journal over that span is incomplete`,
        evidence: {
          reason: `${l.kind} ${l.first.toISOString()}`,
          kind: l.kind,
          first: l.first,
          last: l.last,
          failures: l.count,
          events: l.events,
          example: l.example,
        },
      };
    }),
};
export default journalLoss;
