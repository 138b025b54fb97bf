import { logFinding } from '../logs/finding.js';
import { utcText } from '../time.js';
import type { LifecyclePersistFailure } from '../logs/lifecycles.js';
import type { FindingOf, LogCheck } from './types.js';

/** What a finding carries: the failed writes of a symbol's lifecycle, or a restart that loaded none. */
type PersistFailureEvidence =
  | ({ reason: 'persist-failed' } & Pick<LifecyclePersistFailure, 'count' | 'first' | 'last' | 'activatedAfter' | 'example'>)
  | { reason: 'load-failed'; at: Date; example: string };

const lifecyclePersistFailure: LogCheck<PersistFailureEvidence> = {
  id: 'lifecycle-persist-failure',
  kind: 'logs',
  commands: ['logs'],
  identityByReason: true,
  severities: ['critical', 'high'],
  severityText:
    'high for a failed lifecycle write; critical when the lifecycle then activated (memory holds an armed exit the row never will), and for a restart that could not load the lifecycles at all',
  summary: "The log shows a signal lifecycle's write failing (the bot swallows it), or a restart that could not load the lifecycles from the database.",
  failureMode:
    'The current bot writes a lifecycle row at the open, at a trailing exit and at an external close, and every write swallows its error, logging `Failed to persist lifecycle for X: …` at ERROR. A failed write at the open leaves the position with no row: after a restart it has no trailing exit. `Failed to load lifecycles from DB` at a start-up means that restart rebuilt no lifecycle at all.',
  repair:
    'Run `ts-audit check` to see which open positions have no lifecycle row before restarting; write the missing rows or watch those positions by hand after the restart. Fix the database access that failed.',
  notRescued: 'rescue writes stop rows only; a lifecycle row needs the strategy parameters, which only the bot holds',
  evaluate: (analysis) => {
    const log = analysis.lifecycles;
    if (!log) return [];
    const out: FindingOf<PersistFailureEvidence>[] = log.persistFailures.map((f) =>
      logFinding(
        analysis,
        'lifecycle-persist-failure',
        f.activatedAfter ? 'critical' : 'high',
        f.symbol,
        `${f.count} failed lifecycle write${f.count === 1 ? '' : 's'} between ${utcText(f.first)} and ${utcText(f.last)}, swallowed by the bot: the row may hold none of it (a write at the open leaves no row, so no trailing exit after a restart)` +
          (f.activatedAfter ? `; the lifecycle then activated at ${utcText(f.activatedAfter)}, an armed exit that exists in memory only` : ''),
        { reason: 'persist-failed' as const, count: f.count, first: f.first, last: f.last, activatedAfter: f.activatedAfter, example: f.example },
      ),
    );
    for (const l of log.loadFailures) {
      out.push({
        check: 'lifecycle-persist-failure',
        severity: 'critical',
        exchange: '-',
        symbol: '*',
        positionId: null,
        message: `the restart at ${utcText(l.at)} could not load the lifecycles from the database: it rebuilt none, so no open position had a trailing exit after it`,
        evidence: { reason: 'load-failed', at: l.at, example: l.example },
      });
    }
    return out;
  },
};
export default lifecyclePersistFailure;
