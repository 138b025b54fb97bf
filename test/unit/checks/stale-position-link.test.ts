import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/stale-position-link.js';
import { auditCtx } from '../../support/checks.js';

describe('stale-position-link', () => {
  it('reports a row pointing at another position, or at none', () => {
    const base = {
      position_id: 12,
      exchange: 'bybit',
      symbol: 'REOPENUSDT',
      stop_created_at: new Date('2025-10-20T10:00:00Z'),
      opened_at: new Date('2025-10-26T10:00:00Z'),
    };
    const [linked, unlinked] = check.evaluate(
      [
        { ...base, stop_position_id: '11' },
        { ...base, stop_position_id: null },
      ],
      auditCtx(),
    );
    expect(linked).toMatchObject({ severity: 'medium', positionId: 12, evidence: { stopPositionId: 11, openPositionId: 12 } });
    expect(linked?.message).toBe('row points at position #11, the open position is #12');
    expect(unlinked?.message).toBe('row has no position_id');
  });
});
