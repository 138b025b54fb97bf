#!/usr/bin/env node
// Benchmark: the detail tables with a row per open position at a busy bot's count (20,000: `restore`,
// `timestamps`, and `timeline` of the open positions' symbols, a small table each), drawn by cli-table3
// (src/report/detail-table.ts) and by the hand-written layout (src/report/layout.ts), same columns, same rows.
//   npm run bench:tables [-- --rows 20000 --symbols 2000 --entries 6 --runs 3 --width 80]
// Each measurement is a fresh process: the time of one rendering and its process's peak RSS, medians of
// --runs alternating rounds.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const ROWS = Number(arg('rows', 20000));
const RUNS = Number(arg('runs', 3));
const WIDTH = Number(arg('width', 80));
const ENTRIES = Number(arg('entries', 6));
/** timeline draws a table per symbol: this many symbols (its default is every open position's). */
const SYMBOLS = Number(arg('symbols', 2000));
/** A digest of the text drawn, to show both give the same. */
const digest = (lines) => createHash('sha1').update(lines.join('\n')).digest('hex').slice(0, 12);
const dist = (m) => new URL(`../dist/report/${m}`, import.meta.url).href;

const at = (i) => new Date(Date.UTC(2025, 9, 26, 8, 0, 0) + i * 37_000);
const restoreRows = (n) =>
  Array.from({ length: n }, (_, i) => ({
    exchange: i % 3 ? 'binance' : 'bybit',
    symbol: `SYM${i}USDT`,
    positionId: 100_000 + i,
    outcome: i % 7 ? 'restored' : 'created new',
    reason:
      i % 7
        ? 'a row for this position: restored with its saved state'
        : 'no row for this position: a restart creates a new stop at the current price, losing the old one',
  }));
const timestampRows = (n) =>
  Array.from({ length: n }, (_, i) => ({
    exchange: i % 3 ? 'binance' : 'bybit',
    symbol: `SYM${i}USDT`,
    positionId: 100_000 + i,
    positionOpenedAt: at(i),
    stopCreatedAt: i % 11 ? new Date(at(i).getTime() + (i % 5) * 61_000) : null,
    lagSeconds: i % 11 ? (i % 5) * 61 : null,
    late: i % 5 === 4,
  }));

const KINDS = ['position-opened', 'first-order', 'row-created', 'trailing_stop_updated', 'row-activated', 'last-order'];
const timelineSymbols = (n) =>
  Array.from({ length: n }, (_, i) => ({
    exchange: 'binance',
    symbol: `SYM${i}USDT`,
    entries: Array.from({ length: ENTRIES }, (_, k) => ({
      at: at(i + k),
      kind: KINDS[k % KINDS.length],
      summary: `position #${100_000 + i}: stop at 6123${k}.5, trail 1.5%, from the journal's event ${k}`,
    })),
  }));

/** CPU time (user and system) since `from`, in ms: steadier than wall time on a shared machine. */
const cpuMs = (from) => {
  const { user, system } = process.cpuUsage(from);
  return (user + system) / 1000;
};

