// ts-audit rescue against hostile data, applied as an operator would apply it: the real psql, with
// `psql -v ON_ERROR_STOP=1 -f`, on a real server. Symbols, exchanges and row states are written by
// other programs; none of them may end a string or a dollar quote, run a psql meta-command (`\!` is a
// shell command), reset psql's query buffer (`\r`), or call a function a user put on the search_path.
// Each database is checked afterwards: only the planned statements ran (psql's own command tags), no
// marker file exists, the table recording calls of the hostile functions is empty, and every value
// came back byte for byte.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioDb, createScenario, withClient } from '../support/db.js';
import { cli } from '../support/in-process.js';
import { stopsDump } from '../support/dumps.js';
import { requireBuild } from '../support/report.js';

requireBuild();

const PSQL = process.env.TS_AUDIT_TEST_PSQL ?? '/usr/bin/psql';
const HAVE_PSQL = existsSync(PSQL);
if (!HAVE_PSQL) console.warn(`rescue-hostile: SKIPPED: no psql at ${PSQL} (set TS_AUDIT_TEST_PSQL): these tests apply the scripts with the real psql`);
const skipNote = HAVE_PSQL ? '' : ` [skipped: no psql at ${PSQL}]`;

/** Values that fit the bot's columns: positions.symbol varchar(20), exchange varchar(50). */
const SYMBOLS = [
  "a\\'\\! touch p1 #", // escapes a doubled-quote string when standard_conforming_strings is off
  "b'';\\! touch p2",
  'c\r\\! touch p3', // \r: a psql meta-command resetting the query buffer
  'd\n\\! touch p4',
  'e--x/*y;z*/',
  'f\u2028g\u2029h\u0085',
  "g:foo:'x'\\",
  'h$$\\! touch p5',
  '$ts_audit_0$\\!touch',
  'ÄÖ€😀\u202e\u001b[2J',
];
const EXCHANGES = [
  'x$ts_audit_verify$\\! touch p6 #', // the tag the script used to use for its check
  'y$ts_audit_verify$\r\\! touch p7',
];

const HOSTILE_SQL = `
CREATE SCHEMA evil;
CREATE TABLE evil.calls (what text);
CREATE FUNCTION evil.now() RETURNS timestamptz LANGUAGE sql AS $f$ INSERT INTO evil.calls VALUES ('now()') RETURNING pg_catalog.clock_timestamp() $f$;
CREATE FUNCTION evil.numeq(numeric, numeric) RETURNS boolean LANGUAGE sql AS $f$ INSERT INTO evil.calls VALUES ('numeric =') RETURNING pg_catalog.numeric_eq($1, $2) $f$;
CREATE OPERATOR evil.= (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = evil.numeq);
CREATE FUNCTION evil.texteq(text, text) RETURNS boolean LANGUAGE sql AS $f$ INSERT INTO evil.calls VALUES ('text =') RETURNING pg_catalog.texteq($1, $2) $f$;
CREATE OPERATOR evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.texteq);
CREATE FUNCTION evil.cat(text, text) RETURNS text LANGUAGE sql AS $f$ INSERT INTO evil.calls VALUES ('||') RETURNING pg_catalog.textcat($1, $2) $f$;
CREATE OPERATOR evil.|| (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.cat);
`;
/** psql's session: the hostile functions first on its path (ts-audit's own reads are not affected). */
const HOSTILE_PATH = '-c search_path=evil,pg_catalog,public';

interface Pair {
  symbol: string;
  exchange: string;
}

const stop = (p: Pair, extra: object = {}) => ({
  exchange: p.exchange,
  symbol: p.symbol,
  side: 'long',
  state: 'active',
  is_activated: true,
  entry_price: '1.5',
  highest_price: '1.6',
  lowest_price: '999999',
  current_stop_price: '1.55',
  activation_price: '1.52',
  quantity: '10',
  update_count: 5,
  created_at: '2025-10-26T09:05:14+00:00',
  activated_at: '2025-10-26T10:12:40+00:00',
  last_update_time: '2025-10-26T16:28:40+00:00',
  ...extra,
});

