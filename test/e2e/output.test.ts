// Output that fits: the table keeps the worst --max-rows findings and says what it left out; ndjson
// gives every finding, one per line.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUMP_SPILL_AT } from '../../src/report/findings.js';
import { cli } from '../support/in-process.js';
import { json, tableFindings } from '../support/report.js';
import { spillingDump } from '../support/dumps.js';
import { type ScenarioDb, createScenario, fixture, useScenario } from '../support/db.js';

describe('large reports', () => {
  const db = useScenario('tz', fixture('failure-modes.sql'));
  // check --format json, which both tests only read: run once, at its first use.
  let jsonRun: ReturnType<typeof cli> | undefined;
  const checkJson = () => (jsonRun ??= cli(['check', '--db', db.url, '--format', 'json']));

  it('the table shows the worst --max-rows findings and counts the rest', async () => {
    const all = JSON.parse((await checkJson()).stdout).findings as { severity: string }[];
    expect(all.length).toBeGreaterThan(10);
    const r = await cli(['check', '--db', db.url, '--max-rows', '5']);
    expect(r.code).toBe(1);
    const shown = tableFindings(r.stdout);
    expect(shown).toHaveLength(5);
    expect(shown[0]?.severity).toBe('critical');
    expect(r.stdout).toContain(`… ${(all.length - 5).toLocaleString('en-US')} more findings not shown (`);
    expect(r.stdout.replace(/\n {2}/g, ' ')).toContain('--max-rows 0 shows every one');
    const every = await cli(['check', '--db', db.url, '--max-rows', '0']);
    expect(tableFindings(every.stdout)).toHaveLength(all.length);
    expect(every.stdout).not.toContain('more findings not shown');
  });

  it('ndjson writes every finding, one JSON object per line', async () => {
    const json = JSON.parse((await checkJson()).stdout);
    const r = await cli(['check', '--db', db.url, '--format', 'ndjson']);
    expect(r.code).toBe(1);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    // Two runs, two clocks: an age in the evidence may differ by a second.
    const timeless = (f: { evidence: Record<string, unknown> }) => ({ ...f, evidence: { ...f.evidence, ageSeconds: undefined } });
    expect(lines.map(timeless)).toEqual(json.findings.map(timeless));
  });
});

describe('a dump with more findings than are kept in memory', () => {
  // Past DUMP_SPILL_AT findings the run sorts them on disk. Every format is checked on such a run in
  // test/integration/spill.test.ts; here the CLI gives all of them, sorted, and exits as asked.
  let db: ScenarioDb;
  let dump: string;
  const STOPS = DUMP_SPILL_AT + 500;
  beforeAll(async () => {
    db = await createScenario('tz', fixture('failure-modes.sql'));
    dump = spillingDump(STOPS);
  });
  afterAll(async () => db?.drop());

  it('writes every finding, sorted, and leaves no spill file behind, though the process goes on', async () => {
    // In this process, as in watch: the run's findings sorted on disk are removed once its output is written.
    const tmp = mkdtempSync(join(tmpdir(), 'ts-audit-spill-test-'));
    const r = await cli(['diff', '--db', db.url, '--dump', dump, '--format', 'json', '--fail-on', 'critical'], { TMPDIR: tmp });
    try {
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    const findings = json(r).findings;
    expect(findings.filter((f) => f.check === 'missing-in-db' && f.symbol.startsWith('Z'))).toHaveLength(STOPS);
    expect(r.code).toBe(findings.some((f) => f.severity === 'critical') ? 1 : 0);
    expect(findings.some((f) => f.severity === 'critical')).toBe(true);
    const rank = (f: (typeof findings)[number]) => ['critical', 'high', 'medium', 'low', 'info'].indexOf(f.severity);
    for (let i = 1; i < findings.length; i++) expect(rank(findings[i - 1]!)).toBeLessThanOrEqual(rank(findings[i]!));
  });
});

describe("a tired person's input", () => {
  const db = useScenario('tz', fixture('failure-modes.sql'));

  it('takes severities in any case and names the check a typo meant', async () => {
    expect((await cli(['check', '--db', db.url, '--fail-on', 'CRITICAL'])).code).toBe(1);
    expect((await cli(['check', '--db', db.url, '--fail-on', 'None'])).code).toBe(0);
    const typo = await cli(['check', 'late-persited', '--db', db.url]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown check "late-persited" \(did you mean "late-persisted"\?\)/);
  });
});
