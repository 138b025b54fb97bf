// RowFeed: a query's rows judged as they arrive (diff's lifecycle rows while the server still works).
import { describe, expect, it } from 'vitest';
import { DB_CHECKS } from '../../src/checks/index.js';
import { RowFeed } from '../../src/run/rows.js';
import { auditCtx } from '../support/checks.js';
import { LC_NOW, lcPosition } from '../support/lifecycles.js';

/** A query that is still running: rows pushed by the test, answered when it says. */
function pending<T>() {
  let answer!: (rows: T[]) => void;
  let fail!: (err: Error) => void;
  const query = new Promise<T[]>((resolve, reject) => {
    answer = resolve;
    fail = reject;
  });
  return { query, answer, fail };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('RowFeed', () => {
  it('hands rows out while the query still runs, in arrival order, each once', async () => {
    const feed = new RowFeed<number>();
    const q = pending<number>();
    feed.follow(q.query);
    const seen: number[] = [];
    const consumer = (async () => {
      for await (const batch of feed.batches()) seen.push(...batch);
    })();
    const all = Array.from({ length: 1000 }, (_, i) => i);
    for (const row of all.slice(0, 600)) feed.push(row);
    await tick();
    await tick();
    // Judged before the query answered: the first full batches are out.
    expect(seen.length).toBeGreaterThanOrEqual(256);
    expect(seen).toEqual(all.slice(0, seen.length));
    for (const row of all.slice(600)) feed.push(row);
    q.answer(all);
    await consumer;
    expect(seen).toEqual(all);
    expect(feed.rows).toEqual(all);
  });

  it('rows a query answered without pushing (a snapshot that answered it before) come out whole', async () => {
    const feed = new RowFeed<string>().follow(Promise.resolve(['a', 'b', 'c']));
    const seen: string[] = [];
    for await (const batch of feed.batches()) seen.push(...batch);
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it("throws the query's error, after the rows it had judged", async () => {
    const feed = new RowFeed<number>();
    const q = pending<number>();
    feed.follow(q.query);
    for (let i = 0; i < 300; i++) feed.push(i);
    const seen: number[] = [];
    const consumer = (async () => {
      for await (const batch of feed.batches()) seen.push(...batch);
    })();
    await tick();
    q.fail(new Error('canceling statement due to statement timeout'));
    await expect(consumer).rejects.toThrow(/statement timeout/);
    expect(seen.length).toBeLessThan(300);
  });
});

describe('checks that judge each row on its own (byRow)', () => {
  // Every kind of lifecycle row the checks tell apart: in position (armed, peaked, kept), missing, not in position, young.
  const rows = [
    lcPosition({ symbol: 'A', journal_peak: '1.155', journal_ticks: '4' }),
    lcPosition({ symbol: 'B', stop_activated: true }),
    lcPosition({ symbol: 'C', ts_activated: true, max_price: '1.10000000', stop_peak: '1.2' }),
    lcPosition({ symbol: 'D', journal_peak: '1.05' }),
    lcPosition({ symbol: 'E' }),
    lcPosition({ symbol: 'F', lifecycle_id: null, lifecycle_state: null, max_price: null, base_activation: null, base_callback: null }),
    lcPosition({ symbol: 'G', lifecycle_state: 'reentry_wait' }),
    lcPosition({ symbol: 'H', lifecycle_id: null, lifecycle_state: null, opened_at: new Date(LC_NOW.getTime() - 10_000) }),
  ];
  const byRow = DB_CHECKS.filter((c) => c.byRow);

  it('are the lifecycle checks of open positions', () => {
    expect(byRow.map((c) => c.id).sort()).toEqual(['lifecycle-missing', 'lifecycle-reset']);
  });

  it.each(byRow.map((c) => [c.id, c] as const))('%s: rows one at a time make the findings all of them make at once', (_id, check) => {
    const ctx = auditCtx({ now: LC_NOW });
    const whole = check.evaluate(rows, ctx);
    expect(whole.length).toBeGreaterThan(1);
    expect(rows.flatMap((r) => check.evaluate([r], ctx))).toEqual(whole);
  });
});
