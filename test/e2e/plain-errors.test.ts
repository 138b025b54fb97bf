// Plain words for two mistakes of a tired person: no password for a server that wants one, and a zone
// abbreviation where an IANA zone is needed. One line each, the documented exit code, and what to do.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, useScenario } from '../support/db.js';
import { expectOneLineError } from '../support/cli.js';
import { cli } from '../support/in-process.js';
import { requireBuild } from '../support/report.js';

requireBuild();

describe('plain errors', () => {
  const db = useScenario('naive', fixture('incident.sql'));

  it('a missing password says the server asked for one and where one can be given', async () => {
    const url = new URL(db.url);
    url.password = '';
    // A home without ~/.pgpass: nothing gives a password.
    const home = mkdtempSync(join(tmpdir(), 'ts-audit-home-'));
    const r = await cli(['check', '--db', url.href], { HOME: home });
    expectOneLineError(r, 3, /the server asked for a password for user "postgres" and none was given: put it in the URL/);
    for (const where of ['PGPASSWORD', '~/.pgpass', 'config file']) expect(r.stderr).toContain(where);
    expect(r.stderr).toContain('(postgres:PASSWORD@127.0.0.1:');
    expect(r.stderr).not.toContain('SASL');
    // The URL named has no password in it to show.
    expect(r.stderr).not.toContain(new URL(db.url).password);
  });

  it.each([
    ['EST', 'America/New_York'],
    ['MSK', 'Europe/Moscow'],
  ])('--db-timezone %s is refused in one line naming the IANA zone %s, from a flag or the environment', async (abbreviation, zone) => {
    const flag = await cli(['timestamps', '--db', db.url, '--db-timezone', abbreviation]);
    expectOneLineError(flag, 2, new RegExp(`--db-timezone: "${abbreviation}" is an abbreviation, not an IANA time zone .*use the IANA zone ${zone}$`, 'm'));
    const env = await cli(['diff', '--db', db.url, '--from-events'], { TS_AUDIT_DB_TIMEZONE: abbreviation });
    // The error names where the zone came from.
    expectOneLineError(env, 2, new RegExp(`^ts-audit: TS_AUDIT_DB_TIMEZONE: "${abbreviation}" is an abbreviation.*use the IANA zone ${zone}$`, 'm'));
    const config = join(mkdtempSync(join(tmpdir(), 'ts-audit-zone-')), 'ts-audit.config.json');
    writeFileSync(config, JSON.stringify({ database: { timezone: abbreviation } }));
    const file = await cli(['timestamps', '--db', db.url, '--config', config]);
    expectOneLineError(
      file,
      2,
      new RegExp(`^ts-audit: the config file's database\\.timezone: "${abbreviation}" is an abbreviation.*use the IANA zone ${zone}$`, 'm'),
    );
    const display = await cli(['timestamps', '--db', db.url, '--display-timezone', abbreviation]);
    expectOneLineError(display, 2, new RegExp(`--display-timezone: "${abbreviation}" is an abbreviation.*${zone}`));
  });

  it('an IANA zone, and UTC, are taken as before', async () => {
    for (const zone of ['Europe/Moscow', 'UTC']) {
      const r = await cli(['timestamps', '--db', db.url, '--db-timezone', zone, '--quiet']);
      expect(r.stderr, zone).toBe('');
      expect(r.code, zone).toBe(0);
    }
  });
});
