import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/lifecycle-activation-lost.js';
import { analysis } from '../../support/checks.js';

const lost = (extra = {}) => ({
  symbol: 'PEAKAUSDT',
  activatedAt: new Date('2026-03-02T08:45:00Z'),
  peakBefore: '1.155',
  restartAt: new Date('2026-03-02T11:00:00Z'),
  rearmedAt: new Date('2026-03-02T11:20:00Z'),
  peakAfter: '1.101',
  example: 'x',
  ...extra,
});
const log = (lostActivations: object[]) => ({ lifecycles: { persistFailures: [], loadFailures: [], lostActivations, memory: [], restores: [] } }) as never;

describe('lifecycle-activation-lost', () => {
  it('high for a latch re-armed at a lower peak, or not at all; medium when no peak can be compared', () => {
    const [lower, never, unknown] = check.evaluate(
      analysis(log([lost(), lost({ symbol: 'PEAKBUSDT', rearmedAt: null, peakAfter: null }), lost({ symbol: 'OLDUSDT', peakBefore: null, peakAfter: null })])),
    );
    expect(lower).toMatchObject({ severity: 'high', symbol: 'PEAKAUSDT' });
    expect(lower?.message).toMatch(
      /activated at 2026-03-02 08:45:00 UTC \(peak 1\.155\) with no exit before the restart at 2026-03-02 11:00:00 UTC; re-armed at 2026-03-02 11:20:00 UTC at the lower peak 1\.101/,
    );
    expect(never).toMatchObject({ severity: 'high', message: expect.stringMatching(/not re-armed since in the log/) });
    expect(unknown?.severity).toBe('medium');
    expect(check.evaluate(analysis())).toEqual([]);
  });
});
