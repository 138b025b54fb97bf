import type { Finding } from '../checks/types.js';
import { PairIndex } from '../key-index.js';
import { emptyCounts } from '../severity.js';
import { FindingStore, type Findings } from './findings.js';
import type { LifecycleRestart } from '../lifecycles/judge.js';

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

/**
 * The restore simulation's outcome for the open positions: "3/9 open positions would get their stop back
 * (33%)". With the current bot's signal lifecycles (its real trailing exit), a position gets its stop
 * back only when its stop row is restored and its lifecycle keeps its exit state: the line never reads
 * as a clean 100% while a restart would reset a lifecycle's peak and latch, or leave a position without one.
 */
export function restartPrediction(restored: number, openPositions: number, lifecycles?: LifecycleRestart) {
  const broken = lifecycles ? lifecycles.reset + lifecycles.missing : 0;
  const kept = lifecycles ? restored - lifecycles.restoredButBroken : restored;
  const percent = percentOf(kept, openPositions);
  const parts =
    lifecycles && broken > 0
      ? [
          ...(lifecycles.reset ? [`${lifecycles.reset} lifecycle exit${lifecycles.reset === 1 ? '' : 's'} reset (peak and latch)`] : []),
          ...(lifecycles.missing ? [`${lifecycles.missing} position${lifecycles.missing === 1 ? '' : 's'} with no lifecycle (no trailing exit)`] : []),
        ]
      : [];
  const text =
    openPositions === 0
      ? 'no open positions: nothing for a restart to restore'
      : `${kept}/${openPositions} open positions would get their stop back (${percent}%)` +
        (parts.length ? `: ${restored}/${openPositions} stop rows restored, but ${parts.join(', ')}` : '');
  return {
    restored: kept,
    openPositions,
    percent,
    text,
    ...(lifecycles && lifecycles.judged > 0 ? { lifecycles: { reset: lifecycles.reset, missing: lifecycles.missing } } : {}),
  };
}

/** What the last restart in the logs did: "1/14 stops restored at the last restart in the logs (7%)". */
export function restartInLogs(restored: number, handled: number) {
  const percent = percentOf(restored, handled);
  const text =
    handled === 0 ? 'the last restart in the logs handled no stops' : `${restored}/${handled} stops restored at the last restart in the logs (${percent}%)`;
  return { restored, openPositions: handled, percent, text };
}
