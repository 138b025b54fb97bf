// The worst day: a lock held on a bot table, a run interrupted by a signal, writes that fail.
// Spawned where a signal ends the run: only a process of its own gets one and shows its exit status.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioDb, createScenario, fixture, useScenario } from '../support/db.js';
import { expectOneLineError, start } from '../support/cli.js';
import { cli } from '../support/in-process.js';
import { requireBuild } from '../support/report.js';

requireBuild();

describe('a lock held on a bot table', () => {
  const db = useScenario('naive', fixture('incident.sql'));

  it('ends the run after --lock-timeout, naming the table and the session that holds it (exit 3)', async () => {
    const holder = new pg.Client({ connectionString: db.url, application_name: 'bot-migration' });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE monitoring.trailing_stop_state IN ACCESS EXCLUSIVE MODE');
      const pid = (await holder.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
      const r = await cli(['check', '--db', db.url, '--lock-timeout', '500ms', '--statement-timeout', '60s']);
      expectOneLineError(r, 3, /waited 0\.5s for a lock and gave up: another session holds an ACCESS EXCLUSIVE lock on monitoring\.trailing_stop_state/);
      expect(r.stderr).toContain(`pid ${pid}, application "bot-migration"`);
      expect(r.stderr).toContain('raise --lock-timeout');
      expect(r.stderr).not.toContain('statement timeout');
      // The default is 5s, from the environment too.
      const env = await cli(['check', '--db', db.url], { TS_AUDIT_LOCK_TIMEOUT: '300ms' });
      expectOneLineError(env, 3, /waited 0\.3s for a lock/);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
    // Released: the same run goes through.
    expect((await cli(['check', '--db', db.url, '--lock-timeout', '500ms'])).code).toBe(1);
  });
});

describe('signals during a one-shot run', () => {
  const db = useScenario('naive', fixture('incident.sql'));

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s cancels the query on the server and exits %i with no output and no temporary file', async (signal, code) => {
    // A query that waits (on a lock) stands for a long one: it is running on the server when the signal comes.
    const holder = new pg.Client({ connectionString: db.url });
    const watcher = new pg.Client({ connectionString: db.url });
    await Promise.all([holder.connect(), watcher.connect()]);
    const running = async () =>
      Number(
        (
          await watcher.query(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'ts-audit' AND state = 'active' AND wait_event_type = 'Lock' AND datname = current_database()",
          )
        ).rows[0].n,
      );
    const dir = mkdtempSync(join(tmpdir(), 'ts-audit-signal-'));
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE monitoring.trailing_stop_state IN ACCESS EXCLUSIVE MODE');
      const child = start(['check', '--db', db.url, '--lock-timeout', '5m', '--statement-timeout', '5m', '-o', join(dir, 'report.txt')]);
      // Wait until its query is waiting on the server (a busy machine may take a while to start it).
      while (!child.ended() && (await running()) === 0) await new Promise((r) => setTimeout(r, 50));
      expect(child.ended(), child.stderr()).toBe(false);
      expect(await running()).toBe(1);
      child.child.kill(signal);
      expect(await child.exited).toBe(code);
      expect(child.stdout()).toBe('');
      expect(child.stderr()).toBe(`ts-audit: interrupted by ${signal}: the query running on the server was cancelled and no report was written\n`);
      // The backend stopped with the cancel, not when the lock was released.
      expect(await running()).toBe(0);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await Promise.all([holder.end(), watcher.end()]);
    }
  });
});

describe('~/.pgpass', () => {
  const db = useScenario('naive', fixture('incident.sql'));

  it('supplies the password without a word on stderr (node-postgres would warn that it stops reading it)', async () => {
    const url = new URL(db.url);
    const password = decodeURIComponent(url.password);
    url.password = '';
    const file = join(mkdtempSync(join(tmpdir(), 'ts-audit-pgpass-')), 'pgpass');
    writeFileSync(file, `${url.hostname}:${url.port}:*:${url.username}:${password.replace(/[:\\]/g, '\\$&')}\n`, { mode: 0o600 });
    const r = await cli(['check', '--db', url.toString(), '--format', 'json'], { PGPASSFILE: file });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).database.target).toBe(`postgresql://${url.username}@${url.host}${url.pathname}`);
  });
});

// A real full disk: a 64 KiB tmpfs, where this machine lets root mount one (skipped elsewhere).
const tinyfs = (() => {
  if (process.getuid?.() !== 0) return null;
  const dir = mkdtempSync(join(tmpdir(), 'ts-audit-fullfs-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
  return r.status === 0 ? dir : null;
})();

describe.skipIf(tinyfs === null)('a full disk', () => {
  let db: ScenarioDb;
  beforeAll(async () => {
    db = await createScenario('naive', fixture('incident.sql'));
  });
  afterAll(async () => {
    await db?.drop();
    if (tinyfs) spawnSync('umount', [tinyfs]);
  });

  it('-o on a full disk is exit 2 with one plain line, and leaves nothing behind', async () => {
    const dir = tinyfs as string;
    writeFileSync(join(dir, 'fill'), Buffer.alloc(60 * 1024, 120)); // most of the 64 KiB
    const r = await cli(['check', '--db', db.url, '--format', 'json', '-o', join(dir, 'report.json')]);
    expectOneLineError(r, 2, /^ts-audit: cannot write report to .*report\.json: the disk is full\n$/);
    expect(readdirSync(dir)).toEqual(['fill']);
  });
});
