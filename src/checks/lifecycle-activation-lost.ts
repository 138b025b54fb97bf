import { logFinding } from '../logs/finding.js';
import { utcText } from '../time.js';
import type { LostActivation } from '../logs/lifecycles.js';
import type { LogCheck } from './types.js';

/** What a finding carries: the activation before the restart, the restart, and the re-arming after it (if any). */
type ActivationLostEvidence = Pick<LostActivation, 'activatedAt' | 'peakBefore' | 'restartAt' | 'rearmedAt' | 'peakAfter' | 'example'>;

const lifecycleActivationLost: LogCheck<ActivationLostEvidence> = {
  id: 'lifecycle-activation-lost',
  kind: 'logs',
  commands: ['logs'],
  severities: ['high', 'medium'],
  severityText: 'high when the latch was re-armed at a lower peak or not at all; medium when the log shows no peak to compare',
  summary: 'Across a restart, a signal lifecycle that had activated (with no exit) lost its latch and peak: re-armed later at a lower peak, or not at all.',
  failureMode:
    "The current bot holds a lifecycle's activation latch and peak in memory only; a restart rebuilds the lifecycle from its row, as written at the open. An activation logged before a restart and not followed by an exit, then a second activation after it with a lower `peak=` (or none), is the loss made visible: the restarted bot held a position the earlier one would have exited.",
  repair:
    "Check those positions now (their exit is measured from the re-armed peak, or not armed at all); before the next restart, run `ts-audit check` (its lifecycle findings) and write the lifecycles' real peaks and latches into their rows with the bot stopped.",
  notRescued: 'a past loss; the lifecycle rows of open positions are judged by `ts-audit check`',
  evaluate: (analysis) =>
    (analysis.lifecycles?.lostActivations ?? []).map((l) => {
      const before = `activated at ${utcText(l.activatedAt)}${l.peakBefore ? ` (peak ${l.peakBefore})` : ''} with no exit before the restart at ${utcText(l.restartAt)}`;
      const after = l.rearmedAt
        ? `re-armed at ${utcText(l.rearmedAt)}${l.peakAfter ? ` at the lower peak ${l.peakAfter}` : ' (the log shows no peak to compare)'}`
        : 'not re-armed since in the log: the restarted bot held it without a trailing exit';
      const unknown = l.rearmedAt !== null && (!l.peakAfter || !l.peakBefore);
      return logFinding(
        analysis,
        'lifecycle-activation-lost',
        unknown ? 'medium' : 'high',
        l.symbol,
        `lifecycle activation lost at a restart: ${before}; ${after}`,
        {
          activatedAt: l.activatedAt,
          peakBefore: l.peakBefore,
          restartAt: l.restartAt,
          rearmedAt: l.rearmedAt,
          peakAfter: l.peakAfter,
          example: l.example,
        },
      );
    }),
};
export default lifecycleActivationLost;
