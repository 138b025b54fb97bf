// ts-audit queries: the SQL ts-audit runs, listed or shown exactly as it runs. With a database the
// naive timestamp columns are read from its catalog; without one the text is rendered as for a
// database whose timestamps are all timestamptz, and says so.
import { Catalog } from '../db/catalog.js';
import { loadQuery, queryNames, queryTitle } from '../db/queries.js';
import { render, tableRefs } from '../db/sql.js';
import { UsageError } from '../errors.js';
import type { QueryListing, ShownQuery } from '../report/types.js';
import { type AuditOptions, type RunContext, queryParams } from '../run/options.js';
import { inSnapshot } from '../run/snapshot.js';

export function listQueries(): QueryListing {
  return { queries: queryNames().map((name) => ({ name, description: queryTitle(name) })) };
}

export async function showQuery(name: string, opts: AuditOptions, ctx: RunContext, useDatabase: boolean): Promise<ShownQuery> {
  if (!queryNames().includes(name)) throw new UsageError(`unknown query "${name}" (run \`ts-audit queries\` for the list)`);
  const now = ctx.now();
  let catalog = Catalog.fromRows(opts.schema, opts.tables, []);
  let zone = opts.dbTimezone ?? 'UTC';
  if (useDatabase) {
    const { snapshot } = await inSnapshot(opts, ctx, [name], async () => undefined);
    catalog = snapshot.catalog;
    zone = snapshot.info.naiveTimestampZone;
  }
  tableRefs(loadQuery(name)); // validates the placeholders
  // The journal's queries read up to a moment (now) from a session's start (none: the whole journal),
  // with no next session's start-up window, and the timeline's events a list of keys: shown with those values.
  const sql = render(loadQuery(name), catalog, {
    ...queryParams(opts, now),
    zone,
    schema: opts.schema,
    tables: Object.values(opts.tables),
    positions_table: opts.tables.positions,
    zone_override: opts.dbTimezone ?? null,
    moment: opts.asOf ?? now,
    until: null,
    startup_after: null,
    startup_until: null,
    keys: [],
  });
  return {
    name,
    sql: sql.text,
    parameters: sql.names.map((n, i) => ({ placeholder: `$${i + 1}`, name: n, value: sql.values[i] })),
    fromCatalog: useDatabase,
  };
}
