import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/orphaned-stop.js';
import { auditCtx } from '../../support/checks.js';

const row = {
  stop_id: '5',
  exchange: 'binance',
  symbol: 'ORPHANUSDT',
  stop_position_id: '40',
  state: 'waiting',
  stop_created_at: new Date('2025-10-20T10:00:00Z'),
  last_update_time: null,
  last_position_id: 40,
  last_position_status: 'closed',
  last_position_closed_at: new Date('2025-10-21T10:00:00Z'),
  last_position_exit_reason: 'sync_cleanup',
};

describe('orphaned-stop', () => {
  it('reports a row with no open position, medium, with how its last position ended', () => {
    const [f] = check.evaluate([row], auditCtx());
    expect(f).toMatchObject({ severity: 'medium', positionId: null, evidence: { lastPosition: { id: 40, status: 'closed', exitReason: 'sync_cleanup' } } });
    expect(f?.message).toBe('row for a symbol with no open position (last position #40 closed)');
  });

  it('says when the symbol never had a position', () => {
    const [f] = check.evaluate(
      [{ ...row, last_position_id: null, last_position_status: null, last_position_closed_at: null, last_position_exit_reason: null }],
      auditCtx(),
    );
    expect(f?.message).toBe('row for a symbol that has no position at all');
    expect(f?.evidence.lastPosition).toBeNull();
  });
});
