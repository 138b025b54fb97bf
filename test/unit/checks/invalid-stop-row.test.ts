import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/invalid-stop-row.js';
import { auditCtx, row } from '../../support/checks.js';

const invalid = {
  stop_id: '1',
  exchange: 'bybit',
  symbol: 'ZEROCBUSDT',
  stop_position_id: '3',
  state: 'active',
  side: 'long',
  is_activated: true,
  entry_price: '1.00000000',
  highest_price: '1.10000000',
  lowest_price: '999999.00000000',
  current_stop_price: '1.10000000',
  activation_price: '1.02000000',
  quantity: '1.00000000',
  callback_percent: '0.0000',
};

describe('invalid-stop-row', () => {
  it('gives one finding per reason the query found, high', () => {
    const findings = check.evaluate([{ ...invalid, reasons: ['zero-callback', 'legacy-case'] }], auditCtx());
    expect(findings.map((f) => [f.severity, f.evidence.reason])).toEqual([
      ['high', 'zero-callback'],
      ['high', 'legacy-case'],
    ]);
    expect(findings[0]?.evidence).toMatchObject({ callbackPercent: '0', entryPrice: '1' });
  });

  it('names the non-finite columns, from its query and from a row diff read', () => {
    const [f] = check.evaluate([{ ...invalid, highest_price: 'NaN', reasons: ['non-finite'] }], auditCtx());
    expect(f?.message).toMatch(/NaN or Infinity.*\(highest_price NaN\)/);
    expect(f?.evidence).toMatchObject({ highestPrice: 'NaN' });
    expect(check.evaluateStopRow?.(row({ current_stop_price: 'Infinity' }))).toMatchObject({
      check: 'invalid-stop-row',
      evidence: { reason: 'non-finite', columns: ['current_stop_price'] },
    });
    expect(check.evaluateStopRow?.(row())).toBeNull();
  });
});
