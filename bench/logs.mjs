#!/usr/bin/env node
// Benchmark: `ts-audit logs` on a generated multi-gigabyte log of restarts: right counts, bounded memory.
//   npm run build && node bench/logs.mjs [--gib 2]
// Writes a log of repeated sessions (save failures with tracebacks, [TS_DEBUG] lines, and a restart
// that restores 1 stop and creates 13 anew) to a temporary folder, runs `ts-audit logs --format json`
// under /usr/bin/time -v, checks the restart and save-failure counts against what was written, and
// prints the wall time and peak resident memory.
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/ts-audit.js', import.meta.url));
const i = process.argv.indexOf('--gib');
const GIB = i > 0 ? Number(process.argv[i + 1]) : 2;
const dir = mkdtempSync(join(tmpdir(), 'ts-audit-bench-logs-'));
const file = join(dir, 'bot.log');
const SYMBOLS = Array.from({ length: 14 }, (_, k) => `SYM${k}USDT`);

const pad = (n, w = 2) => String(n).padStart(w, '0');
function stamp(t) {
  const d = new Date(t);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())},${pad(d.getUTCMilliseconds(), 3)}`;
}

const out = createWriteStream(file);
let t = Date.UTC(2025, 0, 1);
let restarts = 0;
let written = 0;
const target = GIB * 1024 ** 3;
const write = (s) => (written += Buffer.byteLength(s)) && out.write(s);
while (written < target) {
  let chunk = '';
  const line = (logger, level, msg) => {
    t += 37;
    chunk += `${stamp(t)} - ${logger} - ${level} - ${msg}\n`;
  };
  for (let k = 1; k < SYMBOLS.length; k++) {
    line('protection.trailing_stop', 'ERROR', `❌ ${SYMBOLS[k]}: Failed to save TS state: 'NoneType' object has no attribute 'acquire'`);
    chunk +=
      "Traceback (most recent call last):\n  File \"/app/protection/trailing_stop.py\", line 167, in _save_state\nAttributeError: 'NoneType' object has no attribute 'acquire'\n";
  }
  for (let k = 0; k < 200; k++)
    line(
      'core.position_manager',
      'DEBUG',
      `[TS_DEBUG] Exchange: binance, Trailing manager exists: True, TS symbols in memory: [${SYMBOLS.map((s) => `'${s}'`).join(', ')}]`,
    );
  line('core.position_manager', 'INFO', '🎯 Initializing trailing stops for loaded positions...');
  line('core.position_manager', 'INFO', `✅ ${SYMBOLS[0]}: TS state restored from DB`);
  for (let k = 1; k < SYMBOLS.length; k++) line('core.position_manager', 'INFO', `✅ ${SYMBOLS[k]}: New TS created (no state in DB)`);
  restarts += 1;
  if (!write(chunk)) await new Promise((r) => out.once('drain', r));
}
await new Promise((r) => out.end(r));
const size = statSync(file).size;
process.stderr.write(`[bench] wrote ${(size / 1024 ** 3).toFixed(2)} GiB, ${restarts} restarts\n`);

const started = Date.now();
const r = spawnSync('/usr/bin/time', ['-v', process.execPath, BIN, 'logs', file, '--log-timezone', 'UTC', '--format', 'json', '--fail-on', 'none'], {
  encoding: 'utf8',
  maxBuffer: 1 << 30,
});
const seconds = (Date.now() - started) / 1000;
if (r.status !== 0) throw new Error(`ts-audit logs exited ${r.status}: ${r.stderr.slice(-2000)}`);
const report = JSON.parse(r.stdout);
const peakKiB = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]);
const logs = report.details.logs;
const lastRestart = logs.restarts.at(-1);
const result = {
  gib: Number((size / 1024 ** 3).toFixed(2)),
  records: logs.records,
  restartsWritten: restarts,
  restartsFound: logs.restartCount,
  restartTotals: logs.restartTotals,
  lastRestartCounts: lastRestart.counts,
  saveFailureSymbols: report.summary.byCheck['save-failure'],
  saveFailuresPerSymbol: report.findings.find((f) => f.check === 'save-failure')?.evidence.count,
  countsRight:
    logs.restartCount === restarts &&
    logs.restartTotals.createdNew === 13 * restarts &&
    logs.restartTotals.restored === restarts &&
    lastRestart.counts.createdNew === 13 &&
    lastRestart.counts.restored === 1,
  seconds,
  peakRssMiB: Number((peakKiB / 1024).toFixed(1)),
};
console.log(JSON.stringify(result, null, 2));
rmSync(dir, { recursive: true, force: true });
