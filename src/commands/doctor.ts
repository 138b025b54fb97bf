// `ts-audit doctor`, like `dbt debug`: which database was resolved and from where, the config file,
// the server, the bot's tables and columns (and so which checks can run), how naive timestamps will be
// read, the event journal, the role's privileges and a round trip. It reads only the catalog and the
// journal's span, in the same read-only snapshot every command uses, and reports what it could not
// check instead of stopping at the first problem.
import { DB_CHECKS } from '../checks/index.js';
import type { Config } from '../config.js';
import type { CatalogRow } from '../db/catalog.js';
import { type Snapshot, openSnapshot } from '../db/snapshot.js';
import { loadQuery, queryNames } from '../db/queries.js';
import { tableRefs } from '../db/sql.js';
import { LOGICAL_TABLES, type LogicalTable, OPTIONAL_COLUMNS, OPTIONAL_TABLES, type TableNames } from '../db/tables.js';
import { type ConfigOrigin, type DbTarget, PG_VARIABLES, type TargetChoice, resolveTarget } from '../db/target.js';
import { EXIT, TsAuditError } from '../errors.js';
import { VERSION } from '../version.js';
import { availableChecks } from '../run/select.js';
import type { DoctorItem, DoctorReport } from '../report/types.js';

export interface DoctorOptions {
  db?: string;
  dbOrigin?: ConfigOrigin;
  dbSource: string;
  configFile: string | null;
  config: Config | null;
  schema: string;
  tables: TableNames;
  dbTimezone?: string;
  dbTimezoneSource: string;
  statementTimeoutMs: number;
  lockTimeoutMs?: number;
  connectTimeoutMs: number;
  log?: (line: string) => void;
  env: Record<string, string | undefined>;
}

/**
 * Which source of the one precedence (db/target.ts, chooseTarget) won, and over what, in doctor's words.
 * config: the config file in use, with its database.url.
 */
export function targetSource(
  choice: TargetChoice | undefined,
  env: Record<string, string | undefined>,
  config: { path: string; url?: string; discovered?: boolean } | null,
): string {
  const pg = `the PG* variables (${[...PG_VARIABLES, 'PGSSLMODE'].filter((v) => env[v]).join(', ')})`;
  switch (choice?.origin) {
    case '--db':
    case 'DATABASE_URL':
      return choice.origin;
    case 'the config file':
      return `the config file (${config?.path}), named by --config or TS_AUDIT_CONFIG`;
    case 'the config file found in the working directory':
      return `the config file found in the working directory (${config?.path}); no PG* variable is set, and no password from the environment or ~/.pgpass is sent to the host it names`;
    default:
      return config?.url && config.discovered
        ? `${pg}: they outrank database.url of the config file found in the working directory (${config.path}), which is not used`
        : pg;
  }
}

/** Every column a query of ts-audit names, per table: what the bot's tables must have. */
function wantedColumns(): Map<LogicalTable, Set<string>> {
  const wanted = new Map<LogicalTable, Set<string>>(LOGICAL_TABLES.map((t) => [t, new Set<string>()]));
  for (const name of queryNames()) for (const ref of tableRefs(loadQuery(name))) for (const c of ref.columns) wanted.get(ref.table)?.add(c);
  return wanted;
}

const readOnlyRole = (schema: string, names: string[]) => [
  "CREATE ROLE ts_audit LOGIN PASSWORD '…';",
  `GRANT USAGE ON SCHEMA ${schema} TO ts_audit;`,
  `GRANT SELECT ON ${names.map((n) => `${schema}.${n}`).join(', ')} TO ts_audit;`,
  'ALTER ROLE ts_audit SET default_transaction_read_only = on;',
];

const OPTIONAL_WHY: Partial<Record<LogicalTable, string>> = {
  events: "the bot's event journal",
  signal_lifecycles: "the current bot's signal lifecycles, its real trailing exit; the incident-era bot has none",
};

