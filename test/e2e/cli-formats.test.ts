// Where a report goes, log forensics under another process zone, and the incident report written to a
// file, checking stdout, stderr and the exit code. They run in this process (cli(),
// support/in-process.ts: the same main(), a clean environment, stdout and stderr captured) but the
// log forensics, spawned (run()): the process's own zone is what it holds, set before the process starts.
import { readFileSync, writeFileSync } from 'node:fs';
import { json, requireBuild } from '../support/report.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioDb, createScenario, fixture, useScenario } from '../support/db.js';
import { writeDump } from '../support/dumps.js';
import { expectOneLineError, run } from '../support/cli.js';
import { cli } from '../support/in-process.js';
import { writeIncidentLogs } from '../support/logs.js';

requireBuild();

// What each format writes is unit-tested from saved reports (test/unit/reporters.test.ts); here, where
// the report goes: stdout or -o, GITHUB_STEP_SUMMARY, and the exit code with it.
describe('where a report goes', () => {
  const db = useScenario('tz', fixture('failure-modes.sql'));

  it('markdown on stdout, and the same Markdown appended to GITHUB_STEP_SUMMARY after what earlier steps wrote', async () => {
    const summary = `${writeDump('')}.summary.md`;
    writeFileSync(summary, '# earlier step\n');
    const r = await cli(['restore', '--db', db.url, '--format', 'markdown'], { GITHUB_STEP_SUMMARY: summary });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^## ts-audit restore\n/);
    expect(r.stdout).toContain('- **Restart:** 16/18 open positions would get their stop back (88%)');
    expect(readFileSync(summary, 'utf8')).toBe(`# earlier step\n${r.stdout}`);
    expect(r.stdout).not.toContain(new URL(db.url).password);
  });

  it('-o: the report in the file, nothing on stdout, the file named on stderr with --verbose, and the exit code of its findings', async () => {
    const file = `${writeDump('')}.report.json`;
    const r = await cli(['check', '--db', db.url, '--format', 'json', '-o', file, '--verbose']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.endsWith(`ts-audit: report written to ${file}\n`)).toBe(true);
    const report = json({ ...r, stdout: readFileSync(file, 'utf8') });
    expect(report.findings.some((f) => f.check === 'side-mismatch' && f.severity === 'critical')).toBe(true);
  });
});

describe('log forensics', () => {
  it('logs: restarts, save failures and what a restart lost, from rotated and gzipped files', async () => {
    const { files } = writeIncidentLogs();
    const r = await run(['logs', ...files, '--log-timezone', 'Asia/Dubai', '--format', 'json'], { TZ: 'America/New_York' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = json(r);
    expect(report.summary.byCheck).toEqual({
      'creation-failure': 0,
      'delete-failure': 0,
      'journal-loss': 0,
      'lifecycle-activation-lost': 0,
      'lifecycle-persist-failure': 0,
      'lost-at-restart': 13,
      'save-failure': 13,
    });
    expect(report.findings.filter((f) => f.severity === 'critical')).toHaveLength(13);
    expect(report.findings.find((f) => f.check === 'save-failure' && f.symbol === 'RADUSDT')).toMatchObject({ exchange: 'bybit' });
    expect(report.summary.restart?.text).toBe('1/14 stops restored at the last restart in the logs (7%)');
    expect(report.details?.logs?.restarts.map((x) => x.at)).toEqual(['2025-10-26T09:05:02.001Z', '2025-10-26T16:30:34.500Z']);
    expectOneLineError(await cli(['logs', '/nonexistent/bot.log']), 2, /cannot read log \/nonexistent\/bot\.log: no such file/);
  });
});

describe('ts-audit report', () => {
  let db: ScenarioDb;
  beforeAll(async () => {
    // The incident after its restart: the 13 lost stops recreated at 16:30:34 UTC, hours after their positions.
    const recreated = `INSERT INTO monitoring.trailing_stop_state (symbol, exchange, position_id, state, is_activated, highest_price, lowest_price,
        entry_price, side, quantity, created_at)
      SELECT p.symbol, p.exchange, p.id, 'inactive', false, 999999, 999999, p.entry_price, p.side, p.quantity, timestamptz '2025-10-26 16:30:34.9+00'
      FROM monitoring.positions p WHERE p.status = 'active' AND p.symbol <> 'DOGUSDT'`;
    db = await createScenario('naive', fixture('incident.sql'), recreated);
  });
  afterAll(async () => db?.drop());

  it('writes the incident report to the file -o names, and says so on stderr', async () => {
    const { files } = writeIncidentLogs();
    const out = `${writeDump('')}.incident.md`;
    // --appendix: the queries are an option since the report's SQL was most of its length.
    const r = await cli([
      'report',
      '--db',
      db.url,
      '--log',
      ...files,
      '--log-timezone',
      'Asia/Dubai',
      '--display-timezone',
      'Asia/Dubai',
      '--title',
      'TS restoration, 2025-10-26',
      '--appendix',
      '-o',
      out,
    ]);
    expect(r.stderr).toBe(`ts-audit: incident report written to ${out}\n`);
    expect(r.code).toBe(1);
    const md = readFileSync(out, 'utf8');
    // What the report holds is tested from saved reports (test/unit/incident-report.test.ts); here, that
    // the file is the whole report of this run, and keeps no secret of the URL.
    expect(md.startsWith('# TS restoration, 2025-10-26\n')).toBe(true);
    expect(md).toContain('\n### Log forensics\n');
    expect(md).toContain('## Appendix: queries');
    expect(md.trimEnd().endsWith('```')).toBe(true);
    expect(md).not.toContain(new URL(db.url).password);
  });

  it('--format json has the envelope of every report; --baseline suppresses there too', async () => {
    const r = await cli(['report', '--db', db.url, '--format', 'json', '--no-color']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ tool: 'ts-audit', reportVersion: 1, command: 'report' });
    expect(Date.parse(doc.generatedAt)).toBeGreaterThanOrEqual(Date.parse(doc.database.snapshotAt));
    expect(doc.findings.length).toBeGreaterThan(0);
    const dir = writeDump('');
    const baseline = `${dir}.baseline.json`;
    expect((await cli(['check', '--db', db.url, '--write-baseline', baseline, '--fail-on', 'none'])).code).toBe(0);
    const quiet = await cli(['report', '--db', db.url, '--format', 'json', '--baseline', baseline]);
    expect(quiet.code).toBe(0);
    expect(JSON.parse(quiet.stdout).main.summary.suppressed.baseline).toBeGreaterThan(0);
  });
});
