// Output that fits: the table keeps the worst --max-rows findings and says what it left out; ndjson
// gives every finding, one per line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUMP_SPILL_AT } from '../../src/report/findings.js';
import { run } from '../support/cli.js';
import { tableFindings } from '../support/report.js';
import { type ScenarioDb, createScenario, fixture } from '../support/db.js';

describe('large reports', () => {
  let db: ScenarioDb;
  beforeAll(async () => {
    db = await createScenario('tz', fixture('failure-modes.sql'));
  });
  afterAll(async () => db?.drop());

  it('the table shows the worst --max-rows findings and counts the rest', async () => {
    const all = JSON.parse((await run(['check', '--db', db.url, '--format', 'json'])).stdout).findings as { severity: string }[];
    expect(all.length).toBeGreaterThan(10);
    const r = await run(['check', '--db', db.url, '--max-rows', '5']);
    expect(r.code).toBe(1);
    const shown = tableFindings(r.stdout);
    expect(shown).toHaveLength(5);
    expect(shown[0]?.severity).toBe('critical');
    expect(r.stdout).toContain(`… ${(all.length - 5).toLocaleString('en-US')} more findings not shown (`);
    expect(r.stdout.replace(/\n {2}/g, ' ')).toContain('--max-rows 0 shows every one');
    const every = await run(['check', '--db', db.url, '--max-rows', '0']);
    expect(tableFindings(every.stdout)).toHaveLength(all.length);
    expect(every.stdout).not.toContain('more findings not shown');
  });

  it('ndjson writes every finding, one JSON object per line', async () => {
    const json = JSON.parse((await run(['check', '--db', db.url, '--format', 'json'])).stdout);
    const r = await run(['check', '--db', db.url, '--format', 'ndjson']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    // Two runs, two clocks: an age in the evidence may differ by a second.
    const timeless = (f: { evidence: Record<string, unknown> }) => ({ ...f, evidence: { ...f.evidence, ageSeconds: undefined } });
    expect(lines.map(timeless)).toEqual(json.findings.map(timeless));
  });
});

describe('a dump with more findings than are kept in memory', () => {
  // Past DUMP_SPILL_AT findings the run sorts them on disk; every format must still get all of them, in
  // the order a run held in memory gives.
  let db: ScenarioDb;
  let dump: string;
  const STOPS = DUMP_SPILL_AT + 500;
  beforeAll(async () => {
    db = await createScenario('tz', fixture('failure-modes.sql'));
    const dir = mkdtempSync(join(tmpdir(), 'ts-audit-spill-'));
    dump = join(dir, 'dump.ndjson');
    const lines = [JSON.stringify({ format: 'ts-audit/stops@1', dumpedAt: '2025-10-26T16:29:00Z' })];
    for (let i = 0; i < STOPS; i++) {
      lines.push(JSON.stringify({ exchange: i % 2 ? 'binance' : 'bybit', symbol: `Z${i}USDT`, side: 'long', state: i % 5 ? 'waiting' : 'active', is_activated: i % 5 === 0, entry_price: '1.5', highest_price: '1.6', lowest_price: '999999', current_stop_price: null, activation_price: '1.6', quantity: '1', update_count: i % 7 }));
    }
    writeFileSync(dump, `${lines.join('\n')}\n`);
  });
  afterAll(async () => {
    await db?.drop();
    if (dump) rmSync(dirname(dump), { recursive: true, force: true });
  });

  it('every format counts every finding, sorted', async () => {
    const args = ['diff', '--db', db.url, '--dump', dump, '--fail-on', 'none'];
    const [compactRun, githubRun, sarifRun] = await Promise.all(['compact', 'github', 'sarif'].map((f) => run([...args, '--format', f])));
    const [jsonRun, ndjsonRun, markdownRun, junitRun, metricsRun, tableRun, fullTableRun] = await Promise.all([
      run([...args, '--format', 'json']),
      run([...args, '--format', 'ndjson']),
      run([...args, '--format', 'markdown']),
      run([...args, '--format', 'junit', '--fail-on', 'high']),
      run([...args, '--format', 'prometheus']),
      run([...args, '--max-rows', '3']),
      run([...args, '--max-rows', '0']),
    ]);
    const json = JSON.parse(jsonRun.stdout);
    const findings = json.findings as { severity: string; exchange: string; symbol: string; check: string }[];
    expect(findings.filter((f) => f.check === 'missing-in-db' && f.symbol.startsWith('Z'))).toHaveLength(STOPS);
    expect(Object.values(json.summary.bySeverity as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(findings.length);
    const order = ['critical', 'high', 'medium', 'low', 'info'];
    const key = (f: (typeof findings)[number]) => [order.indexOf(f.severity), f.exchange, f.symbol, f.check] as const;
    for (let i = 1; i < findings.length; i++) {
      const [a, b] = [key(findings[i - 1] as (typeof findings)[number]), key(findings[i] as (typeof findings)[number])];
      expect(a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && (a[2] < b[2] || (a[2] === b[2] && a[3] <= b[3])))))).toBe(true);
    }
    const ndjson = ndjsonRun.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(ndjson.map((f) => `${f.check} ${f.exchange} ${f.symbol}`)).toEqual(findings.map((f) => `${f.check} ${f.exchange} ${f.symbol}`));
    const markdown = markdownRun.stdout;
    expect(markdown.match(/^\| (critical|high|medium|low|info) \|/gm)).toHaveLength(findings.length);
    const junit = junitRun.stdout;
    expect((junit.match(/<failure /g) ?? []).length).toBe(findings.filter((f) => ['critical', 'high'].includes(f.severity)).length);
    expect((junit.match(/<testcase /g) ?? []).length).toBeGreaterThanOrEqual(findings.length);
    const described = (f: (typeof findings)[number]) => `${f.severity} ${f.check} ${f.exchange}/${f.symbol}`;
    expect(compactRun.stdout.trimEnd().split('\n').slice(0, -1).map((l) => l.slice(0, l.indexOf(':')))).toEqual(findings.map(described));
    expect(githubRun.stdout.match(/^::(error|warning|notice) title=ts-audit [a-z-]+ /gm)).toHaveLength(findings.length);
    expect(JSON.parse(sarifRun.stdout).runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(findings.map((f) => f.check));
    const metrics = metricsRun.stdout;
    const missing = [...metrics.matchAll(/^ts_audit_findings\{[^}]*check="missing-in-db"[^}]*\} (\d+)$/gm)].reduce((a, m) => a + Number(m[1]), 0);
    expect(missing).toBe(findings.filter((f) => f.check === 'missing-in-db').length);
    const table = tableRun.stdout;
    expect(table).toContain(`… ${(findings.length - 3).toLocaleString('en-US')} more findings not shown`);
    // Every row, grouped per position (re-sorted on disk: this run spills), each position once.
    const full = fullTableRun.stdout.split('\n');
    const rows = tableFindings(fullTableRun.stdout);
    expect(rows).toHaveLength(findings.length);
    expect(new Set(rows.map((f) => `${f.check} ${f.exchange}/${f.symbol}`))).toEqual(new Set(findings.map((f) => `${f.check} ${f.exchange}/${f.symbol}`)));
    const groups = full.filter((l) => /^(CRITICAL|HIGH|MEDIUM|LOW|INFO) +\S+\/\S+/.test(l)).map((l) => l.split(/ +/)[1]?.replace(/:$/, ''));
    const pairs = new Set(findings.map((f) => `${f.exchange}/${f.symbol}`));
    expect(groups).toHaveLength(pairs.size);
    expect(new Set(groups).size).toBe(pairs.size);
    expect(fullTableRun.stdout).toContain(`${findings.length.toLocaleString('en-US')} findings on ${pairs.size.toLocaleString('en-US')} positions:`);
  });
});

describe('a tired person\'s input', () => {
  let db: ScenarioDb;
  beforeAll(async () => {
    db = await createScenario('tz', fixture('failure-modes.sql'));
  });
  afterAll(async () => db?.drop());

  it('takes severities in any case and names the check a typo meant', async () => {
    expect((await run(['check', '--db', db.url, '--fail-on', 'CRITICAL'])).code).toBe(1);
    expect((await run(['check', '--db', db.url, '--fail-on', 'None'])).code).toBe(0);
    const typo = await run(['check', 'late-persited', '--db', db.url]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown check "late-persited" \(did you mean "late-persisted"\?\)/);
  });
});
