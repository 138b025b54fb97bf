// What every command shares: options, the snapshot, running database checks (each query once),
// check policy (disabled checks, severity overrides) and assembling the report.
import { DB_CHECKS, findCheck } from '../checks/index.js';
import type { AuditContext, DbCheck, Finding, Thresholds } from '../checks/types.js';
import { type Snapshot, type SnapshotInfo, openSnapshot } from '../db/snapshot.js';
import type { TableNames } from '../db/tables.js';
import { resolveTarget } from '../db/target.js';
import { UsageError } from '../errors.js';
import { countFindings, sortFindings } from '../report/build.js';
import { REPORT_VERSION, type Report } from '../report/types.js';
import type { Severity } from '../severity.js';
import { VERSION } from '../version.js';

export interface DatabaseOptions {
  db?: string;
  schema: string;
  tables: TableNames;
  openStatuses: string[];
  endedStatuses: string[];
  dbTimezone?: string;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
}

export interface AuditOptions extends DatabaseOptions {
  exchanges: string[];
  symbols: string[];
  since?: Date;
  thresholds: Thresholds;
  /** Check ids not to run. */
  disabled: string[];
  /** Severity per check id, replacing what the check gives. */
  severity: Record<string, Severity>;
}

export interface RunContext {
  env: Record<string, string | undefined>;
  now: () => Date;
  log?: (line: string) => void;
  /** A connection to reuse across runs (`watch`); otherwise each run connects and disconnects. */
  client?: import('pg').Client;
  /** A snapshot already open (`report`): every command of the run reads the same one. */
  snapshot?: Snapshot;
}

export interface CountsRow {
  open_positions: string;
  stops_in_db: string;
}

/** The bound values every query may use; each query binds only the ones it names. */
export function queryParams(opts: AuditOptions, now: Date): Record<string, unknown> {
  return {
    open_statuses: opts.openStatuses,
    ended_statuses: opts.endedStatuses,
    exchanges: opts.exchanges.length ? opts.exchanges : null,
    symbols: opts.symbols.length ? opts.symbols : null,
    since: opts.since ?? null,
    now,
    late_after_seconds: opts.thresholds.lateAfterSeconds,
    stale_after_seconds: opts.thresholds.staleAfterSeconds,
    recreated_after_seconds: opts.thresholds.recreatedAfterSeconds,
    entry_tolerance: opts.thresholds.entryTolerance,
    entry_tolerance_pct: opts.thresholds.entryTolerancePct,
  };
}

export async function openAuditSnapshot(opts: DatabaseOptions, ctx: RunContext, queries: string[]): Promise<Snapshot> {
  // A shared snapshot was opened for the union of the run's queries; its owner closes it.
  if (ctx.snapshot) return { ...ctx.snapshot, close: async () => undefined };
  return openSnapshot({ ...opts, target: resolveTarget(opts.db, ctx.env), queries, log: ctx.log, client: ctx.client });
}

/** The database checks to run: the named ones (all when none are named), less the disabled ones. */
export function selectDbChecks(names: string[], disabled: string[]): DbCheck<never>[] {
  for (const name of names) {
    if (!findCheck(name)) throw new UsageError(`unknown check "${name}" (see \`ts-audit explain\` for the list)`);
    if (!DB_CHECKS.some((c) => c.id === name)) throw new UsageError(`"${name}" needs a state dump: use \`ts-audit diff\``);
  }
  const wanted = names.length ? DB_CHECKS.filter((c) => names.includes(c.id)) : DB_CHECKS;
  return wanted.filter((c) => !disabled.includes(c.id));
}

/** Runs each distinct query of the checks once, in the snapshot; returns rows by query name. */
export async function fetchRows(snapshot: Snapshot, checks: DbCheck<never>[], params: Record<string, unknown>): Promise<Map<string, unknown[]>> {
  const rows = new Map<string, unknown[]>();
  for (const check of checks) {
    if (!rows.has(check.query)) rows.set(check.query, await snapshot.run(check.query, params));
  }
  return rows;
}

export function evaluateDbChecks(checks: DbCheck<never>[], rows: Map<string, unknown[]>, ctx: AuditContext): Finding[] {
  return checks.flatMap((c) => c.evaluate((rows.get(c.query) ?? []) as never[], ctx));
}

/** Severity overrides from the configuration, applied to every finding of the check. */
export function applySeverity(findings: Finding[], overrides: Record<string, Severity>): Finding[] {
  return findings.map((f) => (overrides[f.check] ? { ...f, severity: overrides[f.check] as Severity } : f));
}

export interface ReportParts {
  command: string;
  database: SnapshotInfo;
  dump?: Report['dump'];
  counts: CountsRow;
  memory?: Pick<Report['summary'], 'stopsInMemory' | 'matched' | 'restart'>;
  restore?: Report['summary']['restore'];
  findings: Finding[];
  checks: string[];
  details?: Report['details'];
}

export function assembleReport(parts: ReportParts, opts: AuditOptions, now: Date): Report {
  const findings = sortFindings(applySeverity(parts.findings, opts.severity));
  return {
    tool: 'ts-audit',
    version: VERSION,
    reportVersion: REPORT_VERSION,
    command: parts.command,
    generatedAt: now,
    database: parts.database,
    dump: parts.dump ?? null,
    summary: {
      openPositions: Number(parts.counts.open_positions),
      stopsInDb: Number(parts.counts.stops_in_db),
      stopsInMemory: parts.memory?.stopsInMemory ?? null,
      matched: parts.memory?.matched ?? null,
      restart: parts.memory?.restart ?? null,
      ...(parts.restore ? { restore: parts.restore } : {}),
      ...countFindings(findings, parts.checks),
    },
    findings,
    ...(parts.details ? { details: parts.details } : {}),
  };
}
