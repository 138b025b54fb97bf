// Output that fits: the table keeps the worst --max-rows findings and says what it left out; ndjson
// gives every finding, one per line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../support/cli.js';
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
    expect(r.stdout.match(/^│ (CRITICAL|HIGH|MEDIUM|LOW|INFO) /gm)).toHaveLength(5);
    expect(r.stdout).toContain('│ CRITICAL │');
    expect(r.stdout).toContain(`… ${all.length - 5} more findings not shown (`);
    expect(r.stdout).toContain('--max-rows 0 shows every one');
    const every = await run(['check', '--db', db.url, '--max-rows', '0']);
    expect(every.stdout.match(/^│ (CRITICAL|HIGH|MEDIUM|LOW|INFO) /gm)).toHaveLength(all.length);
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
