import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/side-mismatch.js';
import { auditCtx } from '../../support/checks.js';

const row = {
  position_id: 3,
  exchange: 'bybit',
  symbol: 'SIDEBADUSDT',
  position_side: 'Buy',
  stop_side: 'short',
  position_side_norm: 'long',
  stop_side_norm: 'short',
  stop_position_id: '3',
};

describe('side-mismatch', () => {
  it('reports each row the query found, critical, naming both sides', () => {
    const [f] = check.evaluate([row], auditCtx());
    expect(f).toMatchObject({ check: 'side-mismatch', severity: 'critical', positionId: 3, evidence: { positionSideAs: 'long', stopSideAs: 'short' } });
    expect(f?.message).toBe('row side "short" (short) on a long position');
  });

  it('says when the position side is one restore does not know', () => {
    const [f] = check.evaluate([{ ...row, position_side: 'hedge', position_side_norm: null }], auditCtx());
    expect(f?.message).toMatch(/position side "hedge" is not buy\/long\/sell\/short/);
  });
});
