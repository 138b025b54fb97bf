// `ts-audit doctor` on a good target, an older bot, a broken schema, an unreachable server, no target,
// and with a read-only role.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioDb, adminUrl, createScenario, fixture } from '../support/db.js';
import { expectOneLineError } from '../support/cli.js';
import { cli } from '../support/in-process.js';
import { requireBuild } from '../support/report.js';

requireBuild();

interface Doctor {
  command: string;
  exitCode: number;
  target: { display: string; source: string };
  tables: { table: string; found: boolean; missingRequired: string[]; missingOptional: string[] }[];
  checks: { available: string[]; skipped: { check: string; reason: string }[] } | null;
  items: { section: string; name: string; status: string; detail: string; hint?: string[] }[];
}

const doctor = async (args: string[], env: Record<string, string> = {}) => {
  const r = await cli(['doctor', ...args, '--format', 'json'], env);
  return { r, d: JSON.parse(r.stdout) as Doctor };
};

describe('ts-audit doctor', () => {
  let current: ScenarioDb;
  let old: ScenarioDb;
  const role = `ts_audit_ro_${randomBytes(3).toString('hex')}`;
  beforeAll(async () => {
    [current, old] = await Promise.all([createScenario('current', fixture('incident.sql')), createScenario('incident-era', fixture('incident.sql'))]);
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'ro'`);
      await admin.query(`GRANT CONNECT ON DATABASE ${current.name} TO ${role}`);
    } finally {
      await admin.end();
    }
    await current.exec(`GRANT USAGE ON SCHEMA monitoring TO ${role}; GRANT SELECT ON ALL TABLES IN SCHEMA monitoring TO ${role};`);
  });
  afterAll(async () => {
    await Promise.all([current?.drop(), old?.drop()]);
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  });

  it('on a good target: exit 0, where the target came from, every table, every check, the zone, a round trip', async () => {
    const { r, d } = await doctor(['--db', current.url]);
    expect(r.code).toBe(0);
    expect(d.exitCode).toBe(0);
    expect(d.target.source).toBe('--db');
    expect(d.target.display).not.toContain(new URL(current.url).password);
    expect(d.tables.map((t) => [t.table, t.found, t.missingRequired])).toEqual([
      ['positions', true, []],
      ['trailing_stop_state', true, []],
      ['orders', true, []],
      ['events', true, []],
      ['signal_lifecycles', true, []],
    ]);
    expect(d.checks?.skipped).toEqual([]);
    expect(d.checks?.available.length).toBeGreaterThan(10);
    expect(d.items.find((i) => i.name === 'round trip')?.status).toBe('ok');
    // The test role is a superuser: doctor says so and prints the GRANTs of a read-only role.
    const roleItem = d.items.find((i) => i.section === 'role');
    expect(roleItem?.status).toBe('warn');
    expect(roleItem?.hint?.join('\n')).toMatch(/GRANT SELECT ON monitoring\.positions, monitoring\.trailing_stop_state/);
    // The same from DATABASE_URL, named as the source; and the table fits 80 columns.
    const fromEnv = await doctor([], { DATABASE_URL: current.url });
    expect(fromEnv.d.target.source).toBe('DATABASE_URL');
    const table = await cli(['doctor', '--db', current.url]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('Everything ts-audit needs works.');
    for (const line of table.stdout.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(80);
  });

  it('with a read-only role: no warning about writing', async () => {
    const url = new URL(current.url);
    url.username = role;
    url.password = 'ro';
    const { r, d } = await doctor(['--db', url.toString()]);
    expect(r.code).toBe(0);
    const roleItem = d.items.find((i) => i.section === 'role');
    expect(roleItem).toMatchObject({ name: role, status: 'ok' });
    expect(roleItem?.hint).toBeUndefined();
  });

  it('on the incident-era bot: exit 0, the optional columns it lacks and the checks skipped because of them', async () => {
    const { r, d } = await doctor(['--db', old.url]);
    expect(r.code).toBe(0);
    const positions = d.tables.find((t) => t.table === 'positions');
    expect(positions?.missingOptional).toContain('has_trailing_stop');
    expect(d.checks?.skipped.map((s) => s.check)).toContain('flag-mismatch');
    expect(d.items.find((i) => i.name === 'monitoring.positions')?.status).toBe('warn');
    expect(d.items.find((i) => i.name === 'naive timestamps')?.detail).toMatch(/positions\.opened_at.* read as Europe\/Moscow \(from the server's TimeZone/);
  });

  it('says which trailing mechanisms the database shows, and which checks they feed', async () => {
    const lifecycles = await createScenario('current', fixture('lifecycles.sql'));
    try {
      const mechanisms = async (url: string) => (await doctor(['--db', url])).d.items.find((i) => i.name === 'trailing mechanisms');
      expect((await mechanisms(lifecycles.url))?.detail).toMatch(
        /^both: 6 stop rows in monitoring\.trailing_stop_state \(3 activated\); 7 lifecycle rows in monitoring\.signal_lifecycles \(6 in position, 1 waiting to re-enter, 0 other\); the lifecycles are the bot's real exit: lifecycle-missing, lifecycle-orphaned, lifecycle-reentry-peak, lifecycle-reset judge them/,
      );
      expect(await mechanisms(current.url)).toMatchObject({
        status: 'warn',
        detail: expect.stringMatching(/^TS rows only: .*0 lifecycle rows .*the table is empty, so the lifecycle checks judge no position/),
      });
      expect((await mechanisms(old.url))?.detail).toMatch(/^TS rows only: .*no monitoring\.signal_lifecycles table \(the incident-era bot/);
      const { d } = await doctor(['--db', old.url]);
      expect(d.checks?.skipped).toContainEqual({ check: 'lifecycle-reset', reason: 'the database has no table monitoring.signal_lifecycles' });
      expect(d.items.find((i) => i.name === 'monitoring.signal_lifecycles')?.detail).toMatch(/optional: the current bot's signal lifecycles/);
    } finally {
      await lifecycles.drop();
    }
  });

  it('on a broken schema: exit 3, naming the missing table, and what it could still check', async () => {
    const { r, d } = await doctor(['--db', current.url, '--schema', 'public']);
    expect(r.code).toBe(3);
    expect(d.items.find((i) => i.name === 'public.positions')).toMatchObject({ status: 'fail' });
    expect(d.checks?.available).toEqual([]);
    expect(d.items.find((i) => i.name === 'connection')?.status).toBe('ok');
    const table = await cli(['doctor', '--db', current.url, '--schema', 'public']);
    expect(table.code).toBe(3);
    expect(table.stdout).toContain('cannot use this database as it is');
  });

  it('on an unreachable server: exit 3 with the connection error; without a target: exit 2, one line', async () => {
    const { r, d } = await doctor(['--db', 'postgresql://audit:S3cret@127.0.0.1:1/bot', '--connect-timeout', '2s']);
    expect(r.code).toBe(3);
    expect(d.items.find((i) => i.name === 'connection')).toMatchObject({ status: 'fail' });
    expect(r.stdout).not.toContain('S3cret');
    expectOneLineError(await cli(['doctor']), 2, /no database given/);
  });
});
