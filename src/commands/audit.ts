// What every command shares: options, the snapshot, running database checks (each query once),
// check policy (disabled checks, severity overrides) and assembling the report.
import { DB_CHECKS, findCheck } from '../checks/index.js';
import { LOG_CHECKS } from '../checks/log-checks.js';
import type { AuditContext, DbCheck, Finding, Thresholds } from '../checks/types.js';
import { type Snapshot, type SnapshotInfo, openSnapshot } from '../db/snapshot.js';
import type { Catalog } from '../db/catalog.js';
import type { LogicalTable, TableNames } from '../db/tables.js';
import { resolveTarget } from '../db/target.js';
import { UsageError } from '../errors.js';
import { countFindings, sortFindings } from '../report/build.js';
import { REPORT_VERSION, type Report, type SkippedCheck } from '../report/types.js';
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
    // Filters match without regard to case: the queries compare lower(column) with these.
    exchanges: opts.exchanges.length ? opts.exchanges.map((e) => e.toLowerCase()) : null,
    symbols: opts.symbols.length ? opts.symbols.map((s) => s.toLowerCase()) : null,
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
    if (!DB_CHECKS.some((c) => c.id === name)) {
      throw new UsageError(`"${name}" is not a database check: ${LOG_CHECKS.some((c) => c.id === name) ? 'it reads the logs (`ts-audit logs`)' : 'it needs a state dump (`ts-audit diff`)'}`);
    }
  }
  const wanted = names.length ? DB_CHECKS.filter((c) => names.includes(c.id)) : DB_CHECKS;
  return wanted.filter((c) => !disabled.includes(c.id));
}

/** Each --exchange / --symbol value that matches nothing in the database, as the user gave it. */
export async function unmatchedFilters(snapshot: Snapshot, opts: AuditOptions, params: Record<string, unknown>): Promise<FilterValue[]> {
  if (opts.exchanges.length === 0 && opts.symbols.length === 0) return [];
  const rows = await snapshot.run<{ kind: 'exchange' | 'symbol'; value: string }>('filter-matches', params);
  return rows.map((r) => ({ kind: r.kind, value: (r.kind === 'exchange' ? opts.exchanges : opts.symbols).find((v) => v.toLowerCase() === r.value) ?? r.value }));
}

export interface FilterValue {
  kind: 'exchange' | 'symbol';
  value: string;
}

/** Refuses filters that select nothing: a typo must not read as a clean report. */
export function refuseUnmatched(unmatched: FilterValue[], where: string): void {
  if (unmatched.length === 0) return;
  const list = unmatched.map((u) => `--${u.kind} ${u.value}`).join(', ');
  throw new UsageError(`${list} match${unmatched.length === 1 ? 'es' : ''} nothing in ${where}`);
}

/** Whether a name passes the --exchange / --symbol filters (without regard to case). */
export function inFilter(values: string[], name: string): boolean {
  return values.length === 0 || values.some((v) => v.toLowerCase() === name.toLowerCase());
}

/** The checks this database can answer, and the others with the column that is missing. */
export function availableChecks(checks: DbCheck<never>[], catalog: Catalog): { run: DbCheck<never>[]; skipped: SkippedCheck[] } {
  const run: DbCheck<never>[] = [];
  const skipped: SkippedCheck[] = [];
  for (const check of checks) {
    const missing = Object.entries(check.needs ?? {}).flatMap(([table, columns]) =>
      (columns ?? []).filter((c) => !catalog.has(table as LogicalTable, c)).map((c) => `${catalog.names[table as LogicalTable]}.${c}`),
    );
    if (missing.length === 0) run.push(check);
    else skipped.push({ check: check.id, reason: `the database has no column ${missing.join(' or ')} (an older schema of the bot)` });
  }
  return { run, skipped };
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
  memory?: Pick<Report['summary'], 'stopsInMemory' | 'matched'>;
  restart?: Report['summary']['restart'];
  findings: Finding[];
  checks: string[];
  skipped?: SkippedCheck[];
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
      restart: parts.restart ?? null,
      ...countFindings(findings, parts.checks),
    },
    findings,
    skipped: parts.skipped ?? [],
    ...(parts.details ? { details: parts.details } : {}),
  };
}
