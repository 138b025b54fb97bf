import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/entry-price-mismatch.js';
import { auditCtx } from '../../support/checks.js';

describe('entry-price-mismatch', () => {
  it("reports the query's rows, high, saying when the bot's own clean-up rule misses them", () => {
    const base = {
      position_id: 1,
      exchange: 'binance',
      symbol: 'MICROUSDT',
      position_entry_price: '0.00001230',
      stop_entry_price: '0.00001200',
      abs_diff: '0.00000030',
      rel_diff_pct: '2.4390',
      stop_position_id: '0',
      stop_created_at: new Date(),
    };
    const [micro, big] = check.evaluate(
      [
        { ...base, caught_by_cleanup_rule: false },
        { ...base, symbol: 'BIG', caught_by_cleanup_rule: true },
      ],
      auditCtx(),
    );
    expect(micro).toMatchObject({
      severity: 'high',
      evidence: { absoluteDifference: '0.0000003', relativeDifferencePct: '2.439', caughtByCleanupRule: false },
    });
    expect(micro?.message).toBe("row entry 0.000012 but position entry 0.0000123 (too small for the bot's own clean-up rule)");
    expect(big?.message).toBe('row entry 0.000012 but position entry 0.0000123');
  });

  it('has absolute and relative tolerances that bind the query parameters', () => {
    const [abs, pct] = check.thresholds ?? [];
    expect(abs?.params?.(abs.parse('0.0001'))).toEqual({ entry_tolerance: '0.0001' });
    expect(pct?.params?.(pct.parse('0.5%'))).toEqual({ entry_tolerance_pct: '0.5' });
    expect(pct?.parse('0.5')).toBe('0.5');
    expect(abs?.parse('1%')).toBeNull();
  });
});
