// A finding of a log check: the symbol's exchange comes from the [TS_DEBUG] sets, and when none lists
// the symbol the message says so.
import type { FindingOf } from '../finding.js';
import type { Severity } from '../severity.js';
import type { LogAnalysis } from './analyze.js';

export function logFinding<E extends Record<string, unknown>>(
  analysis: LogAnalysis,
  check: string,
  severity: Severity,
  symbol: string,
  message: string,
  evidence: E,
): FindingOf<E> {
  const exchange = analysis.memory.find((m) => m.symbols.includes(symbol))?.exchange;
  return {
    check,
    severity,
    exchange: exchange ?? '-',
    symbol,
    positionId: null,
    message: `${message}${exchange ? '' : ' (exchange unknown from the log: no [TS_DEBUG] line lists the symbol)'}`,
    evidence,
  };
}
