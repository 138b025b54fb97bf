import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/lifecycle-reset.js';
import { Decimal } from '../../../src/decimal.js';
import { stopKey } from '../../../src/checks/types.js';
import { auditCtx } from '../../support/checks.js';
import { LC_NOW, lcPosition } from '../../support/lifecycles.js';

const ctx = (extra = {}) => auditCtx({ now: LC_NOW, ...extra });
const one = (row = lcPosition(), c = ctx()) => check.evaluate([row], c);

describe('lifecycle-reset', () => {
  it('critical when the prices since the open reached activation and the row is disarmed, with both peaks and exits exact', () => {
    const [f] = one(lcPosition({ journal_peak: '1.155', journal_ticks: '4' }));
    expect(f).toMatchObject({
      severity: 'critical',
      positionId: 1,
      evidence: { reason: 'latch-reset', onRestart: 'exit peak 1.155 -> 1, latch armed -> disarmed' },
    });
    expect(String(f?.evidence.exitFromPeak)).toBe('1.12035');
    expect(String(f?.evidence.exitFromRow)).toBe('0.97');
    expect(f?.message).toMatch(/reached 1\.155 \(position_updated events since the open\), at or above the activation price 1\.1/);
  });

  it('critical on the stop row or positions.trailing_activated alone, even without a price above activation', () => {
    expect(one(lcPosition({ stop_activated: true }))[0]?.severity).toBe('critical');
    expect(one(lcPosition({ position_trailing_activated: true }))[0]?.severity).toBe('critical');
  });

  it('activation is at or above entry x (1 + base_activation / 100), exactly', () => {
    expect(one(lcPosition({ journal_peak: '1.1' }))[0]?.severity).toBe('critical');
    expect(one(lcPosition({ journal_peak: '1.09999999' }))[0]?.severity).toBe('info');
  });

  it('high when the row is armed but the peak since the open is above its max_price', () => {
    const [f] = one(lcPosition({ ts_activated: true, max_price: '1.10000000', stop_peak: '1.2', journal_peak: '1.19' }));
    expect(f).toMatchObject({ severity: 'high', evidence: { reason: 'peak-reset', peakSource: 'the stop row (trailing_stop_state.highest_price)' } });
    expect(String(f?.evidence.exitFromPeak)).toBe('1.164');
  });

  it('takes the highest source as the peak, the first of memory, the journal, the stop row and the current price on a tie', () => {
    const source = (row: object, c = ctx()) => one(lcPosition({ ts_activated: true, max_price: '1', ...row }), c)[0]?.evidence;
    expect(source({ journal_peak: '1.2', stop_peak: '1.20000', current_price: '1.2' })).toMatchObject({ peakSource: 'position_updated events since the open' });
    expect(String(source({ journal_peak: '1.2', stop_peak: '1.20000' })?.peak)).toBe('1.2');
    expect(source({ journal_peak: '1.1', stop_peak: '1.15', current_price: '1.150' })).toMatchObject({
      peakSource: 'the stop row (trailing_stop_state.highest_price)',
    });
    expect(source({ journal_peak: '1.1', stop_peak: '1.15', current_price: '1.16' })).toMatchObject({ peakSource: 'positions.current_price' });
    const key = stopKey('binance', 'PEAKAUSDT');
    // A log's lifecycle (not exact): the database's sources still count, memory first on a tie.
    const log = ctx({
      lifecycles: new Map([[key, { exchange: 'binance', symbol: 'PEAKAUSDT', maxPrice: Decimal.of('1.2'), source: 'the log', exact: false }]]),
    });
    expect(source({ journal_peak: '1.2', stop_peak: '1.1' }, log)).toMatchObject({ peakSource: 'the log' });
    expect(source({ journal_peak: '1.25' }, log)).toMatchObject({ peakSource: 'position_updated events since the open' });
  });

  it('info for a lost peak below activation, nothing when the row holds the peak', () => {
    expect(one(lcPosition({ current_price: '1.05' }))[0]).toMatchObject({ severity: 'info', evidence: { reason: 'peak-below-activation' } });
    expect(one(lcPosition({ journal_peak: '0.99' }))).toEqual([]);
    expect(one(lcPosition())).toEqual([]);
  });

  it("believes a dump's lifecycle over the database's evidence", () => {
    const key = stopKey('binance', 'PEAKAUSDT');
    const dump = (tsActivated: boolean, max: string) =>
      ctx({
        lifecycles: new Map([[key, { exchange: 'binance', symbol: 'PEAKAUSDT', tsActivated, maxPrice: Decimal.of(max), source: 'the dump', exact: true }]]),
      });
    expect(one(lcPosition({ journal_peak: '1.155', stop_activated: true }), dump(false, '1'))).toEqual([]);
    const [f] = one(lcPosition(), dump(true, '1.2'));
    expect(f?.message).toMatch(/the dump says ts_activated = true/);
    expect(String(f?.evidence.peak)).toBe('1.2');
  });

  it('leaves rows without a lifecycle in position to lifecycle-missing, and ignores a strategy parameter that is not a number', () => {
    expect(one(lcPosition({ lifecycle_id: null, lifecycle_state: null }))).toEqual([]);
    expect(one(lcPosition({ lifecycle_state: 'reentry_wait' }))).toEqual([]);
    // No activation percent: nothing says where activation is, but the stop row says it happened.
    expect(one(lcPosition({ base_activation: null, journal_peak: '5' }))[0]?.severity).toBe('info');
  });
});