/** Open positions for the pairs, with ids 1..n, loaded with bound parameters (never spliced). */
async function loadPositions(db: ScenarioDb, pairs: Pair[]): Promise<void> {
  await withClient(db.url, async (c) => {
    for (const [i, p] of pairs.entries()) {
      await c.query(
        `INSERT INTO monitoring.positions (id, symbol, exchange, side, quantity, entry_price, status, opened_at, created_at, updated_at, has_trailing_stop)
         VALUES ($1, $2, $3, 'long', 10, 1.5, 'active', '2025-10-26 09:05:12+00', '2025-10-26 09:05:12+00', '2025-10-26 16:20:00+00', true)`,
        [i + 1, p.symbol, p.exchange],
      );
    }
  });
}

interface Applied {
  status: number | null;
  stdout: string;
  stderr: string;
  /** What psql's working folder holds afterwards: a `\! touch` would leave a file here. */
  files: string[];
}

/** Applies a script as the README says: psql -v ON_ERROR_STOP=1 -f FILE URL, in an empty folder. */
function psql(url: string, script: string, pgoptions = ''): Applied {
  const dir = mkdtempSync(join(tmpdir(), 'ts-audit-psql-'));
  const file = join(mkdtempSync(join(tmpdir(), 'ts-audit-script-')), 'rescue.sql');
  writeFileSync(file, script);
  const r = spawnSync(PSQL, ['-v', 'ON_ERROR_STOP=1', '-f', file, url], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', PSQLRC: '/dev/null', PGOPTIONS: pgoptions, HOME: dir },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, files: readdirSync(dir) };
}

const rows = (url: string) =>
  withClient(
    url,
    async (c) =>
      (
        await c.query(
          'SELECT symbol, exchange, state, highest_price::text, update_count FROM monitoring.trailing_stop_state ORDER BY symbol COLLATE "C", exchange COLLATE "C"',
        )
      ).rows,
  );
const calls = (url: string) => withClient(url, async (c) => (await c.query('SELECT what FROM evil.calls')).rows);
const byBytes = (a: Pair, b: Pair) =>
  Buffer.compare(Buffer.from(a.symbol), Buffer.from(b.symbol)) || Buffer.compare(Buffer.from(a.exchange), Buffer.from(b.exchange));

/** psql's command tags for the script's statements: exactly what was planned, nothing more. */
function expectedTags(plan: { statements: { kind: string }[] }): string[] {
  const tag = (k: string) => (k === 'insert' ? 'INSERT 0 1' : k === 'delete' ? 'DELETE 1' : 'UPDATE 1');
  return ['BEGIN', 'SET', 'SET', 'SET', 'SET', ...plan.statements.map((s) => tag(s.kind)), 'DO', 'COMMIT'];
}

describe.skipIf(!HAVE_PSQL)(`rescue scripts with hostile symbols and exchanges, applied with the real psql${skipNote}`, () => {
  // Each pair once: every symbol on a hostile exchange, and every hostile exchange with a plain symbol.
  const pairs: Pair[] = [
    ...SYMBOLS.map((symbol, i) => ({ symbol, exchange: EXCHANGES[i % EXCHANGES.length] as string })),
    ...EXCHANGES.map((exchange) => ({ symbol: 'PLAINUSDT', exchange })),
  ];
  // One row lags memory (an UPDATE through the row guard) and has a hostile state the bot never wrote.
  const lagging = pairs[1] as Pair;
  const dump = () => stopsDump(pairs.map((p) => stop(p, p === lagging ? { update_count: 9, highest_price: '1.7' } : {})));
  const dbs: ScenarioDb[] = [];
  const scenario = async (sco: 'on' | 'off') => {
    const db = await createScenario('tz', HOSTILE_SQL);
    dbs.push(db);
    await loadPositions(db, pairs);
    await withClient(db.url, (c) =>
      c.query(
        `INSERT INTO monitoring.trailing_stop_state (symbol, exchange, position_id, state, is_activated, side, highest_price, lowest_price, current_stop_price, entry_price, quantity, update_count)
         VALUES ($1, $2, 2, $3, true, 'long', 1.6, 999999, 1.55, 1.5, 10, 5)`,
        [lagging.symbol, lagging.exchange, "Active\\'\\! touch p9"],
      ),
    );
    // An orphaned row of no position, deleted with --delete-stale through the same guard.
    await withClient(db.url, (c) =>
      c.query(`INSERT INTO monitoring.trailing_stop_state (symbol, exchange, state, side, entry_price, quantity) VALUES ($1, $2, $3, 'long', 1, 1)`, [
        "z'\\$ts$\\! touch p0",
        'q\r\\! touch pq',
        "w\\'';\\!touch pw",
      ]),
    );
    if (sco === 'off') await withClient(db.url, (c) => c.query(`ALTER DATABASE ${db.name} SET standard_conforming_strings = off`));
    return db;
  };
  afterAll(async () => Promise.all(dbs.map((d) => d.drop())));

  for (const sco of ['on', 'off'] as const) {
    it(`standard_conforming_strings ${sco}, a hostile search_path: only the planned statements run, no shell command, no hostile function, values byte-exact`, async () => {
      const db = await scenario(sco);
      const file = dump();
      const json = await cli(['rescue', '--db', db.url, '--dump', file, '--delete-stale', '--format', 'json']);
      expect(json.code).toBe(0);
      const plan = JSON.parse(json.stdout);
      expect(plan.statements.map((s: { kind: string }) => s.kind).sort()).toEqual([...Array(pairs.length - 1).fill('insert'), 'delete', 'update'].sort());
      const r = await cli(['rescue', '--db', db.url, '--dump', file, '--delete-stale']);
      expect(r.code).toBe(0);
      const script = r.stdout;
      // Pure ASCII: nothing a client encoding could read another way.
      expect(/^[\x20-\x7e\n]*$/.test(script)).toBe(true);
      expect(script).toMatch(/\nSET LOCAL standard_conforming_strings = on;\nSET LOCAL search_path = pg_catalog, pg_temp;\n/);
      expect(script).not.toMatch(/[^.]\bnow\(\)/);

      const applied = psql(db.url, script, `${HOSTILE_PATH}${sco === 'off' ? ' -c standard_conforming_strings=off' : ''}`);
      expect(applied.stderr).toBe('');
      expect(applied.status).toBe(0);
      expect(applied.stdout.trim().split('\n')).toEqual(expectedTags(plan));
      expect(applied.files).toEqual([]);
      expect(await calls(db.url)).toEqual([]);
      // Every value back as it was, byte for byte (compared as JS strings of what PostgreSQL holds).
      const after = await rows(db.url);
      expect(after.map((x) => ({ symbol: x.symbol, exchange: x.exchange }))).toEqual([...pairs].sort(byBytes));
      expect(after.find((x) => x.symbol === lagging.symbol)).toMatchObject({ state: 'active', highest_price: '1.70000000', update_count: 9 });
      // Applied, there is nothing left to do.
      const again = await cli(['rescue', '--db', db.url, '--dump', file, '--delete-stale', '--format', 'json']);
      expect(JSON.parse(again.stdout).statements).toEqual([]);
    });
  }

  it('the guard holds with hostile values: a row changed after the snapshot rolls everything back, the psql exit code says so', async () => {
    const db = await scenario('off');
    const r = await cli(['rescue', '--db', db.url, '--dump', dump(), '--delete-stale']);
    expect(r.code).toBe(0);
    // The bot saves the lagging stop once more after the snapshot.
    await withClient(db.url, (c) => c.query('UPDATE monitoring.trailing_stop_state SET update_count = 6 WHERE symbol = $1', [lagging.symbol]));
    const before = await rows(db.url);
    const applied = psql(db.url, r.stdout, `${HOSTILE_PATH} -c standard_conforming_strings=off`);
    expect(applied.status).toBe(3); // psql: an error with ON_ERROR_STOP
    expect(applied.stderr).toContain('ts-audit rescue: not as predicted for');
    expect(applied.stdout).not.toContain('COMMIT');
    expect(applied.files).toEqual([]);
    expect(await rows(db.url)).toEqual(before);
    expect(await calls(db.url)).toEqual([]);
  });
});

describe.skipIf(!HAVE_PSQL)(
  `rescue with 5,000-character values (columns widened to text: the bot's varchar(20)/varchar(50) cannot hold them)${skipNote}`,
  () => {
    let db: ScenarioDb;
    const unit = "'\\$x$\r\n--/*;\u2028\\!touch L #:v ";
    const long = (n: number, lead: string) => (lead + unit.repeat(Math.ceil(n / unit.length))).slice(0, n);
    const pairs: Pair[] = [
      { symbol: long(5000, 'S'), exchange: long(5000, 'E') },
      { symbol: long(4999, 'T'), exchange: 'binance' },
    ];
    beforeAll(async () => {
      db = await createScenario(
        'tz',
        HOSTILE_SQL,
        'ALTER TABLE monitoring.positions ALTER symbol TYPE text, ALTER exchange TYPE text; ALTER TABLE monitoring.trailing_stop_state ALTER symbol TYPE text, ALTER exchange TYPE text;',
      );
      await loadPositions(db, pairs);
    });
    afterAll(async () => db?.drop());

    it('applies under standard_conforming_strings off and a hostile search_path, the values back byte for byte', async () => {
      const r = await cli(['rescue', '--db', db.url, '--dump', stopsDump(pairs.map((p) => stop(p)))]);
      expect(r.code).toBe(0);
      const applied = psql(db.url, r.stdout, `${HOSTILE_PATH} -c standard_conforming_strings=off`);
      expect(applied.stderr).toBe('');
      expect(applied.status).toBe(0);
      expect(applied.stdout.trim().split('\n')).toEqual(['BEGIN', 'SET', 'SET', 'SET', 'SET', 'INSERT 0 1', 'INSERT 0 1', 'DO', 'COMMIT']);
      expect(applied.files).toEqual([]);
      expect(await calls(db.url)).toEqual([]);
      const after = await rows(db.url);
      expect(after.map((x) => ({ symbol: x.symbol, exchange: x.exchange }))).toEqual([...pairs].sort(byBytes));
    });
  },
);

describe.skipIf(!HAVE_PSQL)(`rescue predictions at the column's scale, exact ids, and findings it does not repair${skipNote}`, () => {
  let db: ScenarioDb;
  const noisy: Pair = { symbol: 'NOISYUSDT', exchange: 'binance' };
  const lagging: Pair = { symbol: 'BIGIDUSDT', exchange: 'binance' };
  const drift: Pair = { symbol: 'DRIFTUSDT', exchange: 'binance' };
  beforeAll(async () => {
    db = await createScenario('tz');
    await loadPositions(db, [noisy, lagging, drift]);
    await withClient(db.url, async (c) => {
      // An id above 2^53: a float would round it to 9007199254740992, and the guard would match nothing.
      await c.query(
        `INSERT INTO monitoring.trailing_stop_state (id, symbol, exchange, position_id, state, is_activated, side, highest_price, lowest_price, current_stop_price, entry_price, quantity, update_count)
         VALUES (9007199254740993, 'BIGIDUSDT', 'binance', 2, 'active', true, 'long', 1.6, 999999, 1.55, 1.5, 10, 5),
                (12, 'DRIFTUSDT', 'binance', 3, 'active', true, 'long', 1.2345, 999999, 1.2, 1.5, 10, 7)`,
      );
    });
  });
  afterAll(async () => db?.drop());

  it('a float-noise peak (1.0560000000000001) is predicted as stored (1.05600000), so the check passes; a bigint id is written exactly', async () => {
    const dump = stopsDump([
      stop(noisy, { highest_price: '1.0560000000000001', current_stop_price: '1.0450000000000002' }),
      stop(lagging, { update_count: 6, highest_price: '1.6100000000000001' }),
      stop(drift, { highest_price: '1.2345', update_count: 7, current_stop_price: '1.2' }),
    ]);
    const r = await cli(['rescue', '--db', db.url, '--dump', dump]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('WHERE id = 9007199254740993 AND ');
    expect(r.stdout).toContain("highest_price = E'1.056'::pg_catalog.numeric");
    const applied = psql(db.url, r.stdout);
    expect(applied.stderr).toBe('');
    expect(applied.status).toBe(0);
    expect(applied.stdout).toContain('UPDATE 1');
    const after = await rows(db.url);
    expect(after.find((x) => x.symbol === 'NOISYUSDT')).toMatchObject({ highest_price: '1.05600000', update_count: 5 });
    expect(after.find((x) => x.symbol === 'BIGIDUSDT')).toMatchObject({ highest_price: '1.61000000', update_count: 6 });
    const again = await cli(['rescue', '--db', db.url, '--dump', dump, '--format', 'json']);
    expect(JSON.parse(again.stdout).statements).toEqual([]);
  });

  it('every high finding of diff is repaired or left out with its reason: a peak ahead of the row at the same update_count is listed, on stderr and in the script', async () => {
    const dump = stopsDump([stop(drift, { highest_price: '1.2346', update_count: 7, current_stop_price: '1.2' })]);
    const diff = JSON.parse((await cli(['diff', '--db', db.url, '--dump', dump, '--symbol', 'DRIFTUSDT', '--format', 'json', '--fail-on', 'none'])).stdout);
    const high = diff.findings.filter((f: { severity: string }) => ['critical', 'high'].includes(f.severity));
    expect(high.map((f: { check: string }) => f.check)).toEqual(['field-drift']);
    const r = await cli(['rescue', '--db', db.url, '--dump', dump, '--symbol', 'DRIFTUSDT', '--format', 'json']);
    const plan = JSON.parse(r.stdout);
    expect(plan.statements).toEqual([]);
    expect(plan.leftOut).toEqual([
      expect.objectContaining({
        exchange: 'binance',
        symbol: 'DRIFTUSDT',
        check: 'field-drift',
        severity: 'high',
        reason: expect.stringContaining(high[0].message),
      }),
    ]);
    expect(r.stderr).toMatch(/^ts-audit: left out binance\/DRIFTUSDT: diff reports field-drift \(high\): memory is ahead of the row/m);
    const sql = await cli(['rescue', '--db', db.url, '--dump', dump, '--symbol', 'DRIFTUSDT']);
    expect(sql.stdout).toMatch(/^-- Left out \(1\):\n-- {3}binance\/DRIFTUSDT: diff reports field-drift \(high\)/m);
  });
});

describe.skipIf(!HAVE_PSQL)(`rescue into a schema whose name is not ASCII (written as a U& identifier)${skipNote}`, () => {
  let db: ScenarioDb;
  const schema = 'мон"и\\тор';
  beforeAll(async () => {
    db = await createScenario('tz', HOSTILE_SQL);
    await loadPositions(db, [{ symbol: 'AUSDT', exchange: 'binance' }]);
    await withClient(db.url, (c) => c.query(`ALTER SCHEMA monitoring RENAME TO "${schema.replace(/"/g, '""')}"`));
  });
  afterAll(async () => db?.drop());

  it('the script stays ASCII and applies under standard_conforming_strings off', async () => {
    const r = await cli(['rescue', '--db', db.url, '--schema', schema, '--dump', stopsDump([stop({ symbol: 'AUSDT', exchange: 'binance' })])]);
    expect(r.code).toBe(0);
    expect(/^[\x20-\x7e\n]*$/.test(r.stdout)).toBe(true);
    const applied = psql(db.url, r.stdout, `${HOSTILE_PATH} -c standard_conforming_strings=off`);
    expect(applied.stderr).toBe('');
    expect(applied.stdout.trim().split('\n')).toEqual(['BEGIN', 'SET', 'SET', 'SET', 'SET', 'INSERT 0 1', 'DO', 'COMMIT']);
    const n = await withClient(
      db.url,
      async (c) => (await c.query(`SELECT count(*)::int AS n FROM "${schema.replace(/"/g, '""')}".trailing_stop_state`)).rows[0].n,
    );
    expect(n).toBe(1);
  });
});
