// `ts-audit queries --show` gives every query as it runs: each one renders, and the server accepts the
// text with the parameters shown (EXPLAIN plans it, so a placeholder without a value, a wrong type or
// a typo fails here). Without a database the text is rendered for timestamptz columns, so it is run
// on such a database; with one, the naive columns come from its catalog.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listQueries, showQuery } from '../../src/commands/queries.js';
import { fixture, useScenario } from '../support/db.js';
import { connect } from '../support/client.js';
import { auditOptions, fixedNow } from '../support/options.js';

const names = listQueries().queries.map((q) => q.name);
const CURRENT_COLUMNS =
  'ALTER TABLE monitoring.positions ADD COLUMN trailing_activation_percent numeric(10, 4), ADD COLUMN trailing_callback_percent numeric(10, 4);';

describe.each([
  ['without a database, on a timestamptz one', 'tz', false],
  ["from a naive database's catalog", 'naive', true],
] as const)('every query shown %s', (_title, variant, useDatabase) => {
  // With the current bot's lifecycle table; without a database every optional column is assumed there.
  const db = useScenario(variant, fixture('signal-lifecycles.sql'), ...(useDatabase ? [] : [CURRENT_COLUMNS]));
  // One connection plans every query of the database (outside a transaction, so a query the server
  // refuses fails its own test only); a connection per EXPLAIN was most of this file's server time.
  let planner: pg.Client;
  beforeAll(async () => {
    planner = await connect(db.url);
  });
  afterAll(async () => planner?.end());

  it.each(names)('%s runs as shown', async (name) => {
    const shown = await showQuery(name, auditOptions(db.url), fixedNow, useDatabase);
    expect(shown.fromCatalog).toBe(useDatabase);
    expect(shown.parameters.map((p) => p.placeholder)).toEqual(shown.parameters.map((_, i) => `$${i + 1}`));
    await planner.query(
      `EXPLAIN ${shown.sql}`,
      shown.parameters.map((p) => p.value),
    );
  });
});
