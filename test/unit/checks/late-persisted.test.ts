import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/late-persisted.js';
import { auditCtx } from '../../support/checks.js';

const row = {
  position_id: 1,
  exchange: 'bybit',
  symbol: 'RADUSDT',
  opened_at: new Date('2025-10-26T13:05:54Z'),
  stop_created_at: new Date('2025-10-26T16:30:34Z'),
};

describe('late-persisted', () => {
  it('reports rows the query marked late, medium, with the lag and the --late-after in force', () => {
    const findings = check.evaluate(
      [
        { ...row, lag_seconds: '12280', late: true },
        { ...row, symbol: 'ONTIME', lag_seconds: '2', late: false },
      ],
      auditCtx({ thresholds: { lateAfter: 600 } }),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'medium', evidence: { lagSeconds: 12_280 } });
    expect(findings[0]?.message).toBe('stop row created 3h 24m after its position opened (more than 10m)');
  });

  it('has a --late-after threshold of 5m binding late_after_seconds', () => {
    const [t] = check.thresholds ?? [];
    expect(t?.name).toBe('lateAfter');
    expect(t?.parse(t.default)).toBe(300);
    expect(t?.params?.(300)).toEqual({ late_after_seconds: 300 });
  });
});
