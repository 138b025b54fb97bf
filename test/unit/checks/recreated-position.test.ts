import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/recreated-position.js';
import { auditCtx } from '../../support/checks.js';

describe('recreated-position', () => {
  it('reports an open position whose symbol traded long before it, info, with the earlier positions', () => {
    const [f] = check.evaluate(
      [
        {
          position_id: 5,
          exchange: 'binance',
          symbol: 'STGUSDT',
          position_created_at: new Date('2025-10-26T10:00:00Z'),
          first_order_at: new Date('2025-10-22T10:00:00Z'),
          earlier_ended_positions: '2',
        },
      ],
      auditCtx(),
    );
    expect(f).toMatchObject({ severity: 'info', positionId: 5, evidence: { earlierBySeconds: 345_600, earlierEndedPositions: 2 } });
    expect(f?.message).toBe('first order 4d before the open position was created; 2 earlier ended positions');
  });

  it('has a --recreated-after threshold of 1h', () => {
    expect(check.thresholds?.map((t) => [t.name, t.parse(t.default)])).toEqual([['recreatedAfter', 3600]]);
  });
});
