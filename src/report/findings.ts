// Findings in the order every format shows them, in bounded memory. Up to SPILL_AT findings are kept
// and sorted in memory, as before. Past that (a million-stop dump can make a million findings), each
// batch is sorted and written to a temporary file as NDJSON, and reading merges the files in order:
// memory holds one batch plus one line per file, whatever the number of findings.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Finding } from '../checks/types.js';
import { Decimal } from '../decimal.js';
import { compareSeverity } from '../severity.js';
import { isoText } from '../time.js';

/** What a report holds: an array, or the merged spill files of a large run. Iterate it; never index it. */
export interface Findings extends Iterable<Finding> {
  readonly length: number;
}

/**
 * Batches this large are sorted in memory; a run with more findings spills each batch to disk. A
 * database bounds what a check finds (the scale set's findings fit, and spilling them was slower); a
 * dump does not, so diff of a dump spills at DUMP_SPILL_AT.
 */
export const SPILL_AT = 100_000;
/** Small batches keep a million-finding diff under 256 MB: each batch dies young. */
export const DUMP_SPILL_AT = 4_000;

/**
 * The finding as JSON.stringify writes it, with the Dates and Decimals of its evidence already the
 * strings their toJSON gives (ISO-8601 for a Date, null for an invalid one; a Decimal's text). V8
 * calls an object's toJSON on its slow path, which was most of the time stringifying the scale set's
 * findings took.
 */
export function jsonReady(finding: Finding): Finding {
  const evidence = finding.evidence;
  let copy: Record<string, unknown> | undefined;
  for (const key in evidence) {
    const value = evidence[key];
    if (typeof value !== 'object' || value === null) continue;
    if (value instanceof Date) {
      copy ??= { ...evidence };
      copy[key] = Number.isNaN(value.getTime()) ? null : isoText(value);
    } else if (value instanceof Decimal) {
      copy ??= { ...evidence };
      copy[key] = value.toJSON();
    }
  }
  return copy ? { ...finding, evidence: copy } : finding;
}

/**
 * Each finding's text in the JSON report, made when the finding was stored (while the run still reads
 * rows, with the finding just built): its object indented at the findings' depth, without its closing
 * brace, since its problem is tagged later (see renderJson). Keyed by the finding itself: a copy has none.
 */
const preparedJson = new WeakMap<Finding, string>();

const PREPARED_PREFIX = '{\n  "x": [\n    ';
/** A finding's closing brace: the only line of its text indented as the finding itself is (deeper lines are indented further, and a string's newline is escaped). */
const PREPARED_CLOSE = '\n    }';
const PREPARED_SEPARATOR = ',\n    ';

/** A finding's prepared JSON text (see preparedJson), if it has one. */
export const preparedJsonOf = (finding: Finding): string | undefined => preparedJson.get(finding);

/**
 * Makes the findings' JSON text now, in one JSON.stringify cut at each finding's closing brace (one
 * large string, which the garbage collector does not copy, instead of one per finding). A finding
 * with a problem already, or a text already, is left as it is.
 */
export function prepareJson(findings: readonly Finding[]): void {
  // In batches, as renderJson stringifies those it writes: one JSON.stringify of a query's every finding was slower.
  for (let i = 0; i < findings.length; i += PREPARE_BATCH) prepareBatch(findings.slice(i, i + PREPARE_BATCH));
}

export const PREPARE_BATCH = 256;

function prepareBatch(findings: readonly Finding[]): void {
  const fresh = findings.filter((f) => !('problem' in f) && !preparedJson.has(f));
  if (fresh.length === 0) return;
  const text = JSON.stringify({ x: fresh.map(jsonReady) }, null, 2);
  let start = PREPARED_PREFIX.length;
  for (const f of fresh) {
    const end = text.indexOf(PREPARED_CLOSE, start);
    if (end < 0) return;
    preparedJson.set(f, text.slice(start, end));
    start = end + PREPARED_CLOSE.length + PREPARED_SEPARATOR.length;
  }
}

/** Code-point order (not the locale's): the same on every machine, and fast on a million findings. */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Exchange, then symbol, in code-point order. */
export const comparePairs = (a: { exchange: string; symbol: string }, b: { exchange: string; symbol: string }): number =>
  compareText(a.exchange, b.exchange) || compareText(a.symbol, b.symbol);

/** Severity first, then exchange, symbol and check: the order every format shows. */
export const compareFindings = (a: Finding, b: Finding): number =>
  compareSeverity(a.severity, b.severity) || comparePairs(a, b) || compareText(a.check, b.check);

/**
 * The spill folders of this process's stores, removed at its exit (one listener, however many stores)
 * or by releaseSpills: a process that runs many audits (watch, the tests' in-process runs) would
 * otherwise keep every run's until it ends.
 */
const spillFolders = new Set<string>();
let removedAtExit = false;

/** Removes every store's spill files now: their findings can no longer be read. The CLI calls it once a command's output is written, watch after each run. */
export function releaseSpills(): void {
  for (const dir of spillFolders) rmSync(dir, { recursive: true, force: true });
  spillFolders.clear();
}

/** Collects findings and hands them back sorted (a stable sort: equal findings keep their order). */
export class FindingStore {
  private batch: Finding[] = [];
  private readonly files: string[] = [];
  private dir: string | undefined;
  private count = 0;
  /** How many of batch's findings have been prepared (or passed over), when the store prepares. */
  private preparedTo = 0;

