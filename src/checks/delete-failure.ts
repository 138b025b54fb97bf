import { logFinding } from '../logs/finding.js';
import { utcText } from '../time.js';
import type { DeleteFailure } from '../logs/analyze.js';
import type { LogCheck } from './types.js';

/** What a finding carries: the failed deletes, whether the bot then logged success, one of its lines. */
type DeleteFailureEvidence = Pick<DeleteFailure, 'count' | 'last' | 'falseSuccess' | 'example'>;

const deleteFailure: LogCheck<DeleteFailureEvidence> = {
  id: 'delete-failure',
  kind: 'logs',
  commands: ['logs'],
  severities: ['medium'],
  summary:
    'A closed position whose row the bot failed to delete (`Failed to delete TS state for X`, often followed by a false "removed from memory AND database"): the row stays behind.',
  failureMode:
    'When the delete fails the repository logs the error and the manager still logs success. The row stays: a restart restores it onto a reopened position of the symbol, or deletes it for a side mismatch.',
  repair: 'Run `ts-audit orphans` and `ts-audit restore`, and delete the rows of ended positions while the bot is stopped.',
  evaluate: (analysis) =>
    analysis.deleteFailures.map((d) =>
      logFinding(
        analysis,
        deleteFailure.id,
        'medium',
        d.symbol,
        `deleting the row failed when the position closed (${utcText(d.last)})${d.falseSuccess ? ', although the bot then logged it removed from memory AND database' : ''}: ` +
          'the row stays, and a restart restores it onto a reopened position or deletes it for a side mismatch',
        { count: d.count, last: d.last, falseSuccess: d.falseSuccess, example: d.example },
      ),
    ),
};
export default deleteFailure;
