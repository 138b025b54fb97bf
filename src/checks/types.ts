import type { Tolerance } from '../decimal.js';
import type { Severity } from '../severity.js';

export interface Finding {
  check: string;
  severity: Severity;
  exchange: string;
  symbol: string;
  positionId: number | null;
  message: string;
  evidence: Record<string, unknown>;
}

export interface CheckInfo {
  id: string;
  /** The severities this check can give, most severe first. */
  severities: Severity[];
  /** One line: what it catches. */
  summary: string;
}

/** What the diff checks need besides the two sides being compared. */
export interface DiffContext {
  dumpedAt: Date | null;
  priceTolerance: Tolerance;
  /** Digits after the point of each trailing_stop_state numeric column (null: unconstrained). */
  scales: Record<string, number | null>;
}
