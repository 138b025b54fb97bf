import type { Finding } from '../checks/types.js';
import { PairIndex } from '../dump/key-index.js';
import { emptyCounts } from '../severity.js';
import { FindingStore, type Findings } from './findings.js';

/** Severity first, then exchange, symbol and check: the order every format shows (in bounded memory). */
export function sortFindings(findings: Iterable<Finding>): Findings {
  const store = new FindingStore();
  for (const f of findings) store.add(f);
  return store.finish();
}

export function countFindings(findings: Iterable<Finding>, checks: string[]) {
  const bySeverity = emptyCounts();
  const byCheck: Record<string, number> = Object.fromEntries(checks.map((c) => [c, 0]));
  // The (exchange, symbol) pairs, in typed arrays past 100,000: a million findings stay a few tens of MB.
  const pairs = new PairIndex();
  let uncertain = 0;
  for (const f of findings) {
    if (f.uncertain?.length) uncertain += 1;
    bySeverity[f.severity] += 1;
    byCheck[f.check] = (byCheck[f.check] ?? 0) + 1;
    pairs.set(f.exchange, f.symbol, 0);
  }
  return { bySeverity, byCheck, positions: pairs.size, ...(uncertain ? { uncertain } : {}) };
}

/** A share in percent, rounded down so that 100% means every one; null when there are none (0 of 0 is no share). */
const percentOf = (part: number, whole: number) => (whole === 0 ? null : Math.floor((part * 100) / whole));

/** The restore simulation's outcome for the open positions: "3/9 open positions would get their stop back (33%)". */
export function restartPrediction(restored: number, openPositions: number) {
  const percent = percentOf(restored, openPositions);
  const text =
    openPositions === 0
      ? 'no open positions: nothing for a restart to restore'
      : `${restored}/${openPositions} open positions would get their stop back (${percent}%)`;
  return { restored, openPositions, percent, text };
}

/** What the last restart in the logs did: "1/14 stops restored at the last restart in the logs (7%)". */
export function restartInLogs(restored: number, handled: number) {
  const percent = percentOf(restored, handled);
  const text =
    handled === 0
      ? 'the last restart in the logs handled no stops'
      : `${restored}/${handled} stops restored at the last restart in the logs (${percent}%)`;
  return { restored, openPositions: handled, percent, text };
}
