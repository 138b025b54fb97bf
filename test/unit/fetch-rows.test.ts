// fetchRows: each distinct query once, the lifecycle and recreated-position queries first, and each
// query's rows handed over while the next query is already on its way.
import { describe, expect, it } from 'vitest';
import type { AnyDbCheck } from '../../src/checks/types.js';
import type { Snapshot } from '../../src/db/snapshot.js';
import { fetchRows, inOverlapOrder } from '../../src/run/rows.js';

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

const checksOf = (...queries: string[]) => queries.map((query, i) => ({ id: `c${i}`, query }) as unknown as AnyDbCheck);

describe('fetchRows', () => {
  it('sends lifecycle-positions then recreated-position first, the others in their order, each once', async () => {
    const { log, snapshot } = recording();
    const checks = checksOf('entry-price-mismatch', 'flag-mismatch', 'lifecycle-positions', 'lifecycle-positions', 'recreated-position', 'restore');
    const rows = await fetchRows(snapshot, checks, {}, (query) => log.push(`handed ${query}`));
    expect(log.filter((l) => l.startsWith('sent'))).toEqual([
      'sent lifecycle-positions',
      'sent recreated-position',
      'sent entry-price-mismatch',
      'sent flag-mismatch',
      'sent restore',
    ]);
    // The next query is sent before the rows of the one before it are handed over (their checks run meanwhile).
    expect(log.slice(0, 4)).toEqual(['sent lifecycle-positions', 'sent recreated-position', 'handed lifecycle-positions', 'sent entry-price-mismatch']);
    expect([...rows.keys()].sort()).toEqual(['entry-price-mismatch', 'flag-mismatch', 'lifecycle-positions', 'recreated-position', 'restore']);
    expect(rows.get('restore')).toEqual([{ name: 'restore' }]);
  });

  it('keeps the order of a run without those queries, and puts recreated-position first without lifecycles', () => {
    expect(inOverlapOrder(['b', 'a', 'c'])).toEqual(['b', 'a', 'c']);
    expect(inOverlapOrder(['a', 'recreated-position', 'b'])).toEqual(['recreated-position', 'a', 'b']);
    expect(inOverlapOrder([])).toEqual([]);
  });
});
