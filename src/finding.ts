// What a check finds, and the key of an (exchange, symbol): shared by the checks and by every layer
// below them (the dump, journal, log and lifecycle readers build findings and keys too), so it lives
// where every layer can import it (src/checks/types.ts re-exports both).
import type { Severity } from './severity.js';

export interface Finding {
  check: string;
  severity: Severity;
  exchange: string;
  symbol: string;
  positionId: number | null;
  message: string;
  evidence: Record<string, unknown>;
  /**
   * Why the finding may not hold, when something it rests on could not be seen (a journal gap, a
   * start-up that left no event, a row as it is now for a past moment): also said in its message.
   */
  uncertain?: string[];
  /**
   * The check whose finding on this (exchange, symbol) is the root cause this finding belongs to: the
   * finding's own check when it is the problem, another when it is one of that problem's consequences.
   * Set on every finding of a finished report (src/report/problems.ts).
   */
  problem?: string;
}

/** A finding whose evidence has its check's own shape. */
export type FindingOf<Evidence extends Record<string, unknown>> = Omit<Finding, 'evidence'> & { evidence: Evidence };

/** One (exchange, symbol) as a map key. */
export const stopKey = (exchange: string, symbol: string) => `${exchange}\u0000${symbol}`;
