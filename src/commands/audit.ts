// What every command shares: options, the snapshot, running database checks (each query once),
// check policy (disabled checks, severity overrides) and assembling the report. Findings flow one way:
// evaluate -> severity overrides -> baseline and allowlist suppression -> report -> reporters.
import { type Suppression, applySuppression } from '../baseline.js';
import { CHECKS, DB_CHECKS, THRESHOLDS, checksOfCommand, findCheck } from '../checks/index.js';
import { didYouMean } from '../suggest.js';
import type { AuditContext, DbCheck, Finding } from '../checks/types.js';
import { type Snapshot, type SnapshotInfo, openSnapshot } from '../db/snapshot.js';
import type { Catalog } from '../db/catalog.js';
import { loadQuery } from '../db/queries.js';
import { tableRefs } from '../db/sql.js';
import { type LogicalTable, OPTIONAL_TABLES, type TableNames } from '../db/tables.js';
import { type ConfigOrigin, resolveTarget } from '../db/target.js';
import { UsageError } from '../errors.js';
import { countFindings } from '../report/build.js';
import { attachProblems } from '../report/problems.js';
import { FindingStore } from '../report/findings.js';
import { REPORT_VERSION, type Report, type SkippedCheck } from '../report/types.js';
import type { Severity } from '../severity.js';
import { VERSION } from '../version.js';

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

export async function openAuditSnapshot(opts: DatabaseOptions, ctx: RunContext, queries: string[]): Promise<Snapshot> {
  // A shared snapshot was opened for the union of the run's queries; its owner closes it.
  if (ctx.snapshot) return { ...ctx.snapshot, close: async () => undefined };
  return openSnapshot({ ...opts, target: resolveTarget(opts.db, ctx.env, opts.dbOrigin), queries, log: ctx.log, client: ctx.client });
}

const NOT_DATABASE: Record<string, string> = {
  diff: 'it needs a state dump (`ts-audit diff`)',
  logs: 'it reads the logs (`ts-audit logs`)',
  config: 'it reports on the configuration file',
};

/** The database checks of an investigation command, less the disabled ones. */
export function commandChecks(command: string, names: string[], disabled: string[]): DbCheck<never>[] {
  return command === 'check' ? selectDbChecks(names, disabled) : checksOfCommand(command).filter((c) => !disabled.includes(c.id));
}

