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

/** A share in percent, rounded down so that 100% means every one; 100 when there are none. */
const percentOf = (part: number, whole: number) => (whole === 0 ? 100 : Math.floor((part * 100) / whole));

/** "1/14 stops in memory have a row (7%)". */
export function restartCoverage(withRow: number, inMemory: number) {
  const percent = percentOf(withRow, inMemory);
  return { withRow, inMemory, percent, text: `${withRow}/${inMemory} stops in memory have a row (${percent}%)` };
}

/** "1/14 restored (7%)", from the restore simulation or a restart in the logs. */
export function restoreSummary(restored: number, openPositions: number, suffix = '') {
  const percent = percentOf(restored, openPositions);
  return { restored, openPositions, percent, text: `${restored}/${openPositions} restored (${percent}%)${suffix}` };
}
