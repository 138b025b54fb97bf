#!/usr/bin/env node
// The output samples of the README and docs/: each sits between `<!-- sample: NAME -->` and
// `<!-- end sample -->` and is the built binary's real output on the demo database. `npm run
// docs:samples` writes them; `--check` (and test/e2e/demo.test.ts) fails when one differs, so a sample
// cannot drift from what ts-audit prints. The commands run with NO_COLOR=1, COLUMNS=80, TZ=UTC and
// DATABASE_URL set to the demo's database, in the demo's temporary folder (so the dump and the log are
// `stops.json` and `bot.log`). Only what changes from run to run is normalised: the server's port, the
// run's own times (any time not of 2025, the year of the demo's data) and the two durations doctor
// measures.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SHOWN_PORT = '54321';
export const SHOWN_TIME = '2026-12-01 09:00:00';

/** Every sample: where it is shown and the ts-audit arguments that produce it. Keep the set small. */
export const SAMPLES = [
  { name: 'diff-from-events', file: 'README.md', args: ['diff', '--from-events', '--max-rows', '3'] },
  { name: 'doctor', file: 'docs/commands.md', args: ['doctor'] },
  { name: 'diff-dump', file: 'docs/commands.md', args: ['diff', '--dump', 'stops.json'] },
  { name: 'timestamps', file: 'docs/commands.md', args: ['timestamps', '--display-timezone', 'Asia/Dubai'] },
  { name: 'restore', file: 'docs/commands.md', args: ['restore'] },
  { name: 'logs', file: 'docs/commands.md', args: ['logs', 'bot.log', '--log-timezone', 'Asia/Dubai', '--max-rows', '3'] },
  { name: 'json-report', file: 'docs/json-report.md', args: ['diff', '--dump', 'stops.json', '--symbol', 'SUIUSDT', '--format', 'json'] },
];

const BEGIN = /<!-- sample: ([a-z0-9-]+) -->\n/g;
const END = '<!-- end sample -->';

/** What truly varies between two runs, replaced by fixed text: the port, the run's times, doctor's timings. */
export function normalise(text, port) {
  return text
    .replaceAll(`127.0.0.1:${port}`, `127.0.0.1:${SHOWN_PORT}`)
    .replace(
      /\b(?!2025-)(\d{4})-(\d{2})-(\d{2})([ T]|\n +)(\d{2}):(\d{2}):(\d{2})(\.\d+)?/g,
      (_m, _y, _mo, _d, sep, _h, _mi, _s, frac) => `${SHOWN_TIME.replace(' ', sep)}${frac ? `.${'0'.repeat(frac.length - 1)}` : ''}`,
    )
    .replace(/read-only snapshot in \d+ ms/g, 'read-only snapshot in 40 ms')
    .replace(/\b\d+(\.\d+)? ms for SELECT 1/g, '0.5 ms for SELECT 1')
    .replace(/"durationMs": \d+/g, '"durationMs": 100');
}

/** The Markdown block of one sample: the command, what it printed, and its exit code. */
export function sampleBlock(args, { code, stdout, stderr }) {
  const printed = `${stdout}${stderr}`.replace(/\n?$/, '\n');
  return `\`\`\`\n$ ts-audit ${args.join(' ')}\n${printed}$ echo $?\n${code}\n\`\`\`\n`;
}

/** Each marked sample of `text` replaced by the block given for its name; unknown names are errors. */
export function applySamples(text, blocks, file = 'the text') {
  let result = '';
  let at = 0;
  for (const m of text.matchAll(BEGIN)) {
    const name = m[1];
    if (m.index < at) continue;
    const start = m.index + m[0].length;
    const end = text.indexOf(END, start);
    if (end < 0) throw new Error(`${file}: sample "${name}" has no ${END}`);
    if (!blocks.has(name)) throw new Error(`${file}: unknown sample "${name}" (scripts/docs-samples.mjs lists the samples)`);
    result += text.slice(at, start) + blocks.get(name);
    at = end;
  }
  return result + text.slice(at);
}

export const markedSamples = (text) => [...text.matchAll(BEGIN)].map((m) => m[1]);

function runCli(args, cwd, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'ts-audit.js'), ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Runs every sample's command on the demo database and gives each sample's block. By default it starts
 * the demo database itself and spawns the built binary for each sample; the test hands it the database
 * of a running `ts-audit demo --keep` (the same startDemoDatabase) and a runner of its own.
 */
export async function renderSamples({ demo, run = runCli } = {}) {
  let own;
  if (!demo) {
    const { startDemoDatabase } = await import(join(ROOT, 'dist', 'commands', 'demo.js'));
    own = demo = await startDemoDatabase();
  }
  try {
    const port = new URL(demo.url).port;
    const env = { PATH: process.env.PATH ?? '', NO_COLOR: '1', COLUMNS: '80', TZ: 'UTC', DATABASE_URL: demo.url, HOME: dirname(demo.dumpPath) };
    const blocks = new Map();
    for (const s of SAMPLES) {
      const r = await run(s.args, dirname(demo.dumpPath), env);
      blocks.set(s.name, normalise(sampleBlock(s.args, r), port));
    }
    return blocks;
  } finally {
    await own?.stop();
  }
}

/** The files whose samples differ from `blocks`, with their text as it should be. */
export function staleFiles(blocks, read = (file) => readFileSync(join(ROOT, file), 'utf8')) {
  const files = [...new Set(SAMPLES.map((s) => s.file))];
  return files.map((file) => ({ file, now: read(file), next: applySamples(read(file), blocks, file) })).filter((f) => f.now !== f.next);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes('--check');
  const stale = staleFiles(await renderSamples());
  for (const { file, next } of stale) {
    if (check) process.stderr.write(`docs-samples: ${file} has samples that differ from the binary's output (npm run docs:samples writes them)\n`);
    else {
      writeFileSync(join(ROOT, file), next);
      process.stderr.write(`docs-samples: wrote ${file}\n`);
    }
  }
  if (check && stale.length) process.exitCode = 1;
}
