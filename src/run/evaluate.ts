// Stage 5: the checks judge the rows; the configured severity replaces the checks' own.
import type { AnyDbCheck, AuditContext, Finding } from '../checks/types.js';
import type { Severity } from '../severity.js';

export function evaluateDbChecks(checks: AnyDbCheck[], rows: Map<string, object[]>, ctx: AuditContext): Finding[] {
  return checks.flatMap((c) => c.evaluate(rows.get(c.query) ?? [], ctx));
}

/** The checks that read this query, evaluated on its rows (fetchRows' onRows: while the next query runs). */
export function evaluateQueryChecks(checks: AnyDbCheck[], query: string, rows: object[], ctx: AuditContext): Finding[] {
  return checks.filter((c) => c.query === query).flatMap((c) => c.evaluate(rows, ctx));
}

/** Severity overrides from the configuration, applied to every finding of the check. */
export function applySeverity(findings: Finding[], overrides: Record<string, Severity>): Finding[] {
  return findings.map((f) => (overrides[f.check] ? { ...f, severity: overrides[f.check] as Severity } : f));
}
