import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/untrailed-position.js';
import { diffCtx, position, row, stop } from '../../support/checks.js';

describe('untrailed-position', () => {
  it('reports an open position with no stop on either side', () => {
    const f = check.evaluate({ position: position(), dumpHasExchange: true }, diffCtx());
    expect(f).toMatchObject({ check: 'untrailed-position', severity: 'high', positionId: 7 });
    expect(f?.message).toBe('open position has no stop in memory and no row: nothing trails it');
  });

  it('says when the dump holds nothing of the exchange, and calls a position newer than the dump info', () => {
    expect(check.evaluate({ position: position(), dumpHasExchange: false }, diffCtx())?.message).toMatch(
      /the dump holds no stop of bybit at all: is it partial\?/,
    );
    const newer = position({ opened_at: new Date('2025-10-26T16:30:00Z') });
    expect(check.evaluate({ position: newer, dumpHasExchange: true }, diffCtx())).toMatchObject({ severity: 'info', evidence: { openedAfterDump: true } });
  });

  it('says nothing when either side has a stop', () => {
    expect(check.evaluate({ position: position(), row: row(), dumpHasExchange: true }, diffCtx())).toBeNull();
    expect(check.evaluate({ position: position(), stop: stop(), dumpHasExchange: true }, diffCtx())).toBeNull();
  });
});
