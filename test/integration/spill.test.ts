// Past DUMP_SPILL_AT findings a diff of a dump sorts them on disk; every format must still get all of
// them, in the order a run held in memory gives. One diff, rendered by every reporter in this process
// (the end-to-end test runs the CLI on the same kind of dump once, for its JSON): spawning the CLI once
// per format cost about 10 s of CPU for the same assertions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDiff } from '../../src/commands/diff.js';
import { REPORTERS, joined } from '../../src/report/index.js';
import type { RenderOptions, Report } from '../../src/report/types.js';
import { DUMP_SPILL_AT } from '../../src/report/findings.js';
import { type ScenarioDb, createScenario, fixture } from '../support/db.js';
import { spillingDump } from '../support/dumps.js';
import { diffOptions, fixedNow } from '../support/options.js';
import { tableFindings } from '../support/report.js';

describe('a dump with more findings than are kept in memory', () => {
  let db: ScenarioDb;
  let dump: string;
  let report: Report;
  const STOPS = DUMP_SPILL_AT + 500;
  const render = async (format: string, options: Partial<RenderOptions> = {}) =>
    joined(
      await (REPORTERS[format] as NonNullable<(typeof REPORTERS)[string]>)(report, { colorLevel: 0, width: 100, failOn: 'none', runSeconds: 1, ...options }),
    );

  beforeAll(async () => {
    db = await createScenario('tz', fixture('failure-modes.sql'));
    dump = spillingDump(STOPS);
    report = await runDiff(diffOptions(db.url, dump), fixedNow);
  });
  afterAll(async () => db?.drop());

  it('every format counts every finding, sorted', async () => {
    const json = JSON.parse(await render('json'));
    const findings = json.findings as { severity: string; exchange: string; symbol: string; check: string }[];
    expect(findings.filter((f) => f.check === 'missing-in-db' && f.symbol.startsWith('Z'))).toHaveLength(STOPS);
    expect(Object.values(json.summary.bySeverity as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(findings.length);
    const order = ['critical', 'high', 'medium', 'low', 'info'];
    const key = (f: (typeof findings)[number]) => [order.indexOf(f.severity), f.exchange, f.symbol, f.check] as const;
    for (let i = 1; i < findings.length; i++) {
      const [a, b] = [key(findings[i - 1] as (typeof findings)[number]), key(findings[i] as (typeof findings)[number])];
      expect(a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && (a[2] < b[2] || (a[2] === b[2] && a[3] <= b[3])))))).toBe(true);
    }
    const ndjson = (await render('ndjson'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(ndjson.map((f) => `${f.check} ${f.exchange} ${f.symbol}`)).toEqual(findings.map((f) => `${f.check} ${f.exchange} ${f.symbol}`));
    const markdown = await render('markdown');
    expect(markdown.match(/^\| (critical|high|medium|low|info) \|/gm)).toHaveLength(findings.length);
    const junit = await render('junit', { failOn: 'high' });
    expect((junit.match(/<failure /g) ?? []).length).toBe(findings.filter((f) => ['critical', 'high'].includes(f.severity)).length);
    expect((junit.match(/<testcase /g) ?? []).length).toBeGreaterThanOrEqual(findings.length);
    const described = (f: (typeof findings)[number]) => `${f.severity} ${f.check} ${f.exchange}/${f.symbol}`;
    const compact = await render('compact');
    expect(
      compact
        .trimEnd()
        .split('\n')
        .slice(0, -1)
        .map((l) => l.slice(0, l.indexOf(':'))),
    ).toEqual(findings.map(described));
    expect((await render('github')).match(/^::(error|warning|notice) title=ts-audit [a-z-]+ /gm)).toHaveLength(findings.length);
    expect(JSON.parse(await render('sarif')).runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(findings.map((f) => f.check));
    const metrics = await render('prometheus');
    const missing = [...metrics.matchAll(/^ts_audit_findings\{[^}]*check="missing-in-db"[^}]*\} (\d+)$/gm)].reduce((a, m) => a + Number(m[1]), 0);
    expect(missing).toBe(findings.filter((f) => f.check === 'missing-in-db').length);
    const table = await render('table', { maxRows: 3 });
    expect(table).toContain(`… ${(findings.length - 3).toLocaleString('en-US')} more findings not shown`);
    // Every row, grouped per position, each position once.
    const fullTable = await render('table', { maxRows: 0 });
    const rows = tableFindings(fullTable);
    expect(rows).toHaveLength(findings.length);
    expect(new Set(rows.map((f) => `${f.check} ${f.exchange}/${f.symbol}`))).toEqual(new Set(findings.map((f) => `${f.check} ${f.exchange}/${f.symbol}`)));
    const groups = fullTable
      .split('\n')
      .filter((l) => /^(CRITICAL|HIGH|MEDIUM|LOW|INFO) +\S+\/\S+/.test(l))
      .map((l) => l.split(/ +/)[1]?.replace(/:$/, ''));
    const pairs = new Set(findings.map((f) => `${f.exchange}/${f.symbol}`));
    expect(groups).toHaveLength(pairs.size);
    expect(new Set(groups).size).toBe(pairs.size);
    // One finding per position: as many problems as findings, so no findings count in brackets.
    expect(fullTable).toContain(`${findings.length.toLocaleString('en-US')} problems on ${pairs.size.toLocaleString('en-US')} positions:`);
  });
});
