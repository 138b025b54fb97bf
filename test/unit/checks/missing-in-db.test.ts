import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/missing-in-db.js';
import { dec, diffCtx, position, row, stop } from '../../support/checks.js';

describe('missing-in-db', () => {
  it('reports a memory stop with no row, critical when activated, high otherwise', () => {
    expect(check.evaluate({ stop: stop({ state: 'active', highestPrice: dec('1.2') }), position: position(), dumpHasExchange: true }, diffCtx())).toMatchObject(
      {
        check: 'missing-in-db',
        severity: 'critical',
        positionId: 7,
        evidence: { memory: { isActivated: true, peak: dec('1.2') }, positionOpen: true },
      },
    );
    expect(check.evaluate({ stop: stop(), dumpHasExchange: true }, diffCtx())).toMatchObject({
      severity: 'high',
      positionId: null,
      evidence: { positionOpen: false },
    });
  });

  it('says nothing when the row exists or memory holds no stop', () => {
    expect(check.evaluate({ stop: stop(), row: row(), position: position(), dumpHasExchange: true }, diffCtx())).toBeNull();
    expect(check.evaluate({ position: position(), dumpHasExchange: true }, diffCtx())).toBeNull();
  });
});
