import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/field-drift.js';
import { dec, diffCtx, position, row, stop } from '../../support/checks.js';

const judge = (s: Parameters<typeof stop>[0], r: Parameters<typeof row>[0] = {}, p: Parameters<typeof position>[0] = {}) =>
  check.evaluate({ stop: stop(s), row: row(r), position: position(p), dumpHasExchange: true }, diffCtx());

describe('field-drift', () => {
  it('says nothing when the fields the dump gives agree at the column scale', () => {
    expect(judge({ entryPrice: dec('1'), highestPrice: dec('1.010000004') })).toBeNull();
  });

  it('is critical when memory is activated and the row is not', () => {
    expect(judge({ state: 'active', isActivated: true })).toMatchObject({ severity: 'critical' });
  });

  it('is critical when the row is on the other side from its position, high for an entry price, low for update_count alone, medium otherwise', () => {
    expect(judge({ side: 'long' }, { side: 'short' })).toMatchObject({ severity: 'critical' });
    expect(judge({ entryPrice: dec('1.1') })).toMatchObject({ severity: 'high', evidence: { fields: [{ field: 'entry_price', memory: '1.1', db: '1' }] } });
    expect(judge({ updateCount: 4 })).toMatchObject({ severity: 'low' });
    expect(judge({ activationPrice: dec('1.03') })).toMatchObject({ severity: 'medium' });
  });

  it('is high when an activated stop is ahead of its row, with what a restart loses', () => {
    const f = judge({ state: 'active', highestPrice: dec('1.05') }, { state: 'active', is_activated: true, highest_price: '1.04000000' });
    expect(f).toMatchObject({ severity: 'high', evidence: { restartLoses: { highest_price: '0.01' } } });
  });

  it('lists a non-finite row value as it is stored', () => {
    expect(judge({ highestPrice: dec('1.01') }, { highest_price: 'NaN' })?.evidence.fields).toEqual([{ field: 'highest_price', memory: '1.01', db: 'NaN' }]);
  });
});
