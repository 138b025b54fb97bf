// Each problem said once. Several checks often report one root cause of one position: a stop only in
// memory is reported by the diff, and also as a restart that would lose it, an open position with no
// row and a flag that claims a row. The checks say which root causes they report (`problemOf` in the registry);
// on each (exchange, symbol), the findings of one root cause are one problem, named after the check of
// lowest rank among them, and the others are its consequences. A finding that reports no shared root
// cause is a problem of its own.
//
// Bounded memory, as the findings are: one pass records, per (exchange, symbol), the lowest rank seen
// of each root cause (4 bits each, in one 32-bit value); a finding's problem is then known from its
// own check and that value, and is added to it as the findings are iterated.
import { CHECKS, findCheck, identityReason } from '../checks/index.js';
import { type Finding, type ProblemOf, ROOT_CAUSES, type RootCause } from '../checks/types.js';
import { PairIndex } from '../key-index.js';
import { emptyCounts } from '../severity.js';
import type { Findings } from './findings.js';
import type { ProblemCounts, Report } from './types.js';

const BITS = 4;
const CAUSE_INDEX = new Map<RootCause, number>(ROOT_CAUSES.map((c, i) => [c, i]));
if (ROOT_CAUSES.length * BITS > 31) throw new Error('src/checks/types.ts: too many root causes for problems.ts to pack');

/** The check reporting each (root cause, rank): the name of the problem whose lowest rank that is. */
const NAMED = new Map<string, string>();
for (const c of CHECKS) {
  for (const p of c.problemOf ?? []) {
    if (p.rank < 0 || p.rank >= (1 << BITS) - 1) throw new Error(`src/checks/${c.id}: problemOf rank ${p.rank} is out of range`);
    const key = `${p.cause}:${p.rank}`;
    const other = NAMED.get(key);
    if (other && other !== c.id) throw new Error(`src/checks/${c.id}: ${p.cause} rank ${p.rank} is already ${other}'s`);
    NAMED.set(key, c.id);
  }
}

/** The root cause a finding reports, if any: the first entry of its check whose `when` it matches. */
export function causeOf(f: Finding): ProblemOf | undefined {
  const causes = findCheck(f.check)?.problemOf;
  if (!causes) return undefined;
  for (const p of causes) if (!p.when || p.when(f.evidence)) return p;
  return undefined;
}

const shift = (cause: RootCause) => (CAUSE_INDEX.get(cause) as number) * BITS;
/** The lowest rank (plus one; 0 for none) of a cause in a packed value. */
const rankIn = (packed: number, cause: RootCause) => (packed >>> shift(cause)) & ((1 << BITS) - 1);

/** What every problem is, once the findings have been read once. */
export class Problems {
  private readonly ranks = new PairIndex();

  constructor(findings: Iterable<Finding>) {
    for (const f of findings) {
      const cause = causeOf(f);
      if (!cause) continue;
      const packed = this.ranks.get(f.exchange, f.symbol) ?? 0;
      const seen = rankIn(packed, cause.cause);
      if (seen === 0 || cause.rank + 1 < seen) {
        const s = shift(cause.cause);
        this.ranks.set(f.exchange, f.symbol, ((packed & ~(((1 << BITS) - 1) << s)) | ((cause.rank + 1) << s)) >>> 0);
      }
    }
  }

  /** The check that names the finding's problem: its own, or the root cause's of lowest rank on its position. */
  problemOf(f: Finding): string {
    const cause = causeOf(f);
    if (!cause) return f.check;
    const rank = rankIn(this.ranks.get(f.exchange, f.symbol) ?? 0, cause.cause);
    return rank === 0 ? f.check : (NAMED.get(`${cause.cause}:${rank - 1}`) ?? f.check);
  }

  /** Problems counted, each by its worst finding (findings come worst first, so its first). */
  count(findings: Iterable<Finding>): ProblemCounts {
    const bySeverity = emptyCounts();
    const seen = new PairIndex();
    const own = new Map<string, PairIndex>();
    let total = 0;
    for (const f of findings) {
      const cause = causeOf(f);
      let first: boolean;
      if (cause) {
        const bit = 1 << (CAUSE_INDEX.get(cause.cause) as number);
        const packed = seen.get(f.exchange, f.symbol) ?? 0;
        first = (packed & bit) === 0;
        if (first) seen.set(f.exchange, f.symbol, packed | bit);
      } else {
        // A finding of no shared root cause is its own problem: one per identity (a check's reasons apart).
        const key = `${f.check}\u0000${identityReason(f) ?? ''}`;
        let index = own.get(key);
        if (!index) own.set(key, (index = new PairIndex()));
        first = index.set(f.exchange, f.symbol, 1) === undefined;
      }
      if (first) {
        total += 1;
        bySeverity[f.severity] += 1;
      }
    }
    return { total, bySeverity };
  }

  /**
   * The findings, each with its problem: an array stays an array (what a run that fits in memory has,
   * and what its readers may index), its findings tagged in place (they are the report's own, made
   * for it, and a copy of each is all garbage); spilled findings are tagged as they are read back.
   */
  tag(findings: Findings): Findings {
    if (Array.isArray(findings)) {
      for (const f of findings as Finding[]) f.problem = this.problemOf(f);
      return findings;
    }
    const problemOf = (f: Finding) => this.problemOf(f);
    const tagged: Findings & { toJSON(): Finding[] } = {
      get length() {
        return findings.length;
      },
      *[Symbol.iterator]() {
        for (const f of findings) yield { ...f, problem: problemOf(f) };
      },
      // JSON.stringify of a whole report (the demo's) writes the findings as the array they are.
      toJSON() {
        return [...tagged];
      },
    };
    return tagged;
  }
}

/** The report with its problems counted (summary.problems) and every finding tagged with its problem: changed in place. */
export function attachProblems(report: Report): Report {
  const problems = new Problems(report.findings);
  report.summary.problems = problems.count(report.findings);
  report.findings = problems.tag(report.findings);
  return report;
}
