// ts-audit explain CHECK: what a check means, the failure mode behind it, its query, how to repair.
import { ALL_CHECKS, DB_CHECKS, findCheck } from '../checks/index.js';
import { loadQuery } from '../db/queries.js';
import { UsageError } from '../errors.js';

export interface Explanation {
  id: string;
  severities: string[];
  summary: string;
  failureMode: string;
  repair: string;
  query: { name: string; sql: string } | null;
}

export function explain(id: string): Explanation {
  const check = findCheck(id);
  if (!check) throw new UsageError(`unknown check "${id}"; checks: ${ALL_CHECKS.map((c) => c.id).join(', ')}`);
  const db = DB_CHECKS.find((c) => c.id === id);
  return {
    id: check.id,
    severities: check.severities,
    summary: check.summary,
    failureMode: check.failureMode,
    repair: check.repair,
    query: db ? { name: db.query, sql: loadQuery(db.query) } : null,
  };
}

export function listChecks(): Pick<Explanation, 'id' | 'severities' | 'summary'>[] {
  return ALL_CHECKS.map((c) => ({ id: c.id, severities: c.severities, summary: c.summary }));
}
