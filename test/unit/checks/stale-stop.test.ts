import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/stale-stop.js';
import { auditCtx } from '../../support/checks.js';

describe('stale-stop', () => {
  it('reports each active stop the query found stale, low, with its age against the latest write', () => {
    const [f] = check.evaluate(
      [
        {
          stop_id: '9',
          exchange: 'bybit',
          symbol: 'STALEUSDT',
          stop_position_id: '4',
          last_update_time: new Date('2025-10-26T01:00:00Z'),
          reference_time: new Date('2025-10-26T16:00:00Z'),
          stale_seconds: '54000',
        },
      ],
      auditCtx(),
    );
    expect(f).toMatchObject({ check: 'stale-stop', severity: 'low', positionId: 4, evidence: { staleSeconds: 54_000 } });
    expect(f?.message).toMatch(/15h/);
  });

  it('has a --stale-after threshold of 6h that binds stale_after_seconds', () => {
    const [t] = check.thresholds ?? [];
    expect(t?.parse(t.default)).toBe(21_600);
    expect(t?.params?.(60)).toEqual({ stale_after_seconds: 60 });
    expect(t?.parse('soon')).toBeNull();
  });
});
