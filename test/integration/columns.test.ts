// Each database check's row type is held to its query: the columns the check declares (its `columns`,
// which the compiler holds to the row type) are exactly the columns the server returns for the query
// as it runs, rendered from the catalog of a database with every optional table and column.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_CHECKS } from '../../src/checks/index.js';
import { showQuery } from '../../src/commands/queries.js';
import { fixture, useScenario } from '../support/db.js';
import { connect } from '../support/client.js';
import { auditOptions, fixedNow } from '../support/options.js';

const CURRENT_COLUMNS =
  'ALTER TABLE monitoring.positions ADD COLUMN trailing_activation_percent numeric(10, 4), ADD COLUMN trailing_callback_percent numeric(10, 4);';

/** The names of the columns the server returns for the query as ts-audit runs it, on `c`. */
async function resultColumns(c: pg.Client, url: string, query: string): Promise<string[]> {
  const shown = await showQuery(query, auditOptions(url), fixedNow, true);
  await c.query('BEGIN READ ONLY');
  try {
    const result = await c.query(
      shown.sql,
      shown.parameters.map((p) => p.value),
    );
    return result.fields.map((f) => f.name);
  } finally {
    await c.query('ROLLBACK');
  }
}

describe('every database check declares the columns its query returns', () => {
  const db = useScenario('tz', fixture('signal-lifecycles.sql'), CURRENT_COLUMNS);
  // One connection runs every query, each in a read-only transaction rolled back after it.
  let client: pg.Client;
  beforeAll(async () => {
    client = await connect(db.url);
  });
  afterAll(async () => client?.end());

  it('covers every database check', () => {
    expect(DB_CHECKS.length).toBeGreaterThan(10);
  });

  it.each(DB_CHECKS.map((c) => [c.id, c] as const))('%s', async (_id, check) => {
    const returned = await resultColumns(client, db.url, check.query);
    expect(new Set(returned).size, 'the query names each column once').toBe(returned.length);
    expect(Object.keys(check.columns).sort()).toEqual([...returned].sort());
  });
});
