// The worst day: a lock held on a bot table, a run interrupted by a signal, writes that fail.
import { spawn } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioDb, createScenario, fixture } from '../support/db.js';
import { BIN, expectOneLineError, run } from '../support/cli.js';
import { requireBuild } from '../support/report.js';

requireBuild();

describe('a lock held on a bot table', () => {
  let db: ScenarioDb;
  beforeAll(async () => {
    db = await createScenario('naive', fixture('incident.sql'));
  });
  afterAll(async () => db?.drop());

  it('ends the run after --lock-timeout, naming the table and the session that holds it (exit 3)', async () => {
    const holder = new pg.Client({ connectionString: db.url, application_name: 'bot-migration' });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE monitoring.trailing_stop_state IN ACCESS EXCLUSIVE MODE');
      const pid = (await holder.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
      const r = await run(['check', '--db', db.url, '--lock-timeout', '500ms', '--statement-timeout', '60s']);
      expectOneLineError(r, 3, /waited 0\.5s for a lock and gave up: another session holds an ACCESS EXCLUSIVE lock on monitoring\.trailing_stop_state/);
      expect(r.stderr).toContain(`pid ${pid}, application "bot-migration"`);
      expect(r.stderr).toContain('raise --lock-timeout');
      expect(r.stderr).not.toContain('statement timeout');
      // The default is 5s, from the environment too.
      const env = await run(['check', '--db', db.url], { TS_AUDIT_LOCK_TIMEOUT: '300ms' });
      expectOneLineError(env, 3, /waited 0\.3s for a lock/);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
    // Released: the same run goes through.
    expect((await run(['check', '--db', db.url, '--lock-timeout', '500ms'])).code).toBe(1);
  });
});
