import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/lifecycle-reentry-peak.js';
import { auditCtx } from '../../support/checks.js';
import { lcRow } from '../../support/lifecycles.js';

describe('lifecycle-reentry-peak', () => {
  it('info for each lifecycle waiting to re-enter: the re-entry is judged from the exit price after a restart', () => {
    const [f] = check.evaluate([lcRow(), lcRow({ state: 'in_position', symbol: 'X' })], auditCtx());
    expect(f).toMatchObject({ severity: 'info', symbol: 'REENTRYUSDT' });
    expect(f?.message).toMatch(
      /since TRAILING at 4\.40000000: the peak since the exit is in memory only; after a restart the re-entry drop is measured from max_price 4\.40000000/,
    );
    expect(check.evaluate([lcRow({ has_open_position: true })], auditCtx())[0]?.message).toMatch(/forces the lifecycle to in_position/);
  });
});
