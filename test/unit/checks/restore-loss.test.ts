import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/restore-loss.js';
import type { RestoreRow } from '../../../src/db/rows.js';
import { auditCtx, stop } from '../../support/checks.js';

const row = (extra: Partial<RestoreRow>): RestoreRow => ({
  position_id: 1,
  exchange: 'bybit',
  symbol: 'RADUSDT',
  outcome: 'created-new',
  reason: 'no row for (symbol, exchange)',
  restored_state: null,
  stop_position_id: null,
  position_entry_price: '1',
  stop_entry_price: null,
  entry_mismatch: false,
  stale_link: false,
  position_side: 'long',
  stop_side: null,
  ...extra,
});

describe('restore-loss', () => {
  it('reports every open position a restart would not restore, high', () => {
    const findings = check.evaluate(
      [
        row({}),
        row({ symbol: 'B', outcome: 'deleted-and-recreated', reason: 'row side differs' }),
        row({ symbol: 'C', outcome: 'restored', restored_state: 'waiting' }),
      ],
      auditCtx(),
    );
    expect(findings.map((f) => [f.symbol, f.severity])).toEqual([
      ['RADUSDT', 'high'],
      ['B', 'high'],
    ]);
    expect(findings[0]?.message).toBe('a restart would create a new stop: no row for (symbol, exchange)');
  });

  it('is critical with a dump whose stop is activated, also when the row would come back inactive', () => {
    const memory = new Map([
      ['bybit\u0000RADUSDT', stop({ state: 'active' })],
      ['bybit\u0000C', stop({ symbol: 'C', state: 'active' })],
    ]);
    const findings = check.evaluate([row({}), row({ symbol: 'C', outcome: 'restored', restored_state: 'waiting' })], auditCtx({ memory }));
    expect(findings.map((f) => [f.symbol, f.severity])).toEqual([
      ['RADUSDT', 'critical'],
      ['C', 'critical'],
    ]);
  });
});
