import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/unprotected-position.js';
import { auditCtx } from '../../support/checks.js';

describe('unprotected-position', () => {
  it('reports an open position with no row, high, with its age and the flag that claims a stop', () => {
    const [f] = check.evaluate(
      [{ position_id: 2, exchange: 'binance', symbol: 'NOROWUSDT', opened_at: new Date('2025-10-26T16:30:00Z'), has_trailing_stop: true }],
      auditCtx(),
    );
    expect(f).toMatchObject({ severity: 'high', positionId: 2, evidence: { ageSeconds: 600, hasTrailingStop: true } });
    expect(f?.message).toBe('open position has no stop row although has_trailing_stop says it has one');
  });

  it('has no age without an open time, and no claim without the flag', () => {
    const [f] = check.evaluate([{ position_id: 2, exchange: 'binance', symbol: 'NOROWUSDT', opened_at: null, has_trailing_stop: null }], auditCtx());
    expect(f?.evidence.ageSeconds).toBeNull();
    expect(f?.message).toBe('open position has no stop row');
  });
});
