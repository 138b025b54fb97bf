// fetchRows: each distinct query once, the ranked ones first (DbCheck.sendRank), and each query's rows
// handed over while the next query is already on its way.
import { describe, expect, it } from 'vitest';
import { DB_CHECKS } from '../../src/checks/index.js';
import type { AnyDbCheck } from '../../src/checks/types.js';
import type { Snapshot } from '../../src/db/snapshot.js';
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

const check = (query: string, sendRank?: 1 | 2) => ({ id: `c-${query}`, query, ...(sendRank ? { sendRank } : {}) }) as unknown as AnyDbCheck;

describe('fetchRows', () => {
  it('sends the ranked queries first by rank, the others in their order, each once', async () => {
    const { log, snapshot } = recording();
    const checks = [check('a'), check('b'), check('slow', 2), check('judged'), check('judged', 1), check('c')];
    const rows = await fetchRows(snapshot, checks, {}, (query) => log.push(`handed ${query}`));
    expect(log.filter((l) => l.startsWith('sent'))).toEqual(['sent judged', 'sent slow', 'sent a', 'sent b', 'sent c']);
    // The next query is sent before the rows of the one before it are handed over (their checks run meanwhile).
    expect(log.slice(0, 4)).toEqual(['sent judged', 'sent slow', 'handed judged', 'sent a']);
    expect([...rows.keys()].sort()).toEqual(['a', 'b', 'c', 'judged', 'slow']);
    expect(rows.get('c')).toEqual([{ name: 'c' }]);
  });

  it('keeps the order of checks without a rank', () => {
    expect(inSendOrder([check('b'), check('a'), check('b'), check('c')])).toEqual(['b', 'a', 'c']);
    expect(inSendOrder([])).toEqual([]);
  });

  it("sends the lifecycle checks' query, then the pass over the orders, ahead of every other query of check", () => {
    const order = inSendOrder([...DB_CHECKS]);
    expect(order.slice(0, 2)).toEqual(['lifecycle-positions', 'recreated-position']);
    expect(new Set(order)).toEqual(new Set(DB_CHECKS.map((c) => c.query)));
  });
});
