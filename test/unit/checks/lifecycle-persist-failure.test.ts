import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/lifecycle-persist-failure.js';
import { analysis } from '../../support/checks.js';

const failure = (extra = {}) => ({
  symbol: 'NOLCUSDT',
  count: 2,
  first: new Date('2026-03-02T09:00:00Z'),
  last: new Date('2026-03-02T09:00:05Z'),
  activatedAfter: null,
  example: '2026-03-02 13:00:00,200 core.signal_lifecycle ERROR Failed to persist lifecycle for NOLCUSDT: timeout',
  ...extra,
});
const log = (extra = {}) => ({ persistFailures: [], loadFailures: [], lostActivations: [], memory: [], restores: [], ...extra });

describe('lifecycle-persist-failure', () => {
  it('high for a swallowed write, critical when the lifecycle then activated', () => {
    const [high] = check.evaluate(analysis({ lifecycles: log({ persistFailures: [failure()] }) }));
    expect(high).toMatchObject({ severity: 'high', symbol: 'NOLCUSDT', evidence: { reason: 'persist-failed', count: 2 } });
    expect(high?.message).toMatch(/2 failed lifecycle writes between 2026-03-02 09:00:00 UTC and 2026-03-02 09:00:05 UTC, swallowed/);
    const [critical] = check.evaluate(analysis({ lifecycles: log({ persistFailures: [failure({ activatedAfter: new Date('2026-03-02T10:00:00Z') })] }) }));
    expect(critical?.severity).toBe('critical');
    expect(critical?.message).toMatch(/then activated at 2026-03-02 10:00:00 UTC/);
  });

  it('critical for a restart that could not load the lifecycles; nothing for a log without lifecycle lines', () => {
    const [f] = check.evaluate(analysis({ lifecycles: log({ loadFailures: [{ at: new Date('2026-03-02T11:00:00Z'), example: 'x' }] }) }));
    expect(f).toMatchObject({ severity: 'critical', symbol: '*', evidence: { reason: 'load-failed' } });
    expect(check.evaluate(analysis())).toEqual([]);
  });
});
