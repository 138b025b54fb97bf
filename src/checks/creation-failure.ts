import { logFinding } from '../logs/finding.js';
import { utcText } from '../time.js';
import type { CreationFailure } from '../logs/analyze.js';
import type { LogCheck } from './types.js';

/** What a finding carries: the failures the log shows, the latest of them and one of its lines. */
type CreationFailureEvidence = Pick<CreationFailure, 'count' | 'last' | 'kind' | 'example'>;

const creationFailure: LogCheck<CreationFailureEvidence> = {
  id: 'creation-failure',
  kind: 'logs',
  commands: ['logs'],
  severities: ['high'],
  summary:
    'The bot failed to create a stop outside a restart (`Failed to create trailing stop for X ... continuing without TS`, or its timeout): the position trails nothing.',
  failureMode:
    'The current bot raises when the repository pool is not initialised (`Repository pool not initialized!`, RuntimeError), so the stop exists neither in memory nor in the table; the position manager logs the failure and continues without a stop.',
  repair:
    'Fix the cause in the logs, then restart the bot (it creates stops for open positions that have none) or recreate the stop; `ts-audit diff` shows the positions that trail nothing.',
  evaluate: (analysis) =>
    analysis.creationFailures.map((c) =>
      logFinding(
        analysis,
        creationFailure.id,
        'high',
        c.symbol,
        `the bot ${c.kind === 'timed-out' ? 'timed out creating' : 'failed to create'} the stop at ${utcText(c.last)} and continued without it: the position trails nothing`,
        { count: c.count, last: c.last, kind: c.kind, example: c.example },
      ),
    ),
};
export default creationFailure;
