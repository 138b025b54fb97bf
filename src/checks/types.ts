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
  /** For `ts-audit explain`: the failure mode behind the check, and how to repair what it finds. */
  failureMode: string;
  repair: string;
}

/** What the diff checks need besides the two sides being compared. */
export interface DiffContext {
  dumpedAt: Date | null;
  priceTolerance: Tolerance;
  /** Digits after the point of each trailing_stop_state numeric column (null: unconstrained). */
  scales: Record<string, number | null>;
}

/** Thresholds of the database checks (flags > environment > config file > defaults). */
export interface Thresholds {
  lateAfterSeconds: number;
  staleAfterSeconds: number;
  recreatedAfterSeconds: number;
  /** Absolute entry-price tolerance, as a decimal string. */
  entryTolerance: string;
  /** Relative entry-price tolerance in percent, as a decimal string. */
  entryTolerancePct: string;
}

/** What a database check's evaluate() gets besides its rows. */
export interface AuditContext {
  /** The run's clock (the snapshot is read at about this time). */
  now: Date;
  thresholds: Thresholds;
  /** The in-memory stops by (exchange, symbol), when a dump was given. */
  memory?: Map<string, import('../dump/types.js').MemoryStop>;
}

/** A check that reads the database alone: one query, evaluated without further round trips. */
export interface DbCheck<Row = Record<string, unknown>> extends CheckInfo {
  /** queries/<query>.sql; several checks may read the same query, which then runs once. */
  query: string;
  /**
   * Optional columns (db/tables.ts OPTIONAL_COLUMNS) without which the check says nothing: it is
   * skipped, and the report says why, when the database lacks one.
   */
  needs?: Partial<Record<import('../db/tables.js').LogicalTable, string[]>>;
  evaluate(rows: Row[], ctx: AuditContext): Finding[];
}

export const stopKey = (exchange: string, symbol: string) => `${exchange}\u0000${symbol}`;
