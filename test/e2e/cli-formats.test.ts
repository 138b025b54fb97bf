// Spawns the built bin/ts-audit.js as a user would and checks stdout, stderr and the exit code: output formats, log forensics and the incident report.
import { readFileSync, writeFileSync } from 'node:fs';
import { json, requireBuild } from '../support/report.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioDb, createScenario, fixture, useScenario } from '../support/db.js';
import { stopsDump, writeDump } from '../support/dumps.js';
import { expectOneLineError, run } from '../support/cli.js';
import { LOST, writeIncidentLogs } from '../support/logs.js';

requireBuild();

describe('output formats', () => {
  const db = useScenario('tz', fixture('failure-modes.sql'));

  it('junit: one test case per finding, a passing case per check that found nothing, parseable XML', async () => {
    const { XMLParser, XMLValidator } = await import('fast-xml-parser');
    const r = await run(['check', '--db', db.url, '--format', 'junit', '--fail-on', 'high']);
    const report = json(await run(['check', '--db', db.url, '--format', 'json', '--fail-on', 'none']));
    expect(r.code).toBe(1);
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['testcase', 'failure'].includes(name) }).parse(r.stdout);
    const suite = doc.testsuites.testsuite;
    const cases = suite.testcase as { '@_name': string; '@_classname': string; failure?: { '@_type': string }[]; 'system-out'?: string }[];
    expect(cases).toHaveLength(Number(suite['@_tests']));
    const findings = report.findings as unknown as { check: string; exchange: string; symbol: string; severity: string }[];
    const clean = Object.entries(report.summary.byCheck)
      .filter(([, n]) => n === 0)
      .map(([c]) => c);
    expect(clean.length).toBeGreaterThan(0);
    expect(cases).toHaveLength(findings.length + clean.length + report.skipped.length);
    // One case per finding, named by check, exchange and symbol.
    for (const f of findings) expect(cases.map((c) => c['@_name'])).toContain(`${f.check} ${f.exchange}/${f.symbol}`);
    for (const c of clean) expect(cases.find((x) => x['@_name'] === c)?.failure).toBeUndefined();
    const named = (name: string) => cases.filter((c) => c['@_name'].startsWith(`${name} `));
    expect(named('invalid-stop-row').filter((c) => c.failure)).toHaveLength(6);
    expect(named('side-mismatch')[0]?.failure?.[0]?.['@_type']).toBe('critical');
    // Medium, below --fail-on high: passing, with the finding in its output.
    const late = named('late-persisted').find((c) => c['@_name'].includes('LATEAUSDT'));
    expect(late?.failure).toBeUndefined();
    expect(late?.['system-out']).toContain('LATEAUSDT');
    expect(Number(suite['@_failures'])).toBe(cases.filter((c) => c.failure).length);
    expect(Number(suite['@_failures'])).toBe(findings.filter((f) => ['critical', 'high'].includes(f.severity)).length);
  });

  it('compact: one greppable line per finding, then what was not checked and the counts', async () => {
    const r = await run(['check', '--db', db.url, '--format', 'compact', '--fail-on', 'none']);
    const report = json(await run(['check', '--db', db.url, '--format', 'json', '--fail-on', 'none']));
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const findings = report.findings as unknown as { check: string; exchange: string; symbol: string; severity: string; message: string }[];
    expect(lines.slice(0, findings.length)).toEqual(findings.map((f) => `${f.severity} ${f.check} ${f.exchange}/${f.symbol}: ${f.message}`));
    expect(lines.at(-1)).toMatch(new RegExp(`^${findings.length} findings \\(\\d+ critical, \\d+ high, `));
  });

  it('github: one workflow command per finding, errors for high and above, properties escaped', async () => {
    const dump = stopsDump([{ exchange: 'binance', symbol: 'NO,ROW:USDT', state: 'waiting' }]);
    const r = await run(['diff', '--db', db.url, '--dump', dump, '--format', 'github']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(/^::(error|warning|notice) title=[^:\n]*::[^\n]+$/);
    expect(lines).toContain(
      '::error title=ts-audit missing-in-db binance/NO%2CROW%3AUSDT::HIGH: stop exists only in memory: a restart recreates it from scratch',
    );
    expect(lines.at(-1)).toMatch(/^::notice title=ts-audit diff::\d+ findings? \(/);
  });

  it('sarif: valid SARIF 2.1.0 with a rule per check that ran and a result per finding', async () => {
    const schemaFile = new URL('../../node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json', import.meta.url);
    const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
    // The OASIS schema is draft-04 and its patterns are not unicode-mode regular expressions.
    delete schema.$schema;
    delete schema.id;
    const { Ajv } = await import('ajv');
    const validate = new Ajv({ strict: false, allErrors: true, validateSchema: false, validateFormats: false, unicodeRegExp: false }).compile(schema);
    const r = await run(['check', '--db', db.url, '--format', 'sarif', '--fail-on', 'none']);
    const report = json(await run(['check', '--db', db.url, '--format', 'json', '--fail-on', 'none']));
    const sarif = JSON.parse(r.stdout);
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false); // the schema does bite
    const [run0] = sarif.runs;
    expect(run0.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(Object.keys(report.summary.byCheck));
    expect(run0.results).toHaveLength(report.findings.length);
    const side = run0.results.find((x: { ruleId: string }) => x.ruleId === 'side-mismatch');
    expect(side.level).toBe('error');
    expect(run0.tool.driver.rules[side.ruleIndex].id).toBe('side-mismatch');
    expect(side.locations[0].logicalLocations[0].fullyQualifiedName).toMatch(/^[a-z]+\/[A-Z0-9]+$/);
  });

  it('prometheus: valid text exposition with the documented series', async () => {
    const r = await run([
      'diff',
      '--db',
      db.url,
      '--dump',
      stopsDump([{ exchange: 'binance', symbol: 'NOROWUSDT', state: 'waiting' }]),
      '--format',
      'prometheus',
    ]);
    const names = new Set<string>();
    let typed = '';
    for (const line of r.stdout.trimEnd().split('\n')) {
      if (line.startsWith('# HELP ')) continue;
      const type = /^# TYPE ([a-z_]+) gauge$/.exec(line);
      if (type) {
        typed = type[1] ?? '';
        continue;
      }
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|NaN)$/.exec(line);
      expect(m, line).not.toBeNull();
      expect(m?.[1]).toBe(typed); // every sample follows its own TYPE line
      names.add(m?.[1] ?? '');
    }
    for (const n of [
      'ts_audit_findings',
      'ts_audit_stops_in_memory',
      'ts_audit_stops_in_db',
      'ts_audit_open_positions',
      'ts_audit_memory_db_mismatch',
      'ts_audit_restoration_ratio',
      'ts_audit_last_run_timestamp_seconds',
      'ts_audit_run_duration_seconds',
    ]) {
      expect(names).toContain(n);
    }
    expect(r.stdout).toContain('ts_audit_findings{command="diff",check="missing-in-db",severity="high"} 1');
    expect(r.stdout).toContain('ts_audit_stops_in_memory{command="diff"} 1');
  });

  it('markdown, and a summary appended to GITHUB_STEP_SUMMARY', async () => {
    const summary = `${writeDump('')}.summary.md`;
    writeFileSync(summary, '# earlier step\n');
    const r = await run(['restore', '--db', db.url, '--format', 'markdown'], { GITHUB_STEP_SUMMARY: summary });
    expect(r.stdout).toMatch(/^## ts-audit restore$/m);
    expect(r.stdout).toContain('- **Restart:** 16/18 open positions would get their stop back (88%)');
    expect(r.stdout).toMatch(/^\| high \| `restore-loss` \| bybit \| SIDEBADUSDT \| 4 \| /m);
    const appended = readFileSync(summary, 'utf8');
    expect(appended.startsWith('# earlier step\n## ts-audit restore')).toBe(true);
    expect(appended).not.toContain(new URL(db.url).password);
  });
});