/** Which trailing mechanisms the database shows (the TS manager's rows, the signal lifecycles, both), and the checks they feed. */
async function mechanisms(snapshot: Snapshot, schema: string, tables: TableNames, available: Set<string>): Promise<DoctorItem> {
  const [stops] = await snapshot.run<{ stop_rows: string; activated: string }>('stop-row-count');
  const hasTable = snapshot.catalog.hasTable('signal_lifecycles');
  const [usage] = hasTable ? await snapshot.run<{ lifecycle_rows: string; in_position: string; reentry_wait: string; other: string }>('lifecycle-usage') : [];
  const stopRows = Number(stops?.stop_rows ?? 0);
  const lifecycles = Number(usage?.lifecycle_rows ?? 0);
  const shown = [...(stopRows ? ['TS rows'] : []), ...(lifecycles ? ['lifecycles'] : [])];
  const lifecycleChecks = DB_CHECKS.filter((c) => c.id.startsWith('lifecycle-')).map((c) => c.id);
  const enabled = lifecycleChecks.filter((id) => available.has(id));
  const parts = [
    `${stopRows} stop row${stopRows === 1 ? '' : 's'} in ${schema}.${tables.trailing_stop_state} (${stops?.activated ?? 0} activated)`,
    hasTable
      ? `${lifecycles} lifecycle row${lifecycles === 1 ? '' : 's'} in ${schema}.${tables.signal_lifecycles}${lifecycles ? ` (${usage?.in_position} in position, ${usage?.reentry_wait} waiting to re-enter, ${usage?.other} other)` : ''}`
      : `no ${schema}.${tables.signal_lifecycles} table (the incident-era bot: its TS rows are its only trailing exit)`,
  ];
  const what = shown.length === 2 ? 'both' : shown.length === 1 ? `${shown[0]} only` : 'neither (nothing trails yet)';
  const enables =
    lifecycles > 0
      ? `; the lifecycles are the bot's real exit: ${enabled.join(', ') || 'no lifecycle check (see skipped)'} judge them, and the restart line weighs them`
      : hasTable
        ? `; the table is empty, so the lifecycle checks judge no position (a bot whose every lifecycle write fails looks the same: see what \`ts-audit logs\` says of its lifecycle writes)`
        : '';
  return {
    section: 'checks',
    name: 'trailing mechanisms',
    status: hasTable && lifecycles === 0 && stopRows > 0 ? 'warn' : 'info',
    detail: `${what}: ${parts.join('; ')}${enables}`,
  };
}

interface RoleRow {
  role: string;
  superuser: boolean;
  in_recovery: boolean;
  default_read_only: boolean;
  table_name: string | null;
  can_write: boolean | null;
  estimated_rows: string | null;
}

