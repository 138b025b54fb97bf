// The CLI on the verdicts' edges (in this process: support/in-process.ts): passwords that also occur in report data, input that would
// otherwise read as clean (a misspelt dump field, no database, a file that is not a log), and output
// files that cannot be written, refused before any database work.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioDb, INCIDENT_DUMP, adminUrl, createScenario, fixture } from '../support/db.js';
import { expectOneLineError as oneLineError } from '../support/cli.js';
import { cli } from '../support/in-process.js';
import { stopsDump, writeDump } from '../support/dumps.js';

describe('passwords that also occur in report data', () => {
  let db: ScenarioDb;
  // Unique per run: both TZ projects may share one server (TS_AUDIT_TEST_DATABASE_URL).
  const suffix = randomBytes(3).toString('hex');
  const roles = ['1', 'postgres', 'ts'].map((p) => `ts_audit_pw_${p}_${suffix}`);
  const passwords = ['1', 'postgres', 'ts'];
  beforeAll(async () => {
    db = await createScenario('naive', fixture('incident.sql'));
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    try {
      for (const [i, role] of roles.entries()) {
        await admin.query(`DROP ROLE IF EXISTS ${role}`);
        await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${passwords[i]}'`);
        await admin.query(`GRANT CONNECT ON DATABASE ${db.name} TO ${role}`);
      }
    } finally {
      await admin.end();
    }
    await db.exec(`GRANT USAGE ON SCHEMA monitoring TO ${roles.join(', ')}; GRANT SELECT ON ALL TABLES IN SCHEMA monitoring TO ${roles.join(', ')};`);
  });
  afterAll(async () => {
    await db?.drop();
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    for (const role of roles) await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  });

  it.each(passwords.map((p, i) => [p, roles[i] as string]))('keeps JSON and URLs intact with the password %j', async (password, role) => {
    const url = new URL(db.url);
    url.username = role;
    url.password = password;
    const j = await cli(['diff', '--db', url.toString(), '--dump', INCIDENT_DUMP, '--format', 'json']);
    expect(j.code).toBe(1);
    const report = JSON.parse(j.stdout);
    expect(report.reportVersion).toBe(1);
    expect(report.database.target).toBe(`postgresql://${role}:***@${url.host}/${db.name}`);
    expect(j.stdout).not.toContain(`${role}:${password}@`);
    const table = await cli(['diff', '--db', url.toString(), '--dump', INCIDENT_DUMP]);
    expect(table.stdout).toMatch(new RegExp(`^(ts-audit diff · )?postgresql://${role}:\\*\\*\\*@`, 'm'));
    const wrong = new URL(url);
    wrong.password = `${password}x`;
    const refused = await cli(['diff', '--db', wrong.toString(), '--dump', INCIDENT_DUMP]);
    oneLineError(refused, 3, new RegExp(`cannot connect to postgresql://${role}:\\*\\*\\*@.*password authentication failed`));
    expect(refused.stderr).not.toContain(`${password}x`);
  });
});

describe('input that must not read as clean', () => {
  it('refuses an unknown dump field, naming it, the entry and the closest known field', async () => {
    const dump = stopsDump([
      { exchange: 'bybit', symbol: 'RADUSDT', state: 'waiting' },
      { exchange: 'bybit', symbol: 'STGUSDT', state: 'waiting', highest_prise: '1.2' },
    ]);
    oneLineError(
      await cli(['diff', '--db', 'postgresql://u@127.0.0.1:1/x', '--dump', dump]),
      2,
      /stop #2 \(bybit STGUSDT\): unknown field "highest_prise" \(did you mean "highest_price"\?\)/,
    );
    const camel = stopsDump([{ exchange: 'bybit', symbol: 'RADUSDT', state: 'waiting', entryPrice: '1' }]);
    oneLineError(
      await cli(['diff', '--db', 'postgresql://u@127.0.0.1:1/x', '--dump', camel]),
      2,
      /unknown field "entryPrice" \(did you mean "entry_price"\?\)/,
    );
  });

  it('refuses to guess a database when none is given', async () => {
    oneLineError(await cli(['check']), 2, /no database given: pass --db/);
    oneLineError(await cli(['diff', '--dump', INCIDENT_DUMP]), 2, /no database given/);
  });

  it('refuses a file that is not a log of the bot', async () => {
    oneLineError(await cli(['logs', INCIDENT_DUMP]), 2, /not a log of the bot: 0 records/);
  });

  it('refuses an output file it cannot write before touching the database', async () => {
    const dir = mkdtempSync(`${tmpdir()}/ts-audit-out-`);
    // The database does not exist at all: a check of the output after the database would say exit 3.
    const db = ['--db', 'postgresql://u@127.0.0.1:1/x'];
    oneLineError(await cli(['check', ...db, '-o', `${dir}/missing/report.json`]), 2, /-o\/--output .* cannot be written: the folder .*missing does not exist/);
    oneLineError(await cli(['check', ...db, '-o', dir]), 2, /cannot be written: .* is a folder, not a file/);
    oneLineError(await cli(['check', ...db, '--write-baseline', `${dir}/no/b.json`]), 2, /--write-baseline .* cannot be written/);
    const file = writeDump('x');
    writeFileSync(file, 'x');
    oneLineError(await cli(['check', ...db, '-o', `${file}/report.json`]), 2, /cannot be written: .* is a file, not a folder/);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });
});

describe('file errors in plain words', () => {
  it('a folder or a missing file given as a dump, a log, a baseline or a config is one plain line, exit 2', async () => {
    const folder = mkdtempSync(`${tmpdir()}/ts-audit-plain-`);
    const cases: [string[], RegExp][] = [
      [['diff', '--db', 'postgresql://x@127.0.0.1:1/x', '--dump', folder], /^ts-audit: cannot read dump .*: it is a folder, not a file\n$/],
      [['logs', folder], /^ts-audit: cannot read log .*: it is a folder, not a file\n$/],
      [['check', '--db', 'postgresql://x@127.0.0.1:1/x', '--baseline', folder], /^ts-audit: cannot read baseline .*: it is a folder, not a file\n$/],
      [['check', '--db', 'postgresql://x@127.0.0.1:1/x', '--config', folder], /^ts-audit: cannot read config .*: it is a folder, not a file\n$/],
      [['logs', `${folder}/missing.log`], /^ts-audit: cannot read log .*: no such file\n$/],
    ];
    for (const [args, pattern] of cases) {
      const r = await cli(args);
      oneLineError(r, 2, pattern);
      expect(r.stderr).not.toMatch(/E[A-Z]{3,}/); // no ENOENT, EISDIR, EACCES
    }
  });
});
