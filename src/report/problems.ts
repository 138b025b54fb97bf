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

/**
 * What an array of findings was read into by the first pass, for the passes after it over the same
 * array: each finding's root cause and the number of its (exchange, symbol), so that those passes
 * look nothing up again (two lookups of the pair and two of the cause per finding, before).
 */
interface ReadArray {
  findings: readonly Finding[];
  /** Each (exchange, symbol) with a finding of a shared cause, numbered from 0. */
  numbers: PairIndex;
  causes: (ProblemOf | undefined)[];
  pairs: Int32Array;
  /** The packed lowest ranks, by pair number. */
  ranks: Uint32Array;
}

/** What every problem is, once the findings have been read once. */
export class Problems {
  private readonly ranks = new PairIndex();
  private readonly read: ReadArray | undefined;

  constructor(findings: Iterable<Finding>) {
    if (Array.isArray(findings)) {
      this.read = readArray(findings as readonly Finding[]);
      return;
    }
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

  /** The read of these very findings, if the constructor read them (same array, same length). */
  private readOf(findings: Iterable<Finding>): ReadArray | undefined {
    const read = this.read;
    return read && read.findings === findings && read.findings.length === read.causes.length ? read : undefined;
  }

  /** The check that names the finding's problem: its own, or the root cause's of lowest rank on its position. */
  problemOf(f: Finding): string {
    const cause = causeOf(f);
    if (!cause) return f.check;
    const packed = this.read ? this.packedOf(f) : (this.ranks.get(f.exchange, f.symbol) ?? 0);
    return named(f, cause, packed);
  }

  /** A finding's packed ranks from the read array (0: its pair had no finding of a shared cause). */
  private packedOf(f: Finding): number {
    const read = this.read as ReadArray;
    const n = read.numbers.get(f.exchange, f.symbol);
    return n === undefined ? 0 : (read.ranks[n] ?? 0);
  }

  /** Problems counted, each by its worst finding (findings come worst first, so its first). */
  count(findings: Iterable<Finding>): ProblemCounts {
    const read = this.readOf(findings);
    if (read) return countRead(read);
    const tally = new Tally();
    const seen = new PairIndex();
    for (const f of findings) {
      const cause = causeOf(f);
      let first: boolean | undefined;
      if (cause) {
        const bit = causeBit(cause);
        const packed = seen.get(f.exchange, f.symbol) ?? 0;
        first = (packed & bit) === 0;
        if (first) seen.set(f.exchange, f.symbol, packed | bit);
      }
      tally.add(f, first);
    }
    return tally.counts();
  }

  /**
   * The findings, each with its problem: an array stays an array (what a run that fits in memory has,
   * and what its readers may index), its findings tagged in place (they are the report's own, made
   * for it, and a copy of each is all garbage); spilled findings are tagged as they are read back.
   */
  tag(findings: Findings): Findings {
    if (Array.isArray(findings)) {
      const read = this.readOf(findings);
      if (read) {
        const list = findings as Finding[];
        for (let i = 0; i < list.length; i++) {
          const f = list[i] as Finding;
          const cause = read.causes[i];
          f.problem = cause ? named(f, cause, read.ranks[read.pairs[i] as number] ?? 0) : f.check;
        }
      } else {
        for (const f of findings as Finding[]) f.problem = this.problemOf(f);
      }
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

/** The name of a finding's problem, from its cause and the packed lowest ranks of its pair. */
function named(f: Finding, cause: ProblemOf, packed: number): string {
  const rank = rankIn(packed, cause.cause);
  return rank === 0 ? f.check : (NAMED.get(`${cause.cause}:${rank - 1}`) ?? f.check);
}

/** The bit of a root cause in a pair's packed value of the causes already seen on it. */
const causeBit = (cause: ProblemOf) => 1 << (CAUSE_INDEX.get(cause.cause) as number);

/** The problems counted as count() reads the findings, worst first: each counted by its first finding. */
class Tally {
  private readonly bySeverity = emptyCounts();
  private total = 0;
  /** Per identity of a finding of no shared root cause, the pairs it was seen on. */
  private readonly own = new Map<string, PairIndex>();

  /**
   * Counts f when it is the first finding of its problem. first: for a finding of a shared root
   * cause, whether its pair had no finding of that cause before; undefined for a finding of none,
   * which is its own problem, one per identity (a check's reasons apart).
   */
  add(f: Finding, first: boolean | undefined): void {
    if (!(first ?? this.firstOwn(f))) return;
    this.total += 1;
    this.bySeverity[f.severity] += 1;
  }

  counts(): ProblemCounts {
    return { total: this.total, bySeverity: this.bySeverity };
  }

  private firstOwn(f: Finding): boolean {
    const key = `${f.check}\u0000${identityReason(f) ?? ''}`;
    let index = this.own.get(key);
    if (!index) this.own.set(key, (index = new PairIndex()));
    return index.set(f.exchange, f.symbol, 1) === undefined;
  }
}

/** The first pass over an array: each finding's cause and pair number, and each pair's lowest ranks. */
function readArray(findings: readonly Finding[]): ReadArray {
  const numbers = new PairIndex();
  const causes: (ProblemOf | undefined)[] = new Array<ProblemOf | undefined>(findings.length);
  const pairs = new Int32Array(findings.length).fill(-1);
  let ranks = new Uint32Array(64);
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i] as Finding;
    const cause = causeOf(f);
    causes[i] = cause;
    if (!cause) continue;
    let n = numbers.get(f.exchange, f.symbol);
    if (n === undefined) {
      n = numbers.size;
      numbers.set(f.exchange, f.symbol, n);
      if (n >= ranks.length) {
        const wider = new Uint32Array(ranks.length * 2);
        wider.set(ranks);
        ranks = wider;
      }
    }
    pairs[i] = n;
    const packed = ranks[n] as number;
    const seen = rankIn(packed, cause.cause);
    if (seen === 0 || cause.rank + 1 < seen) {
      const s = shift(cause.cause);
      ranks[n] = ((packed & ~(((1 << BITS) - 1) << s)) | ((cause.rank + 1) << s)) >>> 0;
    }
  }
  return { findings, numbers, causes, pairs, ranks };
}

/** count() over the array the first pass read. */
function countRead(read: ReadArray): ProblemCounts {
  const tally = new Tally();
  const seen = new Uint32Array(read.ranks.length);
  for (let i = 0; i < read.findings.length; i++) {
    const cause = read.causes[i];
    let first: boolean | undefined;
    if (cause) {
      const bit = causeBit(cause);
      const n = read.pairs[i] as number;
      const packed = seen[n] as number;
      first = (packed & bit) === 0;
      if (first) seen[n] = (packed | bit) >>> 0;
    }
    tally.add(read.findings[i] as Finding, first);
  }
  return tally.counts();
}
