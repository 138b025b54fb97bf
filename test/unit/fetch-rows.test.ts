// fetchRows: each distinct query once, placed by DbCheck.sendOrder, each sent as soon as the one before
// it answers, and each query's rows handed over while the queries after it are on their way.
import { describe, expect, it } from 'vitest';
import { DB_CHECKS } from '../../src/checks/index.js';
import type { AnyDbCheck, Finding } from '../../src/checks/types.js';
import type { Snapshot } from '../../src/db/snapshot.js';
import { JUDGE_BATCH, evaluateQueryChecksInBatches } from '../../src/run/evaluate.js';
import { fetchRows, inSendOrder } from '../../src/run/rows.js';

/** A snapshot that answers each query with one row naming it, and logs when each is sent and each is handed over. */
function recording() {
  const log: string[] = [];
  const snapshot = {
    run: (name: string) => {
      log.push(`sent ${name}`);
      return Promise.resolve([{ name }]);
    },
  } as unknown as Snapshot;
  return { log, snapshot };
}

/** A snapshot whose queries answer only when the test says so (`answer(name)`), or fail (`fail(name)`). */
function manual() {
  const sent: string[] = [];
  const waiting = new Map<string, { resolve: (rows: object[]) => void; reject: (err: Error) => void }>();
  const snapshot = {
    run: (name: string) => {
      sent.push(name);
      return new Promise<object[]>((resolve, reject) => waiting.set(name, { resolve, reject }));
    },
  } as unknown as Snapshot;
  const settle = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return {
    sent,
    snapshot,
    settle,
    answer: async (name: string) => {
      waiting.get(name)?.resolve([{ name }]);
      await settle();
    },
    fail: async (name: string) => {
      waiting.get(name)?.reject(new Error(`${name} failed`));
      await settle();
    },
  };
}

type Placed = 'first' | 'last';
const check = (query: string, sendOrder?: Placed, extra: Partial<AnyDbCheck> = {}) =>
  ({ id: `c-${query}`, query, ...(sendOrder ? { sendOrder } : {}), ...extra }) as unknown as AnyDbCheck;

describe('fetchRows', () => {
  it('sends the queries placed first, then the others in their order, then those placed last, each once', async () => {
    const { log, snapshot } = recording();
    const checks = [check('a'), check('b'), check('slow', 'last'), check('judged'), check('judged', 'first'), check('c')];
    const rows = await fetchRows(snapshot, checks, {}, (query) => {
      log.push(`handed ${query}`);
    });
    expect(log.filter((l) => l.startsWith('sent'))).toEqual(['sent judged', 'sent a', 'sent b', 'sent c', 'sent slow']);
    // The next query is sent before the rows of the one before it are handed over (their checks run meanwhile).
    expect(log.slice(0, 4)).toEqual(['sent judged', 'sent a', 'handed judged', 'sent b']);
    expect([...rows.keys()].sort()).toEqual(['a', 'b', 'c', 'judged', 'slow']);
    expect(rows.get('c')).toEqual([{ name: 'c' }]);
  });

  it('sends each query as soon as the one before answers, while earlier rows are still being judged', async () => {
    const m = manual();
    let release: () => void = () => undefined;
    const judging = new Promise<void>((resolve) => (release = resolve));
    const handed: string[] = [];
    const done = fetchRows(m.snapshot, [check('a'), check('b'), check('c')], {}, async (query) => {
      handed.push(query);
      if (query === 'a') await judging;
    });
    await m.settle();
    expect(m.sent).toEqual(['a']);
    await m.answer('a');
    expect(m.sent).toEqual(['a', 'b']);
    // a's rows are still being judged: b's answer sends c all the same.
    await m.answer('b');
    expect(m.sent).toEqual(['a', 'b', 'c']);
    expect(handed).toEqual(['a']);
    release();
    await m.answer('c');
    const rows = await done;
    expect(handed).toEqual(['a', 'b', 'c']);
    expect([...rows.keys()]).toEqual(['a', 'b', 'c']);
  });

  it("stops at a failed query: its error is the run's, and nothing after it is sent", async () => {
    const m = manual();
    const done = fetchRows(m.snapshot, [check('a'), check('b'), check('c')], {});
    await m.settle();
    await m.fail('a');
    await expect(done).rejects.toThrow('a failed');
    expect(m.sent).toEqual(['a']);
  });

  it('stops when judging fails: the query in flight settles first, and nothing more is sent', async () => {
    const m = manual();
    let settled = false;
    const done = fetchRows(m.snapshot, [check('a'), check('b'), check('c')], {}, (query) => {
      if (query === 'a') throw new Error('judging a failed');
    }).finally(() => (settled = true));
    await m.settle();
    await m.answer('a');
    expect(m.sent).toEqual(['a', 'b']);
    // b is still on the server: the run waits for it before it reports the failure.
    expect(settled).toBe(false);
    await m.answer('b');
    await expect(done).rejects.toThrow('judging a failed');
    expect(m.sent).toEqual(['a', 'b']);
  });

  it('keeps the order of checks without a place', () => {
    expect(inSendOrder([check('b'), check('a'), check('b'), check('c')])).toEqual(['b', 'a', 'c']);
    expect(inSendOrder([check('x', 'last'), check('x', 'first'), check('y')])).toEqual(['x', 'y']);
    expect(inSendOrder([])).toEqual([]);
  });

  it("sends the lifecycle checks' query first and the pass over the orders last of every query of check", () => {
    const order = inSendOrder([...DB_CHECKS]);
    expect(order[0]).toBe('lifecycle-positions');
    expect(order[order.length - 1]).toBe('recreated-position');
    expect(new Set(order)).toEqual(new Set(DB_CHECKS.map((c) => c.query)));
  });
});

describe('evaluateQueryChecksInBatches', () => {
  const rows = Array.from({ length: JUDGE_BATCH * 2 + 5 }, (_, i) => ({ i }));
  /** A check that reports the size of each set of rows it is given, as one finding. */
  const counting = (query: string, byRow: boolean) =>
    check(query, undefined, {
      ...(byRow ? { byRow: true } : {}),
      evaluate: (given: object[]) => [{ check: `c-${query}`, evidence: { rows: given.length } } as unknown as Finding],
    } as Partial<AnyDbCheck>);
  const sizes = (found: Finding[]) => found.map((f) => (f.evidence as { rows: number }).rows);

  it('hands checks that judge each row on their own a batch at a time, with a turn of the event loop between', async () => {
    const found: Finding[] = [];
    // A callback of the event loop's check phase that schedules itself again: it runs only when the loop turns.
    let turns = 0;
    let handle = setImmediate(function tick() {
      turns += 1;
      handle = setImmediate(tick);
    });
    await evaluateQueryChecksInBatches([counting('q', true), counting('other', true)], 'q', rows, { now: new Date() } as never, (f) => found.push(...f));
    clearImmediate(handle);
    expect(sizes(found)).toEqual([JUDGE_BATCH, JUDGE_BATCH, 5]);
    // The loop turned while the rows were judged: it was not held for the whole query.
    expect(turns).toBeGreaterThanOrEqual(2);
  });

  it('hands every row at once when a check of the query needs them together', async () => {
    const found: Finding[] = [];
    await evaluateQueryChecksInBatches([counting('q', true), counting('q', false)], 'q', rows, { now: new Date() } as never, (f) => found.push(...f));
    expect(sizes(found)).toEqual([rows.length, rows.length]);
  });
});
