// Each problem said once: findings of one root cause on one position are one problem, named after the
// check of lowest rank among them, and the registry (each check's problemOf) is what says so.
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { type Finding, ROOT_CAUSES } from '../../src/checks/types.js';
import { Problems, attachProblems } from '../../src/report/problems.js';
import { sortFindings } from '../../src/report/build.js';
import type { Report } from '../../src/report/types.js';
import type { Severity } from '../../src/severity.js';

const finding = (check: string, severity: Severity, symbol: string, evidence: Record<string, unknown> = {}, exchange = 'binance'): Finding => ({
  check,
  severity,
  exchange,
  symbol,
  positionId: 1,
  message: `${check} on ${symbol}`,
  evidence,
});

/** A stop only in memory, as `diff --all` reports it: four checks, one problem. */
const onlyInMemory = (symbol: string, severity: Severity = 'high') => [
  finding('missing-in-db', severity, symbol),
  finding('restore-loss', severity, symbol, { outcome: 'created-new', reason: 'no row for (symbol, exchange)' }),
  finding('unprotected-position', 'high', symbol),
  finding('flag-mismatch', 'low', symbol, { reason: 'has-trailing-stop-without-row' }),
];

const problemsOf = (findings: Finding[]) => {
  const sorted = sortFindings(findings);
  const p = new Problems(sorted);
  return { counts: p.count(sorted), tagged: [...p.tag(sorted)] };
};

describe('problems', () => {
  it('groups the findings of one root cause on one position under the check of lowest rank', () => {
    const { counts, tagged } = problemsOf([...onlyInMemory('SUIUSDT', 'critical'), ...onlyInMemory('AIOZUSDT')]);
    expect(counts).toEqual({ total: 2, bySeverity: { critical: 1, high: 1, medium: 0, low: 0, info: 0 } });
    expect(tagged).toHaveLength(8);
    for (const f of tagged) expect(f.problem, `${f.check} ${f.symbol}`).toBe('missing-in-db');
  });

  it('without memory, the open position with no row names the problem; the restart and the flag are its consequences', () => {
    const { counts, tagged } = problemsOf(onlyInMemory('AIOZUSDT').slice(1));
    expect(counts.total).toBe(1);
    expect(new Set(tagged.map((f) => f.problem))).toEqual(new Set(['unprotected-position']));
  });

  it('keeps apart what has another root cause, and the same checks on another position', () => {
    const { counts, tagged } = problemsOf([
      ...onlyInMemory('AIOZUSDT'),
      // A flag of another reason, and an observation of no shared cause: problems of their own.
      finding('flag-mismatch', 'low', 'AIOZUSDT', { reason: 'trailing-activated-mismatch' }),
      finding('orphaned-stop', 'medium', 'AIOZUSDT', {}, 'bybit'),
      // A row on the other side: the restart deletes it, as a consequence of the side, not of a missing row.
      finding('side-mismatch', 'critical', 'RADUSDT'),
      finding('restore-loss', 'high', 'RADUSDT', { outcome: 'deleted-and-recreated', reason: 'row side differs' }),
    ]);
    expect(counts).toEqual({ total: 4, bySeverity: { critical: 1, high: 1, medium: 1, low: 1, info: 0 } });
    const problem = (check: string, symbol: string, reason?: string) =>
      tagged.find((f) => f.check === check && f.symbol === symbol && (reason === undefined || f.evidence.reason === reason))?.problem;
    expect(problem('flag-mismatch', 'AIOZUSDT', 'trailing-activated-mismatch')).toBe('flag-mismatch');
    expect(problem('flag-mismatch', 'AIOZUSDT', 'has-trailing-stop-without-row')).toBe('missing-in-db');
    expect(problem('orphaned-stop', 'AIOZUSDT')).toBe('orphaned-stop');
    expect(problem('restore-loss', 'RADUSDT')).toBe('side-mismatch');
  });

  it('attaches the counts and the tags to a report, whose findings still serialise as an array', () => {
    const report = { summary: { bySeverity: {} }, findings: sortFindings(onlyInMemory('AIOZUSDT')) } as unknown as Report;
    attachProblems(report);
    expect(report.summary.problems?.total).toBe(1);
    const written = JSON.parse(JSON.stringify(report)) as { findings: Finding[] };
    expect(written.findings.map((f) => f.problem)).toEqual(['missing-in-db', 'missing-in-db', 'missing-in-db', 'missing-in-db']);
  });

  it('are the same read from an array (each finding read once, then by its number) as from spilled findings (read again each pass)', () => {
    const findings = [
      ...sortFindings([
        ...['AIOZUSDT', 'SUIUSDT', 'RADUSDT', 'XUSDT'].flatMap((symbol, i) => onlyInMemory(symbol, i % 2 ? 'high' : 'critical').slice(i % 3)),
        finding('flag-mismatch', 'low', 'AIOZUSDT', { reason: 'trailing-activated-mismatch' }),
        finding('flag-mismatch', 'low', 'AIOZUSDT', { reason: 'trailing-activated-mismatch' }, 'bybit'),
        finding('orphaned-stop', 'medium', 'AIOZUSDT', {}, 'bybit'),
        finding('orphaned-stop', 'medium', 'AIOZUSDT', {}, 'bybit'),
        finding('side-mismatch', 'critical', 'RADUSDT'),
        finding('restore-loss', 'high', 'RADUSDT', { outcome: 'deleted-and-recreated', reason: 'row side differs' }),
        finding('missing-in-db', 'high', 'SUIUSDT', {}, 'okx'),
      ]),
    ];
    const spilled = {
      length: findings.length,
      *[Symbol.iterator]() {
        for (const f of findings) yield { ...f };
      },
    };
    const fromArray = new Problems(findings);
    const fromSpill = new Problems(spilled);
    expect(fromArray.count(findings)).toEqual(fromSpill.count(spilled));
    const tagged = [...fromSpill.tag(spilled)].map((f) => f.problem);
    expect(tagged).toContain('missing-in-db');
    expect([...fromArray.tag(findings.map((f) => ({ ...f })))].map((f) => f.problem)).toEqual(tagged);
    expect([...fromArray.tag(findings)].map((f) => f.problem)).toEqual(tagged);
    for (const f of findings) expect(fromArray.problemOf(f)).toBe(fromSpill.problemOf(f));
  });

  it('are declared in the registry: known causes, one check per rank of a cause', () => {
    const ranks = new Map<string, string>();
    for (const c of CHECKS) {
      for (const p of c.problemOf ?? []) {
        expect(ROOT_CAUSES, c.id).toContain(p.cause);
        const key = `${p.cause} ${p.rank}`;
        expect(ranks.get(key) ?? c.id, key).toBe(c.id);
        ranks.set(key, c.id);
      }
    }
    // Every cause has a check that names it (rank 0).
    for (const cause of ROOT_CAUSES) expect(ranks.has(`${cause} 0`), cause).toBe(true);
  });
});
