// ts-audit explain CHECK: what a check means, the failure mode behind it, its query, how to repair.
// Every id a report can carry is here: the registry holds them all.
import { CHECKS, findCheck } from '../checks/index.js';
import { checkPagePath } from '../checks/types.js';
import { loadQuery } from '../db/queries.js';
import { UsageError } from '../errors.js';
import type { Explanation } from '../report/types.js';
import { didYouMean } from '../suggest.js';
import { optionFlag } from '../thresholds.js';

/** An explanation, and where its documentation page is (in the repository and the package). */
export type ExplainResult = Explanation & { docs: string };

export function explain(id: string): ExplainResult {
  const check = findCheck(id);
  if (!check) {
    const ids = CHECKS.map((c) => c.id);
    throw new UsageError(`unknown check "${id}"${didYouMean(id, ids)}; checks: ${ids.join(', ')}`);
  }
  return {
    id: check.id,
    kind: check.kind,
    severities: check.severities,
    summary: check.summary,
    failureMode: check.failureMode,
    repair: check.repair,
    ...(check.notRescued ? { notRescued: check.notRescued } : {}),
    commands: [...check.commands],
    thresholds: (check.thresholds ?? []).map((t) => ({ option: optionFlag(t.name), default: t.default, help: t.help })),
    query: check.kind === 'database' ? { name: check.query, sql: loadQuery(check.query) } : null,
    docs: checkPagePath(check.id),
  };
}

export function listChecks(): Pick<Explanation, 'id' | 'kind' | 'severities' | 'summary'>[] {
  return CHECKS.map((c) => ({ id: c.id, kind: c.kind, severities: c.severities, summary: c.summary }));
}
