import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/stale-restore.js';
import type { RestoreRow } from '../../../src/db/rows.js';
import { auditCtx } from '../../support/checks.js';

const row = (extra: Partial<RestoreRow>): RestoreRow => ({
  position_id: 12,
  exchange: 'bybit',
  symbol: 'REOPENUSDT',
  outcome: 'restored',
  reason: 'row found, sides agree',
  restored_state: 'active',
  stop_position_id: '11',
  position_entry_price: '2.00000000',
  stop_entry_price: '1.50000000',
  entry_mismatch: true,
  stale_link: true,
  position_side: 'long',
  stop_side: 'long',
  ...extra,
});

describe('stale-restore', () => {
  it("reports a row a restart would restore although it is an earlier position's", () => {
    const [f] = check.evaluate([row({})], auditCtx());
    expect(f).toMatchObject({
      severity: 'high',
      evidence: { entryMismatch: true, staleLink: true, stopPositionId: 11, positionEntryPrice: '2', stopEntryPrice: '1.5' },
    });
    expect(f?.message).toBe('a restart would restore a row of an earlier position (entry 1.5 vs 2; position_id 11 vs 12)');
  });

  it('says nothing of rows that are current or that a restart would not restore', () => {
    expect(check.evaluate([row({ entry_mismatch: false, stale_link: false }), row({ outcome: 'deleted-and-recreated' })], auditCtx())).toEqual([]);
  });
});
