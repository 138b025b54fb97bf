// `ts-audit demo --keep` as a new on-call engineer uses it: the database it leaves running carries the
// bot's event journal and a sample bot log, so the memory replayed from the journal, --as-of, logs and
// timeline all find the incident; Ctrl-C says it stopped and removes everything. The demo is spawned
// (its own server, its own signals); the commands run on its database in this process.
//
// The output samples of the README and docs/ are checked here too, on the same database before
// anything changes it: `npm run docs:samples` (scripts/docs-samples.mjs) renders them on the demo
// database it starts itself, with the same startDemoDatabase the demo's --keep runs.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, type Running, start } from '../support/cli.js';
import { cli } from '../support/in-process.js';
import { withClient } from '../support/client.js';
import { json, requireBuild } from '../support/report.js';
// @ts-expect-error: a plain ES module script, without types
import * as samplesModule from '../../scripts/docs-samples.mjs';

requireBuild();

interface Sample {
  name: string;
  file: string;
  args: string[];
}
type Run = (args: string[], cwd: string, env: Record<string, string>) => Promise<{ code: number | null; stdout: string; stderr: string }>;
const samples = samplesModule as {
  SAMPLES: Sample[];
  renderSamples(given?: { demo: { url: string; dumpPath: string }; run: Run }): Promise<Map<string, string>>;
  applySamples(text: string, blocks: Map<string, string>, file?: string): string;
  markedSamples(text: string): string[];
  staleFiles(blocks: Map<string, string>, read?: (file: string) => string): { file: string; now: string; next: string }[];
  normalise(text: string, port: string): string;
};
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

const PSQL = process.env.TS_AUDIT_TEST_PSQL ?? '/usr/bin/psql';
const HAVE_PSQL = existsSync(PSQL);