  /**
   * transform: applied to each finding as it is added (the configured severity overrides). compare:
   * the order handed back (the table's grouping orders by position first).
   */
  constructor(
    private spillAt = SPILL_AT,
    private readonly transform: (f: Finding) => Finding = (f) => f,
    private readonly compare: (a: Finding, b: Finding) => number = compareFindings,
    /** 'json': each finding's JSON text is made as it is added (prepareJson), until the store spills. */
    private readonly prepare?: 'json',
  ) {}

  get length(): number {
    return this.count;
  }

  add(finding: Finding): void {
    const f = this.transform(finding);
    this.batch.push(f);
    this.count += 1;
    // Prepared a batch at a time (one JSON.stringify per finding cost more than it saved at the end).
    if (this.prepare && this.files.length === 0 && this.batch.length - this.preparedTo >= PREPARE_BATCH) {
      prepareJson(this.batch.slice(this.preparedTo));
      this.preparedTo = this.batch.length;
    }
    if (this.batch.length >= this.spillAt) this.spill();
  }

  /**
   * The findings added from here on are bounded by the database, not by a dump (diff's open positions
   * and database checks, after the dump's stops): they are kept in memory up to SPILL_AT, as check
   * keeps its own, so a dump with few findings of its own is never sorted on disk.
   */
  boundedFromHere(): void {
    this.spillAt = Math.max(this.spillAt, SPILL_AT);
  }

  /** The private folder its spill files are in, once it has spilled. */
  get folder(): string | undefined {
    return this.dir;
  }

  /** Removes the spill files now (the process's exit removes them otherwise). */
  release(): void {
    if (!this.dir) return;
    rmSync(this.dir, { recursive: true, force: true });
    spillFolders.delete(this.dir);
  }

  /** The findings, sorted. The store takes no more after this. */
  finish(): Findings {
    if (this.files.length === 0) return this.batch.sort(this.compare);
    if (this.batch.length > 0) this.spill();
    return new SpilledFindings([...this.files], this.count, this.compare);
  }

  private spill(): void {
    if (!this.dir) {
      this.dir = mkdtempSync(join(tmpdir(), 'ts-audit-findings-'));
      spillFolders.add(this.dir);
      if (!removedAtExit) process.once('exit', releaseSpills);
      removedAtExit = true;
    }
    const file = join(this.dir, `${this.files.length}.ndjson`);
    const fd = openSync(file, 'w', 0o600);
    try {
      const sorted = this.batch.sort(this.compare);
      for (let i = 0; i < sorted.length; i += 1000) {
        writeSync(
          fd,
          sorted
            .slice(i, i + 1000)
            .map((f) => `${JSON.stringify(jsonReady(f))}\n`)
            .join(''),
        );
      }
    } finally {
      closeSync(fd);
    }
    this.files.push(file);
    this.batch = [];
    this.preparedTo = 0;
  }
}

/**
 * Sorted runs on disk, merged as they are read. A finding read back is the JSON of the one written:
 * times are ISO strings and decimals strings, exactly as every format prints them.
 */
class SpilledFindings implements Findings {
  constructor(
    private readonly files: string[],
    readonly length: number,
    private readonly compare: (a: Finding, b: Finding) => number,
  ) {}

  *[Symbol.iterator](): Iterator<Finding> {
    const readers = this.files.map((f) => lineReader(f));
    try {
      // A binary heap of each file's next finding, least first; ties go to the earlier file, so the
      // merge keeps the order the findings were added in.
      type Head = { finding: Finding; file: number };
      const less = (a: Head, b: Head) => {
        const c = this.compare(a.finding, b.finding);
        return c < 0 || (c === 0 && a.file < b.file);
      };
      const heap: Head[] = [];
      const push = (h: Head) => {
        let i = heap.push(h) - 1;
        while (i > 0) {
          const parent = (i - 1) >> 1;
          if (!less(heap[i] as Head, heap[parent] as Head)) break;
          [heap[i], heap[parent]] = [heap[parent] as Head, heap[i] as Head];
          i = parent;
        }
      };
      const pop = (): Head | undefined => {
        const top = heap[0];
        const last = heap.pop();
        if (heap.length > 0 && last) {
          heap[0] = last;
          for (let i = 0; ;) {
            const l = 2 * i + 1;
            const r = l + 1;
            let m = i;
            if (l < heap.length && less(heap[l] as Head, heap[m] as Head)) m = l;
            if (r < heap.length && less(heap[r] as Head, heap[m] as Head)) m = r;
            if (m === i) break;
            [heap[i], heap[m]] = [heap[m] as Head, heap[i] as Head];
            i = m;
          }
        }
        return top;
      };
      readers.forEach((r, file) => {
        const finding = next(r);
        if (finding) push({ finding, file });
      });
      for (let h = pop(); h; h = pop()) {
        yield h.finding;
        const finding = next(readers[h.file] as Generator<string>);
        if (finding) push({ finding, file: h.file });
      }
    } finally {
      for (const r of readers) r.return(undefined);
    }
  }
}

const next = (lines: Generator<string>): Finding | undefined => {
  const r = lines.next();
  return r.done ? undefined : (JSON.parse(r.value) as Finding);
};

/** The lines of a file, read 16 KiB at a time (a character split between reads is joined by the decoder). */
function* lineReader(file: string): Generator<string> {
  const fd = openSync(file, 'r');
  const buffer = Buffer.alloc(1 << 14);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      const chunk = rest + decoder.write(buffer.subarray(0, n));
      const lines = chunk.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line) yield line;
    }
    if (rest) yield rest;
  } finally {
    closeSync(fd);
  }
}
