// Baselines and allowlists act before any reporter, so every command and format honours them: the
// configured allowlist leaves its finding out of watch's metrics and output and of the incident report.
// watch is spawned: it runs until a signal stops it, which only a process of its own can take.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../support/cli.js';
import { cli } from '../support/in-process.js';
import { type ScenarioDb, createScenario, fixture } from '../support/db.js';

describe('the allowlist in every command', () => {
  let db: ScenarioDb;
  let dir: string;
  beforeAll(async () => {
    db = await createScenario('tz', fixture('failure-modes.sql'));
    dir = mkdtempSync(join(tmpdir(), 'ts-audit-allow-'));
    writeFileSync(
      join(dir, 'ts-audit.config.json'),
      JSON.stringify({ allowlist: [{ check: 'orphaned-stop', symbol: 'ORPHANUSDT', reason: 'kept for the audit trail', expires: '2099-12-31' }] }),
    );
  });
  afterAll(async () => db?.drop());

  it('report leaves the allowlisted finding out', async () => {
    const without = await cli(['report', '--db', db.url, '--fail-on', 'none'], {}, undefined, dir);
    expect(without.stderr).toBe('');
    expect(without.stdout).not.toMatch(/`orphaned-stop` \| binance \| ORPHANUSDT/);
    const plain = await cli(['report', '--db', db.url, '--fail-on', 'none']);
    expect(plain.stdout).toMatch(/`orphaned-stop` \| binance \| ORPHANUSDT/);
  });

  it('watch leaves it out of its output and its metrics', async () => {
    const metrics = join(dir, 'ts_audit.prom');
    const watch = start(['watch', '--db', db.url, '--interval', '1s', '--listen', 'off', '--metrics-file', metrics], {}, dir);
    const deadline = Date.now() + 15_000;
    while (!watch.stdout().includes('findings:') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    watch.child.kill('SIGTERM');
    await watch.exited;
    expect(watch.stdout()).toContain('findings:');
    expect(watch.stdout()).toContain('side-mismatch');
    expect(watch.stdout()).not.toContain('ORPHANUSDT');
    expect(readFileSync(metrics, 'utf8')).toMatch(/ts_audit_findings\{command="check",check="orphaned-stop",severity="medium"\} 0/);
  });
});