export async function runDoctor(opts: DoctorOptions, now: () => Date): Promise<DoctorReport> {
  const items: DoctorItem[] = [];
  const add = (item: DoctorItem) => items.push(item);
  // A target that cannot be resolved is a configuration error (exit 2): thrown as it is.
  const target: DbTarget = resolveTarget(opts.db, opts.env, opts.dbOrigin);
  const report: DoctorReport = {
    tool: 'ts-audit',
    version: VERSION,
    command: 'doctor',
    generatedAt: now(),
    target: { display: target.display, source: opts.dbSource },
    configFile: opts.configFile,
    server: null,
    tables: [],
    checks: null,
    items,
    exitCode: EXIT.ok,
  };
  // The URL as a hint: printed whole on its own line, never wrapped inside.
  add({ section: 'setup', name: 'database', status: 'info', detail: `from ${opts.dbSource}; TLS: sslmode=${target.sslmode}`, hint: [target.display] });
  add({
    section: 'setup',
    name: 'config file',
    status: 'info',
    detail: opts.configFile ?? 'none (./ts-audit.config.json not found; --config or TS_AUDIT_CONFIG name one)',
  });

  let snapshot: Snapshot;
  const started = performance.now();
  try {
    snapshot = await openSnapshot({
      target,
      schema: opts.schema,
      tables: opts.tables,
      statementTimeoutMs: opts.statementTimeoutMs,
      lockTimeoutMs: opts.lockTimeoutMs,
      connectTimeoutMs: opts.connectTimeoutMs,
      dbTimezone: opts.dbTimezone,
      // Every query's tables, so that the catalog is read once and naive columns are known; lenient:
      // what is missing is reported below, not thrown.
      queries: queryNames(),
      lenient: true,
      log: opts.log,
    });
  } catch (err) {
    if (!(err instanceof TsAuditError)) throw err;
    add({ section: 'server', name: 'connection', status: 'fail', detail: err.message });
    report.exitCode = err.exitCode === EXIT.usage ? EXIT.usage : EXIT.database;
    report.generatedAt = now();
    return report;
  }
  try {
    const connectMs = performance.now() - started;
    const pingStarted = performance.now();
    await snapshot.run('ping');
    const pingMs = performance.now() - pingStarted;
    const info = snapshot.info;
    report.server = { version: info.serverVersion, snapshotAt: info.snapshotAt, naiveTimestampZone: info.naiveTimestampZone };
    add({
      section: 'server',
      name: 'connection',
      status: 'ok',
      detail: `PostgreSQL ${info.serverVersion}; connected and in a read-only snapshot in ${connectMs.toFixed(0)} ms`,
    });
    add({ section: 'server', name: 'round trip', status: 'ok', detail: `${pingMs.toFixed(1)} ms for SELECT 1` });

    // The bot's tables: found, readable, and which of the columns ts-audit reads they have.
    const wanted = wantedColumns();
    const names = LOGICAL_TABLES.map((t) => opts.tables[t]);
    const rows = await snapshot.run<CatalogRow>('catalog-columns', { tables: names });
    const catalog = snapshot.catalog;
    let unusable = false;
    for (const table of LOGICAL_TABLES) {
      const name = opts.tables[table];
      const own = rows.filter((r) => r.table_name === name);
      const found = own.length > 0;
      const readable = own.some((r) => r.can_select);
      const have = new Set(own.map((r) => r.column_name));
      const optional = Object.keys(OPTIONAL_COLUMNS[table] ?? {});
      const columns = [...(wanted.get(table) ?? [])];
      const missingRequired = found ? columns.filter((c) => !have.has(c) && !optional.includes(c)) : columns.filter((c) => !optional.includes(c));
      const missingOptional = columns.filter((c) => optional.includes(c) && !have.has(c));
      report.tables.push({ table, name: `${opts.schema}.${name}`, found, readable, missingRequired, missingOptional });
      const qualified = `${opts.schema}.${name}`;
      if (!found && OPTIONAL_TABLES.includes(table)) {
        add({
          section: 'tables',
          name: qualified,
          status: 'warn',
          detail: `not found: the checks that read it are skipped (it is optional: ${OPTIONAL_WHY[table] ?? 'an older bot has none'}; see docs/bot.md)`,
        });
      } else if (!found) {
        unusable = true;
        add({
          section: 'tables',
          name: qualified,
          status: 'fail',
          detail: `not found (expected the bot's ${table} table; see --schema and "tables" in the config)`,
        });
      } else if (!readable) {
        unusable = true;
        add({ section: 'tables', name: qualified, status: 'fail', detail: `no SELECT privilege for this role (GRANT SELECT ON ${qualified} TO ${'<role>'})` });
      } else if (missingRequired.length > 0) {
        unusable = true;
        add({
          section: 'tables',
          name: qualified,
          status: 'fail',
          detail: `lacks required column${missingRequired.length > 1 ? 's' : ''} ${missingRequired.join(', ')}`,
        });
      } else {
        const optionalText = optional.filter((c) => columns.includes(c));
        const extra = missingOptional.length
          ? `; lacks optional ${missingOptional.join(', ')} (an older bot: the checks that need them are skipped)`
          : optionalText.length
            ? `; optional ${optionalText.join(', ')} present`
            : '';
        add({
          section: 'tables',
          name: qualified,
          status: missingOptional.length ? 'warn' : 'ok',
          detail: `${columns.length - missingOptional.length} of the ${columns.length} columns ts-audit reads${extra}`,
        });
      }
    }

    // Which checks can run here, and why the others cannot.
    const { run, skipped } = availableChecks([...DB_CHECKS], catalog);
    const blocked = unusable ? run.map((c) => ({ check: c.id, reason: 'a table it needs is missing or unreadable (see tables)' })) : [];
    report.checks = { available: unusable ? [] : run.map((c) => c.id), skipped: [...blocked, ...skipped] };
    add({
      section: 'checks',
      name: 'database checks',
      status: unusable ? 'fail' : skipped.length ? 'warn' : 'ok',
      detail: unusable
        ? `none can run until the tables above are fixed`
        : `${run.length} of ${DB_CHECKS.length} can run${skipped.length ? `; skipped: ${skipped.map((s) => `${s.check} (${s.reason})`).join('; ')}` : ''}`,
    });

    if (!unusable) add(await mechanisms(snapshot, opts.schema, opts.tables, new Set(report.checks.available)));

    // Naive timestamps: the columns read as local times, and the zone they are read in.
    const naive = rows.filter(
      (r) => r.naive_timestamp && wanted.get(LOGICAL_TABLES.find((t) => opts.tables[t] === r.table_name) as LogicalTable)?.has(r.column_name),
    );
    add({
      section: 'time',
      name: 'naive timestamps',
      status: 'info',
      detail: naive.length
        ? `${naive.map((r) => `${r.table_name}.${r.column_name}`).join(', ')} read as ${info.naiveTimestampZone} (from ${opts.dbTimezoneSource})`
        : 'none: every time column ts-audit reads carries its zone',
    });

    // The event journal: there, and how far back it goes.
    if (catalog.hasTable('events') && !unusable) {
      const [span] = await snapshot.run<{ first_at: Date | null; last_at: Date | null }>('journal-span', { moment: info.snapshotAt });
      add({
        section: 'journal',
        name: `${opts.schema}.${opts.tables.events}`,
        status: span?.first_at ? 'ok' : 'warn',
        detail: span?.first_at
          ? `events from ${span.first_at.toISOString()} to ${span.last_at?.toISOString()}: --from-events and --as-of can look back that far`
          : 'empty: --from-events has nothing to replay',
      });
    } else if (!catalog.hasTable('events')) {
      add({
        section: 'journal',
        name: 'event journal',
        status: 'warn',
        detail: `no ${opts.schema}.${opts.tables.events}: --from-events and the journal checks are not available (give a dump to diff)`,
      });
    }

    // The role: a read-only one is recommended.
    const roleRows = await snapshot.run<RoleRow>('doctor-role', { schema: opts.schema, tables: names });
    const role = roleRows[0];
    if (role) {
      const writable = roleRows.filter((r) => r.can_write).map((r) => `${opts.schema}.${r.table_name}`);
      const readOnly = role.in_recovery || (writable.length === 0 && !role.superuser);
      add({
        section: 'role',
        name: role.role,
        status: readOnly ? 'ok' : 'warn',
        detail: role.in_recovery
          ? 'connected to a standby: nothing can be written there'
          : role.superuser
            ? 'a superuser: it could write to every table. ts-audit never writes (each run is a READ ONLY transaction), but a read-only role is safer'
            : writable.length
              ? `can write to ${writable.join(', ')}. ts-audit never writes, but a read-only role is safer`
              : 'can read, cannot write: as recommended',
        ...(readOnly
          ? {}
          : {
              hint: readOnlyRole(
                opts.schema,
                names.filter((n) => roleRows.some((r) => r.table_name === n)),
              ),
            }),
      });
      const events = roleRows.find((r) => r.table_name === opts.tables.events);
      if (events?.estimated_rows) {
        const journal = items.find((i) => i.section === 'journal');
        if (journal) journal.detail += ` (about ${Number(events.estimated_rows).toLocaleString('en-US')} events)`;
      }
    }
    if (unusable) report.exitCode = EXIT.database;
  } catch (err) {
    if (!(err instanceof TsAuditError)) throw err;
    add({ section: 'server', name: 'query', status: 'fail', detail: err.message });
    report.exitCode = EXIT.database;
  } finally {
    await snapshot.close();
  }
  report.generatedAt = now();
  return report;
}
