import type { Finding } from '../checks/types.js';
import { compareSeverity, emptyCounts } from '../severity.js';

/** Severity first, then exchange, symbol and check: the order every format shows. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      compareSeverity(a.severity, b.severity) ||
      a.exchange.localeCompare(b.exchange) ||
      a.symbol.localeCompare(b.symbol) ||
      a.check.localeCompare(b.check),
  );
}

export function countFindings(findings: Finding[], checks: string[]) {
  const bySeverity = emptyCounts();
  const byCheck: Record<string, number> = Object.fromEntries(checks.map((c) => [c, 0]));
  for (const f of findings) {
    bySeverity[f.severity] += 1;
    byCheck[f.check] = (byCheck[f.check] ?? 0) + 1;
  }
  return { bySeverity, byCheck };
}

/** "1/14 stops in memory have a row (7%)": rounded down, so 100% means every one. */
export function restartCoverage(withRow: number, inMemory: number) {
  const percent = inMemory === 0 ? 100 : Math.floor((withRow * 100) / inMemory);
  return { withRow, inMemory, percent, text: `${withRow}/${inMemory} stops in memory have a row (${percent}%)` };
}
