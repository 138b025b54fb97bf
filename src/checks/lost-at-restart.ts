import { logFinding } from '../logs/finding.js';
import { utcText } from '../time.js';
import type { LogAnalysis } from '../logs/analyze.js';
import type { LogCheck } from './types.js';

/** What a finding carries: how many restarts lost the stop, and the latest of them. */
type LostAtRestartEvidence = Omit<LogAnalysis['restoreLosses'][number], 'symbol'>;

const lostAtRestart: LogCheck<LostAtRestartEvidence> = {
  id: 'lost-at-restart',
  kind: 'logs',
  problemOf: [{ cause: 'saves-failing', rank: 1 }],
  commands: ['logs'],
  severities: ['high'],
  summary: "A restart in the logs did not restore this symbol's stop: created new, failed, timed out, or deleted (a side mismatch included).",
  failureMode:
    'At the 2025-10-26 restart the bot logged "New TS created (no state in DB)" for 13 of 14 positions: their rows had never been saved, so peaks, activations and counters were lost.',
  repair:
    'Read the save failures before that restart; before the next one, run `ts-audit restore` and `ts-audit diff` until every open position would be restored.',
  evaluate: (analysis) =>
    analysis.restoreLosses.map((l) =>
      logFinding(
        analysis,
        lostAtRestart.id,
        'high',
        l.symbol,
        `not restored at ${l.restarts} restart${l.restarts === 1 ? '' : 's'}; at the last one (${utcText(l.lastAt)}): ${l.lastOutcome.replace(/([A-Z])/g, ' $1').toLowerCase()}`,
        { restarts: l.restarts, lastAt: l.lastAt, lastOutcome: l.lastOutcome },
      ),
    ),
};
export default lostAtRestart;
