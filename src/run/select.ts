// Which database checks a run evaluates: a command's, or the named ones (`check`), less the disabled
// ones, less those this database (or, with --as-of, a past moment) cannot answer, each said why.
import { CHECKS, DB_CHECKS, checksOfCommand, findCheck } from '../checks/index.js';
import type { AnyDbCheck } from '../checks/types.js';
import type { Catalog } from '../db/catalog.js';
import { loadQuery } from '../db/queries.js';
import { tableRefs } from '../db/sql.js';
import { type LogicalTable, OPTIONAL_TABLES } from '../db/tables.js';
import { UsageError } from '../errors.js';
import type { SkippedCheck } from '../report/types.js';
import { didYouMean } from '../suggest.js';

const NOT_DATABASE: Record<string, string> = {
  diff: 'it needs a state dump (`ts-audit diff`)',
  logs: 'it reads the logs (`ts-audit logs`)',
  config: 'it reports on the configuration file',
};

/** The database checks of an investigation command, less the disabled ones. */
export function commandChecks(command: string, names: string[], disabled: string[]): AnyDbCheck[] {
  return command === 'check' ? selectDbChecks(names, disabled) : checksOfCommand(command).filter((c) => !disabled.includes(c.id));
}

/** The database checks to run: the named ones (all when none are named), less the disabled ones. */
export function selectDbChecks(names: string[], disabled: string[]): AnyDbCheck[] {
  for (const name of names) {
    const check = findCheck(name);
    if (!check)
      throw new UsageError(
        `unknown check "${name}"${didYouMean(
          name,
          CHECKS.map((c) => c.id),
        )} (see \`ts-audit explain\` for the list)`,
      );
    if (check.kind !== 'database') throw new UsageError(`"${name}" is not a database check: ${NOT_DATABASE[check.kind]}`);
  }
  const wanted = names.length ? DB_CHECKS.filter((c) => names.includes(c.id)) : DB_CHECKS;
  return wanted.filter((c) => !disabled.includes(c.id));
}

/** With the journal as the memory side, the checks that judge the replay itself (a session with no event), not already chosen. */
export function replayChecks(chosen: AnyDbCheck[], disabled: string[]): AnyDbCheck[] {
  return DB_CHECKS.filter((c) => c.withReplay && !chosen.includes(c) && !disabled.includes(c.id));
}

/** The checks this database (and, with --as-of, a past moment) can answer, and the others with why not. */
export function availableChecks(checks: AnyDbCheck[], catalog: Catalog, asOf?: Date): { run: AnyDbCheck[]; skipped: SkippedCheck[] } {
  const run: AnyDbCheck[] = [];
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
