import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/missing-in-memory.js';
import { diffCtx, position, row, stop } from '../../support/checks.js';

describe('missing-in-memory', () => {
  it('reports a row of an open position that memory does not hold, info when created after the dump', () => {
    expect(check.evaluate({ row: row(), position: position(), dumpHasExchange: true }, diffCtx())).toMatchObject({
      severity: 'high',
      positionId: 7,
      evidence: { createdAfterDump: false },
    });
    const newer = row({ created_at: new Date('2025-10-26T16:35:00Z') });
    expect(check.evaluate({ row: newer, position: position(), dumpHasExchange: true }, diffCtx())).toMatchObject({
      severity: 'info',
      evidence: { createdAfterDump: true },
    });
  });

  it('leaves rows of ended positions to the orphan checks, and stops memory holds to the others', () => {
    expect(check.evaluate({ row: row(), dumpHasExchange: true }, diffCtx())).toBeNull();
    expect(check.evaluate({ stop: stop(), row: row(), position: position(), dumpHasExchange: true }, diffCtx())).toBeNull();
  });
});
