import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/lifecycle-missing.js';
import { auditCtx } from '../../support/checks.js';
import { LC_NOW, lcPosition } from '../../support/lifecycles.js';

const none = {
  lifecycle_id: null,
  lifecycle_state: null,
  max_price: null,
  ts_activated: null,
  lifecycle_entry_price: null,
  base_activation: null,
  base_callback: null,
};
const ctx = auditCtx({ now: LC_NOW });

describe('lifecycle-missing', () => {
  it('high for an open position with no lifecycle row, saying why ts-audit believes the manager is in use', () => {
    const [f] = check.evaluate(
      [
        lcPosition({
          ...none,
          symbol: 'NOLCUSDT',
          trailing_activation_percent: '10.0000',
          trailing_callback_percent: '3.0000',
          signal_lifecycle: 'bybit NOLCUSDT',
        }),
      ],
      ctx,
    );
    expect(f).toMatchObject({ severity: 'high', symbol: 'NOLCUSDT', evidence: { reason: 'no-row', onRestart: 'no lifecycle: no trailing exit' } });
    expect(f?.message).toMatch(
      /5 lifecycle rows in the table.*strategy's percents \(activation 10\.0000%, callback 3\.0000%\).*a lifecycle row carries its signal 101 \(bybit NOLCUSDT\)/,
    );
  });

  it('high for a row left out of position while the position is open; nothing for a lifecycle in position', () => {
    expect(check.evaluate([lcPosition({ lifecycle_state: 'reentry_wait', max_price: '4.4' })], ctx)[0]).toMatchObject({
      severity: 'high',
      evidence: { reason: 'not-in-position' },
    });
    expect(check.evaluate([lcPosition()], ctx)).toEqual([]);
  });

  it('info for a position opened less than a minute ago', () => {
    expect(check.evaluate([lcPosition({ ...none, opened_at: new Date(LC_NOW.getTime() - 30_000) })], ctx)[0]?.severity).toBe('info');
  });
});
