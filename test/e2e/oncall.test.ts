// The incident as an on-call engineer meets it: each position's problem said once (its other checks
// listed as consequences), headlines that count problems and positions, a verdict that agrees with its
// table, and a last line that names the command that repairs (rescue) or explains what was found.
import { describe, expect, it } from 'vitest';
import { INCIDENT_DUMP, fixture, useScenario } from '../support/db.js';
import { cli } from '../support/in-process.js';
import { json, requireBuild, tableProblems } from '../support/report.js';

requireBuild();

describe('the incident, each problem said once', () => {
  const db = useScenario('naive', fixture('incident.sql'));

  it('diff --all: one problem per missing stop, its consequences listed under it, and Next names rescue with the same dump', async () => {
    const r = await cli(['diff', '--all', '--db', db.url, '--dump', INCIDENT_DUMP, '--max-rows', '0']);
    expect(r.code).toBe(1);
    const problems = tableProblems(r.stdout).filter((p) => p.check === 'missing-in-db');
    expect(problems).toHaveLength(13);
    for (const p of problems) expect(p.consequences, p.symbol).toEqual(expect.arrayContaining(['restore-loss', 'unprotected-position']));
    // Each position's group line appears once, and no position is listed under two rows of one check.
    const groupLines = r.stdout.split('\n').filter((l) => /^(CRITICAL|HIGH) +\S+\/\S+/.test(l));
    expect(new Set(groupLines).size).toBe(groupLines.length);
    expect(r.stdout).toMatch(/^\d+ problems on 1[34] positions \(\d+ findings\):/m);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('Next: '))).toHaveLength(1);
    expect(r.stdout.slice(r.stdout.indexOf('\nNext: ')).replace(/\n {2}/g, ' ')).toContain(
      `Next: ts-audit rescue --dump ${INCIDENT_DUMP} -o rescue.sql, review and apply it, then ts-audit restore`,
    );
  });

  it('the JSON report keeps every finding, each with the problem it belongs to, and counts problems in the summary', async () => {
    const r = await cli(['diff', '--all', '--db', db.url, '--dump', INCIDENT_DUMP, '--format', 'json']);
    const report = json(r) as ReturnType<typeof json> & { findings: { problem: string; check: string }[]; summary: { problems: { total: number } } };
    expect(report.findings.filter((f) => f.check === 'restore-loss').length).toBe(13);
    for (const f of report.findings.filter((x) => x.check === 'restore-loss' || x.check === 'missing-in-db')) expect(f.problem).toBe('missing-in-db');
    expect(report.summary.problems.total).toBeLessThan(report.findings.length);
    const table = await cli(['diff', '--all', '--db', db.url, '--dump', INCIDENT_DUMP]);
    expect(table.stdout).toContain(`${report.summary.problems.total} problems on `);
  });

  it('check, without memory: the position with no row is the problem, and Next explains it', async () => {
    const r = await cli(['check', '--db', db.url, '--max-rows', '0']);
    expect(r.code).toBe(1);
    const problems = tableProblems(r.stdout).filter((p) => p.check === 'unprotected-position');
    expect(problems).toHaveLength(13);
    for (const p of problems) expect(p.consequences, p.symbol).toContain('restore-loss');
    expect(tableProblems(r.stdout).filter((p) => p.check === 'restore-loss')).toEqual([]);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('Next: ts-audit explain unprotected-position: what it means and how to repair it');
  });

  it('restore lists each outcome once: its findings are rows of its table, with their severity', async () => {
    const r = await cli(['restore', '--db', db.url, '--dump', INCIDENT_DUMP]);
    expect(r.code).toBe(1);
    for (const symbol of ['SUIUSDT', 'RADUSDT', 'DOGUSDT']) expect(r.stdout.match(new RegExp(`\\b${symbol}\\b`, 'g')), symbol).toHaveLength(1);
    // (The position column is left out at 80 columns.)
    expect(r.stdout).toMatch(/^CRITICAL +binance +SUIUSDT +(#\d+ +)?created-new +no row for \(symbol, exchange\)\n +\(activated in memory\)/m);
    expect(r.stdout).toMatch(/^ {10}binance +DOGUSDT +(#\d+ +)?restored +row found, sides agree/m);
    expect(r.stdout).toContain('13 problems on 13 positions: 1 critical · 12 high');
    expect(r.stdout).toMatch(/\nNext: ts-audit explain restore-loss/);
  });

  it('timestamps never says "No findings" above open positions that have no row', async () => {
    const r = await cli(['timestamps', '--db', db.url]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('No findings');
    expect(r.stdout.replace(/\n {2}/g, ' ')).toContain('13 open positions have no row, so no lag to judge: ts-audit orphans reports them');
    // Nothing at or above --fail-on: no Next line.
    expect(r.stdout).not.toContain('Next:');
  });

  it('doctor closes with the on-call path when the setup works', async () => {
    const r = await cli(['doctor', '--db', db.url]);
    expect(r.code).toBe(0);
    const tail = r.stdout.slice(r.stdout.indexOf('Everything ts-audit needs works.'));
    const steps = [
      'On call, in this order:',
      '1. ts-audit doctor',
      '2. ts-audit diff --from-events',
      '3. ts-audit rescue --from-events -o rescue.sql',
      'psql -v ON_ERROR_STOP=1 -f rescue.sql',
      '5. ts-audit restore',
    ].map((s) => tail.indexOf(s));
    expect(steps.every((i) => i > 0)).toBe(true);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
  });

  it('report: no SQL appendix unless asked, one time column on a UTC host, plurals, actions that fit the findings and name rescue', async () => {
    const r = await cli(['report', '--db', db.url, '--dump', INCIDENT_DUMP], { TZ: 'UTC' });
    expect(r.code).toBe(1);
    const md = r.stdout;
    expect(md).not.toContain('## Appendix: queries');
    expect(md).not.toContain('```sql');
    expect(md).toMatch(/## Queries\n\n\d+ queries ran in one read-only, repeatable-read snapshot .*`ts-audit report --appendix` adds each one/);
    const full = await cli(['report', '--db', db.url, '--dump', INCIDENT_DUMP, '--appendix'], { TZ: 'UTC' });
    expect(full.stdout).toContain('## Appendix: queries');
    expect(full.stdout.split('\n').length).toBeGreaterThan(2 * md.split('\n').length);
    // UTC is the display zone: each time once.
    expect(md).not.toMatch(/([A-Z][a-z ]+) \(UTC\) \| \1 \(UTC\)/);
    expect(md).toContain('| Exchange | Symbol | Position opened (UTC) | Stop row created (UTC) | Lag |');
    expect(md).toContain('| Time (UTC) | What | Detail |');
    expect(md).not.toMatch(/\b1 (rows|stops|symbols|open positions)\b/);
    // The recreated positions have no row: nothing was carried over, so no action deletes their rows.
    expect(md).not.toContain('Reopened symbols kept the rows of earlier positions');
    const actions = md.slice(md.indexOf('## Recommended actions'), md.indexOf('## Evidence'));
    expect(actions).toContain(`\`ts-audit rescue --dump ${INCIDENT_DUMP} -o rescue.sql\` writes the rows memory holds`);
    // The executive summary says each problem once, with its consequences.
    expect(md).toMatch(/\*\*critical\*\* `missing-in-db` binance\/SUIUSDT: .*\(consequences: `restore-loss`/);
    expect(md).not.toMatch(/^- \*\*(critical|high)\*\* `restore-loss`/m);
  });
});
