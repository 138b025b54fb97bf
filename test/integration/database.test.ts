import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runDiff } from '../../src/commands/diff.js';
import { DatabaseError, UsageError } from '../../src/errors.js';
import { type ScenarioDb, INCIDENT_DUMP, adminUrl, createScenario, fixture, useScenario, withClient } from '../support/db.js';
import { diffOptions, fixedNow } from '../support/options.js';

const DUMP = INCIDENT_DUMP;

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the run to fail');
}

describe('database problems end the run with one line and exit 3', () => {
  const db = useScenario('tz', fixture('incident.sql'));

  it('names a missing schema', async () => {
    const err = await failure(runDiff(diffOptions(db.url, DUMP, { schema: 'trading' }), fixedNow));
    expect(err).toBeInstanceOf(DatabaseError);
    expect(err.message).toMatch(/schema "trading" not found/);
  });

  it('names a missing table and a missing column, with what was expected', async () => {
    const broken = await createScenario('tz', 'ALTER TABLE monitoring.positions DROP COLUMN side; DROP TABLE monitoring.trailing_stop_state;');
    try {
      const err = await failure(runDiff(diffOptions(broken.url, DUMP), fixedNow));
      expect(err).toBeInstanceOf(DatabaseError);
      expect(err.message).toContain('table monitoring.trailing_stop_state not found');
      expect(err.message).toMatch(/monitoring\.positions lacks column side \(expected: id, exchange, symbol/);
    } finally {
      await broken.drop();
    }
  });

  it('refuses a wrong password without printing it', async () => {
    const url = new URL(db.url);
    url.password = 'not-the-password-7f3a';
    const err = await failure(runDiff(diffOptions(url.toString(), DUMP), fixedNow));
    expect(err).toBeInstanceOf(DatabaseError);
    expect(err.message).toMatch(/password authentication failed for user "postgres"/);
    expect(err.message).not.toContain('not-the-password-7f3a');
    expect(err.message).toContain('postgres:***@');
  });

  it('reports a refused connection', async () => {
    const err = await failure(runDiff(diffOptions('postgresql://u:secret@127.0.0.1:1/bot', DUMP), fixedNow));
    expect(err).toBeInstanceOf(DatabaseError);
    expect(err.message).toMatch(/connection refused at 127\.0\.0\.1:1/);
  });

  it('reports an unknown host', async () => {
    const err = await failure(runDiff(diffOptions('postgresql://u@no-such-host.invalid:5432/bot', DUMP, { connectTimeoutMs: 5000 }), fixedNow));
    expect(err).toBeInstanceOf(DatabaseError);
    expect(err.message).toMatch(/unknown host no-such-host\.invalid/);
  });

  it('cancels a query that outlives --statement-timeout', async () => {
    // trailing_stop_state as a view that takes a second to read.
    const slow = await createScenario(
      'tz',
      `ALTER TABLE monitoring.trailing_stop_state RENAME TO tss_data;
       CREATE VIEW monitoring.trailing_stop_state AS SELECT t.* FROM monitoring.tss_data t, pg_sleep(1);`,
    );
    try {
      const err = await failure(runDiff(diffOptions(slow.url, DUMP, { statementTimeoutMs: 200 }), fixedNow));
      expect(err).toBeInstanceOf(DatabaseError);
      expect(err.message).toMatch(/^query (counts|stop-rows) exceeded the statement timeout of 0.2s \(raise --statement-timeout\)$/);
    } finally {
      await slow.drop();
    }
  });

  it('rejects an unknown --db-timezone as a usage error', async () => {
    const err = await failure(runDiff(diffOptions(db.url, DUMP, { dbTimezone: 'Mars/Olympus' }), fixedNow));
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toMatch(/time zone "Mars\/Olympus" not recognized/);
  });
});

describe('read-only', () => {
  const logFile = inject('pgLogFile');
  let db: ScenarioDb;
  beforeAll(async () => {
    db = await createScenario('naive', fixture('incident.sql'));
    // The server logs statements only where a test asks (new sessions of this database).
    if (logFile !== null) await withClient(adminUrl(), async (c) => void (await c.query(`ALTER DATABASE ${db.name} SET log_statement = 'all'`)));
  });
  afterAll(async () => db?.drop());

  /** Statements the server logged for this database from application_name=ts-audit. */
  async function loggedStatements(): Promise<string[]> {
    // A marker statement, logged after everything ts-audit sent, tells us the log has caught up.
    const marker = `marker_${randomBytes(4).toString('hex')}`;
    const client = new pg.Client({ connectionString: db.url, application_name: 'ts-audit-test' });
    await client.connect();
    await client.query(`SELECT '${marker}'`);
    await client.end();
    const deadline = Date.now() + 10_000;
    let log = '';
    while (!(log = readFileSync(logFile!, 'utf8')).includes(marker)) {
      if (Date.now() > deadline) throw new Error('the statement log did not catch up');
      await new Promise((r) => setTimeout(r, 50));
    }
    const statements: string[] = [];
    let current: string[] | null = null;
    for (const line of log.split('\n')) {
      const m = /app=(\S*) db=(\S*) LOG:\s+(?:statement|execute [^:]*): (.*)$/.exec(line);
      if (m) {
        current = m[1] === 'ts-audit' && m[2] === db.name ? [m[3] ?? ''] : null;
        if (current) statements.push('');
      } else if (/^\d{4}-\d\d-\d\d /.test(line)) {
        current = null;
      } else if (current) {
        current.push(line);
      }
      if (current) statements[statements.length - 1] = current.join('\n');
    }
    return statements;
  }

  it.skipIf(logFile === null)('sends nothing but a read-only transaction of SELECTs', async () => {
    const report = await runDiff(diffOptions(db.url, DUMP), fixedNow);
    expect(report.findings).toHaveLength(13);
    const statements = (await loggedStatements()).map((s) => s.replace(/^\s*(--[^\n]*\n\s*)*/, '').trim());
    expect(statements.length).toBeGreaterThanOrEqual(5);
    expect(statements[0]).toBe('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    expect(statements.at(-1)).toBe('COMMIT');
    for (const s of statements.slice(1, -1)) expect(s).toMatch(/^(SELECT|WITH)\b/);
    expect(statements.join('\n')).not.toMatch(/\b(INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|TRUNCATE|GRANT|COPY)\b/i);
  });

  it.skipIf(logFile === null)('rescue writes its script without sending one write statement', async () => {
    const before = (await loggedStatements()).length;
    const { planRescue, renderRescueSql } = await import('../../src/commands/rescue.js');
    const opts = { ...diffOptions(db.url, DUMP), deleteStale: true };
    const plan = await planRescue(opts, fixedNow);
    // The script writes (an insert per stop only memory holds); ts-audit did not.
    expect(renderRescueSql(plan, opts)).toMatch(/^INSERT INTO/m);
    expect(plan.statements.filter((s) => s.kind === 'insert')).toHaveLength(13);
    const statements = (await loggedStatements()).slice(before).map((s) => s.replace(/^\s*(--[^\n]*\n\s*)*/, '').trim());
    expect(statements[0]).toBe('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    for (const s of statements.slice(1, -1)) expect(s).toMatch(/^(SELECT|WITH)\b/);
    expect(statements.join('\n')).not.toMatch(/\b(INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|TRUNCATE|GRANT|COPY)\b/i);
  });
});