async function until(r: Running, text: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!r.stderr().includes(text)) {
    if (r.ended() || Date.now() > deadline) throw new Error(`demo --keep did not print "${text}": ${r.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('ts-audit demo --keep', () => {
  let tmp: string;
  let demo: Running;
  let database: string;
  let dump: string;
  let log: string;
  let blocks: Map<string, string>;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ts-audit-demo-keep-'));
    chmodSync(tmp, 0o755); // the server runs as "postgres" when this is root
    demo = start(['demo', '--keep'], { TMPDIR: tmp });
    await until(demo, 'running until Ctrl-C');
    await until(demo, ' check\n');
    const field = (name: string) => new RegExp(`^  ${name} +(\\S+)`, 'm').exec(demo.stderr())?.[1] ?? '';
    [database, dump, log] = [field('database'), field('dump'), field('bot log')];
    // The samples, before any test changes the database; each command runs in this process.
    blocks = await samples.renderSamples({ demo: { url: database, dumpPath: dump }, run: (args, cwd, env) => cli(args, env, undefined, cwd) });
  }, 120_000);
  afterAll(async () => {
    if (!demo.ended()) demo.child.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  });

  it('prints where the database, the dump and the sample log are, and the on-call path as commands', () => {
    expect(database).toMatch(/^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres\?sslmode=disable$/);
    expect(existsSync(dump)).toBe(true);
    expect(readFileSync(log, 'utf8')).toContain('[TS_DEBUG] Exchange: binance');
    const stderr = demo.stderr();
    expect(stderr).toContain(`  bot log   ${log}   (written at UTC+4: --log-timezone Asia/Dubai)`);
    expect(stderr).toContain(`logs ${log} --log-timezone Asia/Dubai\n`);
    const order = ['doctor', 'diff --from-events\n', 'rescue --dump ', 'psql ', ' restore\n'].map((c) => stderr.indexOf(c));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // The table on stdout opens with what it shows.
    expect(demo.stdout()).toMatch(/^The 2025-10-26 incident on an embedded PostgreSQL: the bot holds 14 trailing\n/);
  });

  describe('the output samples of the docs', () => {
    it('are each shown once, where the list says, and no page shows a sample the list does not have', () => {
      expect(samples.SAMPLES.length).toBeLessThanOrEqual(8);
      for (const s of samples.SAMPLES)
        expect(
          samples.markedSamples(read(s.file)).filter((n) => n === s.name),
          `${s.file}: ${s.name}`,
        ).toHaveLength(1);
      const known = new Set(samples.SAMPLES.map((s) => s.name));
      for (const file of ['README.md', 'docs/commands.md', 'docs/formats.md', 'docs/configuration.md', 'docs/json-report.md', 'docs/ci.md', 'docs/bot.md']) {
        for (const name of samples.markedSamples(read(file))) expect(known.has(name), `${file}: ${name}`).toBe(true);
      }
    });

    it('match what ts-audit prints now, on the demo database', () => {
      const stale = samples.staleFiles(blocks);
      // The first differing line of each stale file, so that the failure says what changed.
      const first = stale.map(({ file, now, next }) => {
        const a = now.split('\n');
        const b = next.split('\n');
        const i = a.findIndex((line, n) => line !== b[n]);
        return `${file}:${i + 1}: shown "${a[i]}", printed "${b[i]}" (npm run docs:samples)`;
      });
      expect(first).toEqual([]);
    });

    it('fail on a stale sample: an exit code changed in the README is found', () => {
      const readme = read('README.md');
      // The exit code ends every sample and reads the same whatever the checks find: the mutation
      // cannot miss when the samples' text changes.
      const stale = readme.replace(/\$ echo \$\?\n(\d+)/, (_m, code: string) => `$ echo $?\n${Number(code) + 1}`);
      expect(stale).not.toBe(readme);
      const found = samples.staleFiles(blocks, (file) => (file === 'README.md' ? stale : read(file)));
      expect(found.map((f) => f.file)).toContain('README.md');
      expect(found.find((f) => f.file === 'README.md')?.next).toBe(readme);
    });

    it("normalise only the port, the run's own times and the durations doctor measures", () => {
      // A time the table wrapped after its date is still the run's own.
      expect(samples.normalise('dumped 2026-12-24\n  17:03:59 UTC', '1')).toBe('dumped 2026-12-01\n  09:00:00 UTC');
      const text =
        'postgresql://postgres@127.0.0.1:40123/postgres · snapshot 2026-12-24 17:03:59 UTC · "generatedAt": "2026-12-24T17:03:59.123Z" · opened 2025-10-26 13:05:54 · read-only snapshot in 312 ms · 1.7 ms for SELECT 1';
      expect(samples.normalise(text, '40123')).toBe(
        'postgresql://postgres@127.0.0.1:54321/postgres · snapshot 2026-12-01 09:00:00 UTC · "generatedAt": "2026-12-01T09:00:00.000Z" · opened 2025-10-26 13:05:54 · read-only snapshot in 40 ms · 0.5 ms for SELECT 1',
      );
    });
  });

  it('carries a journal as the real bot writes it: each session opens with bot_started, no positions_loaded', async () => {
    const events = await withClient(
      database,
      async (c) =>
        (await c.query<{ event_type: string; symbol: string | null }>('SELECT event_type, symbol FROM monitoring.events ORDER BY created_at, id')).rows,
    );
    expect(events[0]?.event_type).toBe('bot_started');
    expect(events.filter((e) => e.event_type === 'bot_started')).toHaveLength(2);
    expect(events.some((e) => e.event_type === 'positions_loaded')).toBe(false);
    const created = new Set(events.filter((e) => e.event_type === 'trailing_stop_created').map((e) => e.symbol));
    expect(created.size).toBe(14);
    // DOGUSDT's stop was restored by the second session's start-up, which leaves no event: it is created once.
    expect(events.filter((e) => e.event_type === 'trailing_stop_created' && e.symbol === 'DOGUSDT')).toHaveLength(1);
  });

  it('has lifecycle rows still at their open values while the journal shows the price past activation, and an open position with none', async () => {
    const rows = await withClient(
      database,
      async (c) =>
        (
          await c.query<{ symbol: string; peak: string | null; has_row: boolean; stale: boolean }>(`
          SELECT p.symbol, max((e.event_data->>'new_price')::numeric)::text AS peak, l.id IS NOT NULL AS has_row,
                 coalesce(l.max_price = l.entry_price AND NOT l.ts_activated
                   AND max((e.event_data->>'new_price')::numeric) >= l.entry_price * (1 + (l.strategy_params->>'base_activation')::numeric / 100), false) AS stale
          FROM monitoring.positions p
          LEFT JOIN monitoring.signal_lifecycles l ON (l.symbol, l.exchange) = (p.symbol, p.exchange)
          LEFT JOIN monitoring.events e ON e.event_type = 'position_updated' AND e.position_id = p.id
          WHERE p.status = 'active'
          GROUP BY p.symbol, l.id, l.max_price, l.entry_price, l.ts_activated, l.strategy_params
          ORDER BY p.symbol`)
        ).rows,
    );
    expect(rows.filter((r) => r.stale).map((r) => r.symbol)).toEqual(['DOGUSDT', 'SUIUSDT']);
    expect(rows.filter((r) => !r.has_row).map((r) => r.symbol)).toEqual(['ORDIUSDT']);
  });

  it('diff --from-events replays the journal to the 13 stops the table lacks, SUIUSDT activated', async () => {
    const r = await cli(['diff', '--from-events', '--db', database, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = json(r);
    const missing = report.findings.filter((f) => f.check === 'missing-in-db');
    expect(missing).toHaveLength(13);
    expect(missing.filter((f) => f.severity === 'critical').map((f) => f.symbol)).toEqual(['SUIUSDT']);
    expect(report.summary).toMatchObject({ stopsInMemory: 14, matched: 1 });
  });

  it('--as-of before SUIUSDT activated: the same 13 stops, none activated yet', async () => {
    const r = await cli(['diff', '--from-events', '--as-of', '2025-10-26T14:00:00Z', '--db', database, '--format', 'json']);
    expect(r.stderr).toBe('');
    const missing = json(r).findings.filter((f) => f.check === 'missing-in-db');
    expect(missing).toHaveLength(13);
    expect(missing.every((f) => f.severity === 'high')).toBe(true);
  });

  it('logs on the sample log: the failed saves of the 13 stops that never got a row, and the restart that restored DOGUSDT', async () => {
    const r = await cli(['logs', log, '--log-timezone', 'Asia/Dubai', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = json(r);
    expect(report.summary.restart).toMatchObject({ restored: 1, text: '1/1 stops restored at the last restart in the logs (100%)' });
    const failures = report.findings.filter((f) => f.check === 'save-failure');
    expect(failures.map((f) => f.symbol).sort()).toEqual([
      '10000ELONUSDT',
      '1000BONKUSDT',
      'AIOZUSDT',
      'CLOUDUSDT',
      'HIFIUSDT',
      'IDEXUSDT',
      'MASKUSDT',
      'ORDIUSDT',
      'PYRUSDT',
      'RADUSDT',
      'STGUSDT',
      'SUIUSDT',
      'ZRXUSDT',
    ]);
    expect(failures.every((f) => f.severity === 'critical')).toBe(true);
  });

  it("diff --dump-log reads memory from the sample log's [TS_DEBUG] lines", async () => {
    const r = await cli(['diff', '--dump-log', log, '--log-timezone', 'Asia/Dubai', '--db', database, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(json(r).findings.filter((f) => f.check === 'missing-in-db')).toHaveLength(13);
  });

  it('timeline shows the journal: SUIUSDT created in memory, activated and moved, with no row', async () => {
    const r = await cli(['timeline', 'SUIUSDT', '--db', database, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const kinds = (JSON.parse(r.stdout) as { symbols: { entries: { kind: string }[] }[] }).symbols[0]?.entries.map((e) => e.kind) ?? [];
    for (const kind of ['trailing_stop_created', 'trailing_stop_activated', 'trailing_stop_updated']) expect(kinds).toContain(kind);
    expect(kinds).not.toContain('row-created');
  });

  // Last but one: it changes the demo database, as a person following the printed path would.
  it.skipIf(!HAVE_PSQL)(
    `the printed repair path works: rescue from the dump, applied with psql, gives every stop row back; the lifecycles stay flagged${HAVE_PSQL ? '' : ` [skipped: no psql at ${PSQL}]`}`,
    async () => {
      const script = join(tmp, 'rescue.sql');
      const rescue = await cli(['rescue', '--db', database, '--dump', dump, '-o', script]);
      expect(rescue.code).toBe(0);
      expect(rescue.stderr).toMatch(/left out binance\/SUIUSDT: diff reports lifecycle-reset \(critical\)/);
      const applied = spawnSync(PSQL, ['-q', '-v', 'ON_ERROR_STOP=1', '-f', script, database], { encoding: 'utf8' });
      expect(applied.status, applied.stderr).toBe(0);
      const restore = json(await cli(['restore', '--db', database, '--format', 'json']));
      expect((restore.summary.restart as { text: string }).text).toMatch(
        /^\d+\/14 open positions would get their stop back \(\d+%\): 14\/14 stop rows restored, but \d+ lifecycle exits reset/,
      );
    },
  );

  it('on Ctrl-C says it stopped and cleaned up, exits 0, and leaves no folder behind', async () => {
    demo.child.kill('SIGINT');
    expect(await demo.exited).toBe(0);
    expect(demo.stderr()).toMatch(/\nts-audit: demo stopped; its database and temporary files are removed\.\n$/);
    expect(existsSync(dirname(dump))).toBe(false);
  });
});
