import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/save-failure.js';
import type { SaveFailure } from '../../../src/logs/analyze.js';
import { NOW, analysis } from '../../support/checks.js';

const failure = (extra: Partial<SaveFailure>): SaveFailure => ({
  symbol: 'RADUSDT',
  count: 2,
  first: NOW,
  last: NOW,
  kinds: { 'save-failed': 2 },
  recoveredAt: null,
  example: 'line',
  loss: 'unknown',
  ...extra,
});

describe('save-failure', () => {
  it('is critical when the stop never got a row, was activated, or the logs cannot tell', () => {
    for (const loss of ['never-saved', 'activated', 'unknown'] as const) {
      expect(check.evaluate(analysis({ saveFailures: [failure({ loss })] }))[0]).toMatchObject({ severity: 'critical', exchange: 'bybit', evidence: { loss } });
    }
  });

  it('is high when only updates failed or a retry saved it, and says which', () => {
    const [updates] = check.evaluate(analysis({ saveFailures: [failure({ loss: 'updates-only' })] }));
    expect(updates).toMatchObject({ severity: 'high' });
    expect(updates?.message).toMatch(/2 failed saves \(save failed 2\).*only updates of an existing row failed/);
    const [retried] = check.evaluate(analysis({ saveFailures: [failure({ loss: 'never-saved', recoveredAt: NOW })] }));
    expect(retried).toMatchObject({ severity: 'high' });
    expect(retried?.message).toMatch(/saved on retry/);
  });

  it("says when the symbol's exchange is not known from the log", () => {
    const [f] = check.evaluate(analysis({ saveFailures: [failure({ symbol: 'ZZZUSDT' })] }));
    expect(f).toMatchObject({ exchange: '-' });
    expect(f?.message).toMatch(/exchange unknown from the log/);
  });
});