async function one(impl, table) {
  const { DateTime } = await import('luxon');
  const { detailTable } = await import(dist('detail-table.js'));
  const { layout, MAX_NAME } = await import(dist('layout.js'));
  const draw = impl === 'cli-table3' ? detailTable : layout;
  const inZone = (d) => (d ? DateTime.fromJSDate(d, { zone: 'UTC' }).toFormat('yyyy-LL-dd HH:mm:ss') : '-');
  // The columns of src/report/table.ts's renderDetails (uncoloured).
  const columns =
    table === 'restore'
      ? [
          { header: 'severity', cell: () => '' },
          { header: 'exchange', cell: (r) => r.exchange, max: MAX_NAME },
          { header: 'symbol', cell: (r) => r.symbol, max: MAX_NAME },
          { header: 'position', cell: (r) => `#${r.positionId}`, right: true, drop: 1 },
          { header: 'on restart', cell: (r) => r.outcome },
          { header: 'why', cell: (r) => r.reason, flex: true },
        ]
      : [
          { header: 'exchange', cell: (t) => t.exchange, max: MAX_NAME },
          { header: 'symbol', cell: (t) => t.symbol, max: MAX_NAME },
          { header: 'opened (UTC)', cell: (t) => inZone(t.positionOpenedAt) },
          { header: 'row created (UTC)', cell: (t) => inZone(t.stopCreatedAt) },
          { header: 'lag', cell: (t) => (t.lagSeconds === null ? 'no row' : `${t.lagSeconds}s`), right: true },
        ];
  if (table === 'timeline') {
    // As src/report/timeline.ts draws it: a table per symbol, under its name.
    const symbols = timelineSymbols(SYMBOLS);
    const cols = [
      { header: 'time (UTC)', cell: (e) => e.at.toISOString() },
      { header: 'what', cell: (e) => e.kind, minWidth: 21 },
      { header: 'detail', cell: (e) => e.summary, flex: true },
    ];
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    const lines = [];
    for (const s of symbols) lines.push(`${s.exchange} ${s.symbol}`, ...draw(cols, s.entries, WIDTH - 2, { header: false }).lines.map((l) => `  ${l}`), '');
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    return {
      ms,
      cpuMs: cpuMs(cpu),
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      lines: lines.length,
      bytes: lines.reduce((n, l) => n + l.length + 1, 0),
      sha1: digest(lines),
    };
  }
  const rows = table === 'restore' ? restoreRows(ROWS) : timestampRows(ROWS);
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const { lines } = draw(columns, rows, WIDTH, {});
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const bytes = lines.reduce((n, l) => n + l.length + 1, 0);
  return { ms, cpuMs: cpuMs(cpu), peakRssMiB: process.resourceUsage().maxRSS / 1024, lines: lines.length, bytes, sha1: digest(lines) };
}

if (process.argv[2] === '--one') {
  const [impl, table] = process.argv.slice(3);
  const result = await one(impl, table);
  process.stdout.write(JSON.stringify(result));
} else {
  const self = fileURLToPath(import.meta.url);
  const cases = [
    ['layout.ts', 'restore'],
    ['cli-table3', 'restore'],
    ['layout.ts', 'timestamps'],
    ['cli-table3', 'timestamps'],
    ['layout.ts', 'timeline'],
    ['cli-table3', 'timeline'],
  ];
  const results = Object.fromEntries(cases.map(([i, t]) => [`${t} ${i}`, []]));
  for (let r = 0; r < RUNS; r++) {
    for (const [impl, table] of cases) {
      const p = spawnSync(
        process.execPath,
        [self, '--one', impl, table, '--rows', String(ROWS), '--entries', String(ENTRIES), '--symbols', String(SYMBOLS), '--width', String(WIDTH)],
        {
          encoding: 'utf8',
        },
      );
      if (p.status !== 0) throw new Error(`${impl} ${table}: exit ${p.status}\n${p.stderr}`);
      results[`${table} ${impl}`].push(JSON.parse(p.stdout));
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const summary = Object.fromEntries(
    Object.entries(results).map(([name, rs]) => [
      name,
      {
        medianMs: Math.round(median(rs.map((x) => x.ms))),
        medianCpuMs: Math.round(median(rs.map((x) => x.cpuMs))),
        peakRssMiB: Math.round(median(rs.map((x) => x.peakRssMiB))),
        lines: rs[0].lines,
        bytes: rs[0].bytes,
        sha1: rs[0].sha1,
      },
    ]),
  );
  console.log(
    JSON.stringify({ rows: ROWS, timelineSymbols: SYMBOLS, timelineEntries: ENTRIES, width: WIDTH, runs: RUNS, node: process.version, ...summary }, null, 2),
  );
}
