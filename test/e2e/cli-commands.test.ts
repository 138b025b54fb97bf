// ts-audit as a user runs it, checking stdout, stderr and the exit code: the investigation commands, explain, queries and the demo. The commands run in this process (support/in-process.ts); the demo, which starts a server of its own and handles its signals, is spawned.
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateReport, json, requireBuild, tableFindings } from '../support/report.js';
import { describe, expect, it } from 'vitest';
import { fixture, useScenario } from '../support/db.js';
import { stopsDump } from '../support/dumps.js';
import { ROOT, expectOneLineError, run } from '../support/cli.js';
import { cli } from '../support/in-process.js';

requireBuild();

describe('the investigation commands', () => {
  const db = useScenario('naive', fixture('failure-modes.sql'));

  it.each([
    ['timestamps', 0, 'late-persisted'],
    ['entry-mismatch', 1, 'entry-price-mismatch'],
    ['orphans', 1, 'orphaned-stop'],
    ['recreated', 0, 'recreated-position'],
    ['restore', 1, 'restore-loss'],
    ['check', 1, 'side-mismatch'],
  ])('%s exits %i and reports %s in a schema-valid report', async (command, code, check) => {
    const r = await cli([command, '--db', db.url, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(code);
    const report = json(r);
    expect(report.findings.some((f) => f.check === check)).toBe(true);
  });

  it('restore prints the simulation and its rate', async () => {
    const r = await cli(['restore', '--db', db.url, '--width', '200']);
    expect(r.stdout).toContain('Restart: 16/18 open positions would get their stop back (88%)');
    expect(r.stdout).toMatch(/SIDEBADUSDT.*deleted-and-recreated.*row side 'short' differs from position side 'long'/);
  });

  it('timestamps shows UTC and the display zone, and calls out the burst', async () => {
    const r = await cli(['timestamps', '--db', db.url, '--display-timezone', 'Asia/Dubai', '--width', '160']);
    expect(r.stdout).toMatch(/LATECUSDT\s+2025-10-26 12:49:54 {2}2025-10-26 16:49:54 {2}2025-10-26 16:30:34 {2}2025-10-26 20:30:34\s+3h 40m/);
    // At 80 columns the UTC columns make way for the display zone's, and the table says so.
    const narrow = await cli(['timestamps', '--db', db.url, '--display-timezone', 'Asia/Dubai']);
    expect(narrow.stdout).toMatch(/LATECUSDT\s+2025-10-26 16:49:54 {2}2025-10-26 20:30:34\s+3h 40m/);
    expect(narrow.stdout.replace(/\n {2}/g, ' ')).toContain('(opened (UTC), row created (UTC) left out to fit 80 columns: --width shows more)');
    expect(r.stdout).toContain('Burst: 3 stop rows were created within one minute (2025-10-26 16:30 UTC)');
    expectOneLineError(await cli(['timestamps', '--db', db.url, '--display-timezone', 'Mars/Base']), 2, /unknown time zone "Mars\/Base"/);
  });

  it('check runs only the named checks, and refuses unknown ones', async () => {
    const r = await cli(['check', 'side-mismatch,stale-stop', '--db', db.url, '--format', 'json']);
    expect(new Set(json(r).findings.map((f) => f.check))).toEqual(new Set(['side-mismatch', 'stale-stop']));
    expectOneLineError(await cli(['check', 'no-such-check', '--db', db.url]), 2, /unknown check "no-such-check"/);
    expectOneLineError(
      await cli(['check', 'missing-in-db', '--db', db.url]),
      2,
      /"missing-in-db" is not a database check: it needs a state dump \(`ts-audit diff`\)/,
    );
  });

  it('a baseline written today lets CI fail only on new findings', async () => {
    const dir = mkdtempSync(`${tmpdir()}/ts-audit-baseline-`);
    const written = await cli(['check', '--db', db.url, '--write-baseline', `${dir}/baseline.json`]);
    expect(written.code).toBe(1);
    expect(written.stderr).toMatch(/^ts-audit: baseline of 28 findings written to /);
    const again = await cli(['check', '--db', db.url, '--baseline', `${dir}/baseline.json`, '--format', 'json']);
    expect(again.code).toBe(0);
    expect(json(again).summary).toMatchObject({ suppressed: { baseline: 28, allowlist: 0 }, bySeverity: { critical: 0, high: 0 } });
  });

  it('takes settings from ts-audit.config.json, under environment and flags', async () => {
    const dir = mkdtempSync(`${tmpdir()}/ts-audit-config-`);
    writeFileSync(
      `${dir}/ts-audit.config.json`,
      JSON.stringify({
        database: { url: db.url },
        failOn: 'critical',
        disabled: ['side-mismatch'],
        severity: { 'stale-stop': 'high' },
        allowlist: [{ check: 'orphaned-stop', symbol: 'ORPHANUSDT', reason: 'kept on purpose' }],
      }),
    );
    const fromFile = await cli(['check', '--format', 'json'], {}, undefined, dir);
    const report = json(fromFile);
    expect(fromFile.code).toBe(0); // failOn critical from the file, and side-mismatch (the only critical) disabled
    expect(report.findings.some((f) => f.check === 'side-mismatch' || f.check === 'orphaned-stop')).toBe(false);
    expect(report.findings.find((f) => f.check === 'stale-stop')?.severity).toBe('high');
    expect((await cli(['check', '--fail-on', 'high'], {}, undefined, dir)).code).toBe(1); // a flag beats the file
    expect((await cli(['check'], { TS_AUDIT_FAIL_ON: 'high' }, undefined, dir)).code).toBe(1); // so does the environment
    writeFileSync(`${dir}/bad.json`, JSON.stringify({ failOn: 'sometimes', thresholds: { lateAfter: 'later' } }));
    expectOneLineError(
      await cli(['check', '--config', `${dir}/bad.json`], {}, undefined, dir),
      2,
      /bad\.json: 2 problems: (?=.*thresholds\.lateAfter: expected a duration)(?=.*failOn: expected one of)/,
    );
  });

  it('queries --show reads naive columns from the database it is given', async () => {
    const r = await cli(['queries', '--show', 'recreated-position', '--db', db.url]);
    expect(r.stdout).toContain('("created_at" AT TIME ZONE $');
    expect(r.stdout).toMatch(/^-- \$\d+ = :zone = "Europe\/Moscow"$/m);
    expect(r.stdout).not.toContain('Rendered without a database');
  });

  it('diff --all adds every database check to the diff', async () => {
    const dump = stopsDump([{ exchange: 'binance', symbol: 'NOROWUSDT', state: 'active', is_activated: true, side: 'long' }]);
    const r = await cli(['diff', '--all', '--db', db.url, '--dump', dump, '--format', 'json']);
    const checks = new Set(json(r).findings.map((f) => f.check));
    for (const c of ['missing-in-db', 'missing-in-memory', 'side-mismatch', 'late-persisted', 'orphaned-stop']) expect(checks).toContain(c);
    // Activated in memory and not restorable: critical.
    expect(json(r).findings.find((f) => f.check === 'restore-loss' && f.symbol === 'NOROWUSDT')?.severity).toBe('critical');
  });
});

describe('explain and queries', () => {
  it('explains a check with its failure mode and query, and ends with the link to its page', async () => {
    const r = await cli(['explain', 'entry-price-mismatch']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Failure mode:');
    expect(r.stdout).toContain('Query (queries/entry-price-mismatch.sql):');
    expect(r.stdout).toContain('caught_by_cleanup_rule');
    expect(r.stdout).toMatch(/\nDocumentation: docs\/checks\/entry-price-mismatch\.md \(in the repository and the package\)\n$/);
    expect(existsSync(`${ROOT}docs/checks/entry-price-mismatch.md`)).toBe(true);
    expect(JSON.parse((await cli(['explain', 'entry-price-mismatch', '--format', 'json'])).stdout).docs).toBe('docs/checks/entry-price-mismatch.md');
    expectOneLineError(await cli(['explain', 'nope']), 2, /unknown check "nope"/);
  });

  it('lists the queries and shows one as it runs', async () => {
    const list = await cli(['queries']);
    expect(list.stdout).toMatch(/^late-persisted\s+when each open position opened/m);
    const shown = await cli(['queries', '--show', 'unprotected-position']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('FROM "monitoring"."positions"');
    expect(shown.stdout).toMatch(/^-- \$1 = :open_statuses = \["active","pending_entry","entry_placed","pending_sl"\]$/m);
  });
});

describe('ts-audit demo', () => {
  it('shows the incident on an embedded database, says it is starting, exits as diff would, and leaves nothing behind', async () => {
    // A temporary folder of its own (never the machine's, which other runs share); open to the user
    // "postgres", who runs the server when this is root.
    const tmp = mkdtempSync(join(tmpdir(), 'ts-audit-demo-test-'));
    chmodSync(tmp, 0o755);
    try {
      const r = await run(['demo'], { TMPDIR: tmp });
      expect(r.stderr.trimEnd().split('\n')).toEqual([
        'ts-audit: starting an embedded PostgreSQL 15 for the demo…',
        expect.stringMatching(/^ts-audit: loading the 2025-10-26 incident \(PostgreSQL up in \d+\.\d s\)…$/),
      ]);
      expect(r.code).toBe(1);
      // One sentence of what it shows first; last, that exit 1 is expected and what to try next.
      expect(r.stdout).toMatch(/^The 2025-10-26 incident on an embedded PostgreSQL: [^\n]+\n[^\n]+\n[^\n]+\.\n\n/);
      expect(r.stdout).toMatch(/\nExit 1 is expected: [\s\S]+\n {2}\S.* demo --keep\n$/);
      // One stop row survives a restart, but the demo's lifecycles (the current bot's exit) would be reset.
      expect(r.stdout).toContain('Restart: 0/14 open positions would get their stop back (0%): 1/14 stop rows');
      expect(tableFindings(r.stdout).filter((f) => f.check === 'missing-in-db')).toHaveLength(13);
      // The dump's folder and the server's data folder are gone (a copy of the binaries may stay).
      expect(readdirSync(tmp).filter((d) => !d.startsWith('ts-audit-postgres-'))).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('gives both reports as JSON', async () => {
    const r = await run(['demo', '--format', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    const { diff, restore } = doc;
    // The same envelope as every report.
    expect(doc).toMatchObject({ tool: 'ts-audit', version: diff.version, reportVersion: 1, command: 'demo' });
    for (const report of [diff, restore]) expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    // Made after its snapshot.
    for (const report of [diff, restore]) expect(Date.parse(report.generatedAt)).toBeGreaterThanOrEqual(Date.parse(report.database.snapshotAt));
    expect(diff.summary).toMatchObject({ openPositions: 14, stopsInDb: 2, stopsInMemory: 14, matched: 1 });
    expect(restore.summary.restart.text).toBe(
      '0/14 open positions would get their stop back (0%): 1/14 stop rows restored, but 2 lifecycle exits reset (peak and latch), 1 position with no lifecycle (no trailing exit)',
    );
  });
});