describe('log forensics', () => {
  const db = useScenario('naive', fixture('incident.sql'));

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
    const table = await run(['logs', ...files, '--log-timezone', 'Asia/Dubai', '--width', '120']);
    expect(table.stdout).toMatch(/2025-10-26 16:30:34 UTC {2}2025-10-26 20:30:34,500\s+1\s+13/);
    expectOneLineError(await run(['logs', '/nonexistent/bot.log']), 2, /cannot read log \/nonexistent\/bot\.log: no such file/);
  });

  it('diff --dump-log takes memory from the latest [TS_DEBUG] lines', async () => {
    const { files } = writeIncidentLogs();
    const r = await run(['diff', '--db', db.url, '--dump-log', ...files, '--log-timezone', 'Asia/Dubai', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = json(r);
    expect(report.findings.map((f) => f.symbol).sort()).toEqual(LOST);
    expect(new Set(report.findings.map((f) => `${f.check} ${f.severity}`))).toEqual(new Set(['missing-in-db high']));
    expect(report.dump).toMatchObject({ format: 'ts-debug-log', stops: 14, dumpedAt: '2025-10-26T16:29:50.001Z' });
    expect(report.summary.byCheck).toEqual({ 'missing-in-db': 13, 'missing-in-memory': 0, 'untrailed-position': 0 });
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

  it('--format json has the envelope of every report; --baseline suppresses there too; Markdown of timestamps and restore keeps their tables', async () => {
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
    const timestamps = await run(['timestamps', '--db', db.url, '--format', 'markdown', '--display-timezone', 'Asia/Dubai']);
    expect(timestamps.stdout).toContain('### Position opened vs stop row created');
    expect(timestamps.stdout).toMatch(
      /\| bybit \| RADUSDT \| #\d+ \| 2025-10-26 13:05:54 \| 2025-10-26 17:05:54 \| 2025-10-26 16:30:34 \| 2025-10-26 20:30:34 \| 3h 24m \(late\) \|/,
    );
    const restore = await run(['restore', '--db', db.url, '--format', 'markdown']);
    expect(restore.stdout).toContain('| Exchange | Symbol | Position | On restart | Why |');
    expect(restore.stdout).toMatch(/\| bybit \| RADUSDT \| #\d+ \| (restored|\*\*[a-z-]+\*\*) \| /);
  });
});
