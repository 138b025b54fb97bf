// Spawns the built bin/ts-audit.js as a user would and checks stdout, stderr and the exit code: where a report goes, log forensics
// under another process zone, and the incident report written to a file.
import { readFileSync, writeFileSync } from 'node:fs';
import { json, requireBuild } from '../support/report.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioDb, createScenario, fixture, useScenario } from '../support/db.js';
import { writeDump } from '../support/dumps.js';
import { expectOneLineError, run } from '../support/cli.js';
import { writeIncidentLogs } from '../support/logs.js';

requireBuild();

// What each format writes is unit-tested from saved reports (test/unit/reporters.test.ts); here, what
// only the process shows: the exit code, stdout or -o, and GITHUB_STEP_SUMMARY.
describe('where a report goes', () => {
  const db = useScenario('tz', fixture('failure-modes.sql'));

  it('markdown on stdout, and the same Markdown appended to GITHUB_STEP_SUMMARY after what earlier steps wrote', async () => {
    const summary = `${writeDump('')}.summary.md`;
    writeFileSync(summary, '# earlier step\n');
    const r = await run(['restore', '--db', db.url, '--format', 'markdown'], { GITHUB_STEP_SUMMARY: summary });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^## ts-audit restore\n/);
    expect(r.stdout).toContain('- **Restart:** 16/18 open positions would get their stop back (88%)');
    expect(readFileSync(summary, 'utf8')).toBe(`# earlier step\n${r.stdout}`);
    expect(r.stdout).not.toContain(new URL(db.url).password);
  });

  it('-o: the report in the file, nothing on stdout, the file named on stderr with --verbose, and the exit code of its findings', async () => {
    const file = `${writeDump('')}.report.json`;
    const r = await run(['check', '--db', db.url, '--format', 'json', '-o', file, '--verbose']);
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
    expectOneLineError(await run(['logs', '/nonexistent/bot.log']), 2, /cannot read log \/nonexistent\/bot\.log: no such file/);
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

  it('writes the incident report: summary, causes with their evidence, tables, a gantt chart, the queries', async () => {
    const { files } = writeIncidentLogs();
    const out = `${writeDump('')}.incident.md`;
    // --appendix: the queries are an option since the report's SQL was most of its length.
    const r = await run([
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
    expect(md.startsWith('# TS restoration, 2025-10-26\n')).toBe(true);
    for (const h of [
      '## Executive summary',
      '## Suspected causes',
      '## Recommended actions',
      '### Position opened vs stop row created',
      '### Timeline',
      '### Entry-price mismatches',
      '### What a restart would do',
      '### Log forensics',
      '## Appendix: queries',
    ]) {
      expect(md).toContain(h);
    }
    // The first cause, and the evidence the issue asks for: the burst, and save failures before it in the logs.
    expect(md).toMatch(
      /1\. \*\*Stops were recreated at a restart, not saved when their positions opened\*\*\n {3}- 13 stop rows were created within one minute \(2025-10-26 16:30 UTC\), 3h 24m to 4h after/,
    );
    expect(md).toMatch(/ {3}- The logs show 13 symbols whose saves failed before it \(first at 2025-10-26 13:00:10 UTC\)\./);
    expect(md).toMatch(/ {3}- The logs show a restart at 2025-10-26 16:30:34 UTC that created 13 stops anew\./);
    // Timestamps in UTC and in the display zone, like the investigation's table.
    // Exchange before symbol, as in the terminal tables; every time column named with its zone.
    expect(md).toContain(
      '| Exchange | Symbol | Position opened (UTC) | Position opened (Asia/Dubai) | Stop row created (UTC) | Stop row created (Asia/Dubai) | Lag |',
    );
    expect(md).toContain('| bybit | RADUSDT | 2025-10-26 13:05:54 | 2025-10-26 17:05:54 | 2025-10-26 16:30:34 | 2025-10-26 20:30:34 | 3h 24m (late) |');
    expect(md).toContain('| Restart (UTC) | As logged (Asia/Dubai) |');
    // A gantt block Mermaid can read: one section per symbol, the late ones marked crit.
    const gantt = /```mermaid\ngantt\n([\s\S]*?)```/.exec(md)?.[1] ?? '';
    expect(gantt).toContain('dateFormat YYYY-MM-DDTHH:mm:ss');
    expect(gantt.match(/^ {2}section /gm)).toHaveLength(15); // 14 positions and the events
    expect(gantt).toContain('  section bybit/RADUSDT\n  open without a row :crit, ');
    // The restart and the snapshot are marked; the 2-second bar of DOGUSDT is drawn long enough to see, and says 2s.
    expect(gantt).toMatch(/^ {2}restart :milestone, e\d+, 2025-10-26T16:30:34, 0m$/m);
    expect(gantt).toMatch(/^ {2}section binance\/DOGUSDT\n {2}open without a row \(2s\) :p\d+, 2025-10-26T09:05:12, 2025-10-26T09:\d\d:\d\d$/m);
    // Every bar ends at a real moment: a row created, a restart, the dump or the snapshot.
    for (const task of gantt.split('\n').filter((l) => /^ {2}[^ ].*:/.test(l) && !l.includes('section') && !l.includes('title') && !l.includes('Format'))) {
      expect(task).toMatch(/^ {2}[^:#]+ :(crit, |milestone, |done, )?[a-z]\d+, \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d, (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d|0m)$/);
    }
    // The appendix reproduces the run: each query with its parameters and the snapshot time.
    expect(md).toMatch(
      /### late-persisted \(14 rows, [\d.]+ ms\)\n\n(- `\$\d` = .*\n)*- `\$\d` = `:open_statuses` = `\["active","pending_entry","entry_placed","pending_sl"\]`/,
    );
    // Each query once: the commands of the report share the snapshot and its answers.
    const appendix = md.slice(md.indexOf('## Appendix: queries'));
    const names = [...appendix.matchAll(/^### ([a-z-]+) \(/gm)].map((m) => m[1]);
    expect(names.length).toBe(new Set(names).size);
    expect(names).toContain('restore');
    expect(md).toMatch(/Every query below ran in one read-only, repeatable-read snapshot taken at \d{4}-/);
    expect(md).not.toContain(new URL(db.url).password);
  });

  it('--format json has the envelope of every report; --baseline suppresses there too', async () => {
    const r = await run(['report', '--db', db.url, '--format', 'json', '--no-color']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ tool: 'ts-audit', reportVersion: 1, command: 'report' });
    expect(Date.parse(doc.generatedAt)).toBeGreaterThanOrEqual(Date.parse(doc.database.snapshotAt));
    expect(doc.findings.length).toBeGreaterThan(0);
    const dir = writeDump('');
    const baseline = `${dir}.baseline.json`;
    expect((await run(['check', '--db', db.url, '--write-baseline', baseline, '--fail-on', 'none'])).code).toBe(0);
    const quiet = await run(['report', '--db', db.url, '--format', 'json', '--baseline', baseline]);
    expect(quiet.code).toBe(0);
    expect(JSON.parse(quiet.stdout).main.summary.suppressed.baseline).toBeGreaterThan(0);
  });
});
