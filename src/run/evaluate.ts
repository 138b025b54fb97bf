// Stage 5: the checks judge the rows; the configured severity replaces the checks' own.
import type { AnyDbCheck, AuditContext, Finding } from '../checks/types.js';
import { setImmediate } from 'node:timers/promises';
import type { Severity } from '../severity.js';

export function evaluateDbChecks(checks: AnyDbCheck[], rows: Map<string, object[]>, ctx: AuditContext): Finding[] {
  return checks.flatMap((c) => c.evaluate(rows.get(c.query) ?? [], ctx));
}

/** The checks that read this query, evaluated on its rows (fetchRows' onRows: while the next query runs). */
export function evaluateQueryChecks(checks: AnyDbCheck[], query: string, rows: object[], ctx: AuditContext): Finding[] {
  return checks.filter((c) => c.query === query).flatMap((c) => c.evaluate(rows, ctx));
}

/** Rows judged between two turns of the event loop: about as long as reading a few of the server's answers takes. */
export const JUDGE_BATCH = 256;

/**
 * evaluateQueryChecks for fetchRows' onRows: where every check of the query judges each row on its
 * own (DbCheck.byRow), a batch of rows at a time, with a turn of the event loop after each, so that
 * the connection is read and the next query sent while a large query's rows are judged. `take`
 * receives each batch's findings.
 */
export async function evaluateQueryChecksInBatches(
  checks: AnyDbCheck[],
  query: string,
  rows: object[],
  ctx: AuditContext,
  take: (findings: Finding[]) => void,
): Promise<void> {
  const own = checks.filter((c) => c.query === query);
  if (rows.length <= JUDGE_BATCH || !own.every((c) => c.byRow)) return take(evaluateQueryChecks(own, query, rows, ctx));
  for (let i = 0; i < rows.length; i += JUDGE_BATCH) {
    take(evaluateQueryChecks(own, query, rows.slice(i, i + JUDGE_BATCH), ctx));
    await setImmediate();
  }
}

/** Severity overrides from the configuration, applied to every finding of the check. */
export function applySeverity(findings: Finding[], overrides: Record<string, Severity>): Finding[] {
  return findings.map((f) => (overrides[f.check] ? { ...f, severity: overrides[f.check] as Severity } : f));
}
