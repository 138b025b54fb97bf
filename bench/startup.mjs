#!/usr/bin/env node
// Benchmark: how much slower `ts-audit --help` (and --version) starts than `node -e 0`.
//   npm run build && node bench/startup.mjs [--runs 30]
// Each command is run alternately, --runs times, as a fresh process; medians and ratios are printed.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/ts-audit.js', import.meta.url));
const i = process.argv.indexOf('--runs');
const RUNS = i > 0 ? Number(process.argv[i + 1]) : 30;

const commands = {
  'node -e 0': ['-e', '0'],
  'ts-audit --help': [BIN, '--help'],
  'ts-audit --version': [BIN, '--version'],
};
const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
for (let r = 0; r < RUNS + 2; r++) {
  for (const [name, args] of Object.entries(commands)) {
    const start = process.hrtime.bigint();
    const p = spawnSync(process.execPath, args, { stdio: 'ignore' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (p.status !== 0) throw new Error(`${name} exited ${p.status}`);
    if (r >= 2) times[name].push(ms); // the first two rounds warm the file cache
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(times['node -e 0']);
const result = Object.fromEntries(
  Object.entries(times).map(([name, xs]) => [name, { medianMs: Number(median(xs).toFixed(1)), ratio: Number((median(xs) / base).toFixed(2)) }]),
);
console.log(JSON.stringify({ runs: RUNS, node: process.version, ...result }, null, 2));
