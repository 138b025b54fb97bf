// The audit pipeline every command that audits runs (diff, check and the investigation commands,
// restore, rescue, report, watch, timeline), one module per stage: resolve the target and open the
// snapshot (snapshot.ts) -> the memory side: dump, log or journal (memory.ts) -> the checks this
// database can answer (select.ts) -> fetch rows (rows.ts) -> evaluate (evaluate.ts) -> suppress and
// assemble the report (assemble.ts). This module: what a run is given (the database, the scope, the
// checks' settings and policy), the context it runs in, and the values every query may bind.
import type { Suppression } from '../baseline.js';
import { THRESHOLDS } from '../checks/index.js';
import type { Opening, Snapshot } from '../db/snapshot.js';
import type { TableNames } from '../db/tables.js';
import type { ConfigOrigin } from '../db/target.js';
import type { Severity } from '../severity.js';

export interface DatabaseOptions {
  db?: string;
  /** Set when db is a config file's database.url (a file found in the working directory is trusted less). */
  dbOrigin?: ConfigOrigin;
  schema: string;
  tables: TableNames;
  openStatuses: string[];
  endedStatuses: string[];
  dbTimezone?: string;
  statementTimeoutMs: number;
  lockTimeoutMs?: number;
  connectTimeoutMs: number;
}

export interface AuditOptions extends DatabaseOptions {
  exchanges: string[];
  symbols: string[];
  since?: Date;
  /** Every check's threshold values by name (see THRESHOLDS). */
  thresholds: Record<string, unknown>;
  /** Check ids not to run. */
  disabled: string[];
  /** Severity per check id, replacing what the check gives. */
  severity: Record<string, Severity>;
  /** Findings the baseline or the config's allowlist leave out of the report (counted, never hidden). */
  suppress?: Omit<Suppression, 'now'>;
  /** Evaluate as things stood at this moment (--as-of). */
  asOf?: Date;
  /** The format the report will be written in, when its findings can be made ready for it as they are found. */
  prepare?: 'json';
}

export interface RunContext {
  env: Record<string, string | undefined>;
  now: () => Date;
  log?: (line: string) => void;
  /** A connection to reuse across runs (`watch`); otherwise each run connects and disconnects. */
  client?: import('pg').Client;
  /** A snapshot already open (`report`): every command of the run reads the same one. */
  snapshot?: Snapshot;
  /** The run's connection, started before its modules and memory side were ready (run/snapshot.ts, connectEarly). */
  opening?: Opening;
}

export interface CountsRow {
  open_positions: string;
  stops_in_db: string;
}

/**
 * The bound values every query may use; each query binds only the ones it names. sharedSnapshot: the
 * run's commands share one snapshot (`report`), where each query should run once for all of them.
 */
export function queryParams(opts: AuditOptions, now: Date, sharedSnapshot = false): Record<string, unknown> {
  return {
    open_statuses: opts.openStatuses,
    ended_statuses: opts.endedStatuses,
    // Filters match without regard to case: the queries compare lower(column) with these.
    exchanges: opts.exchanges.length ? opts.exchanges.map((e) => e.toLowerCase()) : null,
    symbols: opts.symbols.length ? opts.symbols.map((s) => s.toLowerCase()) : null,
    since: opts.since ?? null,
    as_of: opts.asOf ?? null,
    now,
    // The late stop rows only, but every open position for the table of `timestamps`, and in a shared
    // snapshot, where `report` runs timestamps too and one query serves both.
    late_only: !sharedSnapshot,
    // The restore simulation's every row (its table, rescue, memory to weigh the restored ones).
    notable_only: false,
    ...Object.assign({}, ...THRESHOLDS.map((t) => t.params?.(opts.thresholds[t.name]) ?? {})),
  };
}

/** Every threshold at its default: what a run gets when nothing is configured. */
export function defaultThresholds(): Record<string, unknown> {
  return Object.fromEntries(THRESHOLDS.map((t) => [t.name, t.parse(t.default)]));
}
