import type { SaveFailure, SaveLoss } from '../logs/analyze.js';
import { logFinding } from '../logs/finding.js';
import { utcText } from '../time.js';
import type { LogCheck } from './types.js';

const KIND_TEXT: Record<string, string> = {
  'pool-not-initialized': 'pool not initialized',
  'save-failed': 'save failed',
  'position-not-found': 'position not found',
  retrying: 'retrying',
};

const LOSS_TEXT: Record<SaveLoss, string> = {
  'never-saved': 'the stop never got a row: it exists only in memory',
  activated: 'the stop was activated in memory: a restart loses the activation and the peak',
  unknown: 'the logs do not show whether the stop ever got a row: it may exist only in memory',
  'updates-only': 'only updates of an existing row failed: the row lags memory',
};

/** What a finding carries: the symbol's failed saves by kind, their span, what they lost, a retry that saved it, one line. */
type SaveFailureEvidence = Pick<SaveFailure, 'count' | 'kinds' | 'loss' | 'first' | 'last' | 'recoveredAt' | 'example'>;

const saveFailure: LogCheck<SaveFailureEvidence> = {
  id: 'save-failure',
  kind: 'logs',
  problemOf: [{ cause: 'saves-failing', rank: 0 }],
  commands: ['logs'],
  severities: ['critical', 'high'],
  severityText:
    'critical when the stop never got a row, was activated in memory, or the logs cannot tell; high when only updates of an existing row failed (the row lags memory), or a retry saved it',
  summary:
    "The logs show this symbol's stop failing to save: critical when the stop never got a row or was activated in memory (or the logs cannot tell), high when only updates of an existing row failed.",
  failureMode:
    "The 2025-10-26 incident: `❌ X: Failed to save TS state: 'NoneType' object has no attribute 'acquire'` while the repository pool was not initialised; the stop stayed in memory and the restart recreated it.",
  repair:
    'Fix persistence (the repository pool), then run `ts-audit diff --from-events` to see which stops still exist only in memory and `ts-audit rescue` to write their rows before restarting.',
  evaluate: (analysis) =>
    analysis.saveFailures.map((f) =>
      logFinding(
        analysis,
        saveFailure.id,
        f.recoveredAt || f.loss === 'updates-only' ? 'high' : 'critical',
        f.symbol,
        `${f.count} failed save${f.count === 1 ? '' : 's'} (${Object.entries(f.kinds)
          .map(([k, n]) => `${KIND_TEXT[k] ?? k} ${n}`)
          .join(', ')}) ` +
          `between ${utcText(f.first)} and ${utcText(f.last)}: ${f.recoveredAt ? `saved on retry at ${utcText(f.recoveredAt)}` : LOSS_TEXT[f.loss]}`,
        { count: f.count, kinds: f.kinds, loss: f.loss, first: f.first, last: f.last, recoveredAt: f.recoveredAt, example: f.example },
      ),
    ),
};
export default saveFailure;