/** The database checks to run: the named ones (all when none are named), less the disabled ones. */
export function selectDbChecks(names: string[], disabled: string[]): DbCheck<never>[] {
  for (const name of names) {
    const check = findCheck(name);
    if (!check) throw new UsageError(`unknown check "${name}"${didYouMean(name, CHECKS.map((c) => c.id))} (see \`ts-audit explain\` for the list)`);
    if (check.kind !== 'database') throw new UsageError(`"${name}" is not a database check: ${NOT_DATABASE[check.kind]}`);
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

/** What an as-of report must say once: the past is reconstructed, and not every value can be. */
export function asOfNotes(asOf: Date | undefined): string[] {
  if (!asOf) return [];
  return [
    `As of ${asOf.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}: positions open then (opened by then, not closed by then) and rows created by then. ` +
      "Values a row changed after that moment cannot be known: rows are compared as they are now, and a row deleted since is not seen.",
  ];
}

/** The checks this database (and, with --as-of, a past moment) can answer, and the others with why not. */
export function availableChecks(checks: DbCheck<never>[], catalog: Catalog, asOf?: Date): { run: DbCheck<never>[]; skipped: SkippedCheck[] } {
  const run: DbCheck<never>[] = [];
  const skipped: SkippedCheck[] = [];
  for (const check of checks) {
    if (asOf && check.asOf === false) {
      skipped.push({ check: check.id, reason: 'it reads values as they are now, so it cannot judge a past moment (--as-of)' });
      continue;
    }
    const absent = [...new Set(tableRefs(loadQuery(check.query)).map((r) => r.table))].filter((t) => OPTIONAL_TABLES.includes(t) && !catalog.hasTable(t));
    if (absent.length > 0) {
      skipped.push({ check: check.id, reason: `the database has no table ${absent.map((t) => `${catalog.schema}.${catalog.names[t]}`).join(' or ')}` });
      continue;
    }
    const missing = Object.entries(check.needs ?? {}).flatMap(([table, columns]) =>
      (columns ?? []).filter((c) => !catalog.has(table as LogicalTable, c)).map((c) => `${catalog.names[table as LogicalTable]}.${c}`),
    );
    if (missing.length === 0) run.push(check);
    else skipped.push({ check: check.id, reason: `the database has no column ${missing.join(' or ')} (an older schema of the bot)` });
  }
  return { run, skipped };
}

/**
 * Runs each distinct query of the checks once, in the snapshot; returns rows by query name. onRows,
 * given, receives each query's rows while the next query already runs on the server, so that work on
 * them (evaluating the checks) overlaps the database's instead of following it.
 */
export async function fetchRows(
  snapshot: Snapshot,
  checks: DbCheck<never>[],
  params: Record<string, unknown>,
  onRows?: (query: string, rows: unknown[]) => void,
): Promise<Map<string, unknown[]>> {
  const rows = new Map<string, unknown[]>();
  const queries = [...new Set(checks.map((c) => c.query))];
  let pending = queries[0] === undefined ? undefined : snapshot.run(queries[0], params);
  try {
    for (let i = 0; i < queries.length; i += 1) {
      const answered = (await pending) as unknown[];
      const next = queries[i + 1];
      pending = next === undefined ? undefined : snapshot.run(next, params);
      rows.set(queries[i] as string, answered);
      onRows?.(queries[i] as string, answered);
    }
  } catch (err) {
    // The query already sent is the transaction's last: its outcome no longer matters.
    await pending?.catch(() => undefined);
    throw err;
  }
  return rows;
}

export function evaluateDbChecks(checks: DbCheck<never>[], rows: Map<string, unknown[]>, ctx: AuditContext): Finding[] {
  return checks.flatMap((c) => c.evaluate((rows.get(c.query) ?? []) as never[], ctx));
}

/** The checks that read this query, evaluated on its rows. */
export function evaluateQueryChecks(checks: DbCheck<never>[], query: string, rows: unknown[], ctx: AuditContext): Finding[] {
  return checks.filter((c) => c.query === query).flatMap((c) => c.evaluate(rows as never[], ctx));
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
  /** An array, or the store the command added them to as it went (diff of a large dump). */
  findings: Finding[] | FindingStore;
  checks: string[];
  skipped?: SkippedCheck[];
  notes?: string[];
  details?: Report['details'];
}

/** Where a command puts its findings: the configured severity applied, sorted, in bounded memory. */
export function findingStore(opts: Pick<AuditOptions, 'severity'>, spillAt?: number): FindingStore {
  const overrides = opts.severity;
  return new FindingStore(spillAt, (f) => (overrides[f.check] ? { ...f, severity: overrides[f.check] as Severity } : f));
}

export function assembleReport(parts: ReportParts, opts: AuditOptions, now: Date): Report {
  let store = parts.findings;
  if (!(store instanceof FindingStore)) {
    const s = findingStore(opts);
    for (const f of store) s.add(f);
    store = s;
  }
  const findings = store.finish();
  return suppressed(opts, now, {
    tool: 'ts-audit',
    version: VERSION,
    reportVersion: REPORT_VERSION,
    command: parts.command,
    // The report is made after its snapshot: never stamped earlier, whatever the two clocks say.
    generatedAt: parts.database && parts.database.snapshotAt.getTime() > now.getTime() ? new Date(parts.database.snapshotAt.getTime()) : now,
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
    notes: parts.notes ?? [],
    ...(parts.details ? { details: parts.details } : {}),
  });
}

/** The last step before any reporter: the baseline and the allowlist, so every command and format honours them. */
export function suppressed(opts: Pick<AuditOptions, 'suppress'>, now: Date, report: Report): Report {
  // Problems are counted on what is left: a consequence whose root cause was suppressed is a problem of its own.
  return attachProblems(opts.suppress ? applySuppression(report, { ...opts.suppress, now }) : report);
}
