#!/usr/bin/env node
// Benchmark: does `ts-audit watch` hold its memory over many runs?
//
//   npm run bench:watch [-- --runs 10000 --interval 1ms]
//
// Starts the embedded PostgreSQL with the demo's incident (as `ts-audit demo` does), then runs
// `ts-audit watch --dump <incident dump> --all --metrics-file F --interval 1ms` and samples the
// process's resident memory (/proc/PID/status, VmRSS) at every tenth of the runs, counted by the
// `query session` line --verbose logs at the start of each run's snapshot. Prints the samples and
// the growth from the first tenth to the last. Linux only (reads /proc).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const RUNS = Number(arg('runs', '10000'));
const INTERVAL = arg('interval', '1ms');

const { startDemoDatabase } = await import(join(ROOT, 'dist/commands/demo.js'));
const demo = await startDemoDatabase();
const dir = mkdtempSync(join(tmpdir(), 'ts-audit-bench-watch-'));
const metrics = join(dir, 'ts_audit.prom');
const child = spawn(
  process.execPath,
  [join(ROOT, 'bin/ts-audit.js'), 'watch', '--db', demo.url, '--dump', demo.dumpPath, '--all', '--metrics-file', metrics, '--interval', INTERVAL, '--verbose'],
  {
    stdio: ['ignore', 'ignore', 'pipe'],
  },
);
child.stderr.setEncoding('utf8');
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
const samples = [];
let runs = 0;
const started = Date.now();
let done;
const finished = new Promise((resolve) => (done = resolve));
let rest = '';
child.stderr.on('data', (text) => {
  const lines = (rest + text).split('\n');
  rest = lines.pop() ?? '';
  for (const line of lines) {
    // One snapshot per run, and one session query per snapshot.
    if (!/^ts-audit: query session: /.test(line)) continue;
    runs += 1;
    if (runs % Math.max(1, Math.floor(RUNS / 10)) === 0) {
      samples.push({ runs, rssMiB: Number(rss().toFixed(1)), seconds: Math.round((Date.now() - started) / 1000) });
      process.stderr.write(`[bench] ${runs} runs: ${samples.at(-1).rssMiB} MiB\n`);
    }
    if (runs >= RUNS) done();
  }
});
try {
  await finished;
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await demo.stop();
  rmSync(dir, { recursive: true, force: true });
}
const first = samples[0]?.rssMiB ?? NaN;
const last = samples.at(-1)?.rssMiB ?? NaN;
console.log(JSON.stringify({ runs: RUNS, interval: INTERVAL, samples, growthMiB: Number((last - first).toFixed(1)) }, null, 2));
