import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/unsaved-at-creation.js';
import { auditCtx } from '../../support/checks.js';

const row = {
  position_id: 3,
  exchange: 'binance',
  symbol: 'CUSDT',
  opened_at: new Date('2026-03-01T10:00:00Z'),
  created_event_at: new Date('2026-03-01T10:00:01Z'),
  row_created_at: new Date('2026-03-01T12:00:01Z'),
  lag_seconds: '7200',
  saved_by_restart_at: new Date('2026-03-01T12:00:00Z'),
};

describe('unsaved-at-creation', () => {
  it('is medium when a restart saved the row late, with the lag and the restart', () => {
    const [f] = check.evaluate([row], auditCtx());
    expect(f).toMatchObject({ severity: 'medium', positionId: 3, evidence: { lagSeconds: 7200 } });
    expect(f?.message).toBe(
      'created in memory 2026-03-01 10:00:01 UTC per the journal, row created 2026-03-01 12:00:01 UTC: not saved for 2h (written after the restart at 2026-03-01 12:00:00 UTC)',
    );
  });

  it('is high while there is still no row', () => {
    const [f] = check.evaluate([{ ...row, row_created_at: null, lag_seconds: null, saved_by_restart_at: null }], auditCtx());
    expect(f).toMatchObject({ severity: 'high' });
    expect(f?.message).toMatch(/no row since: it exists only in memory, or its creation failed/);
  });
});

describe('unsaved-at-creation, a row a start-up wrote', () => {
  it('says the start-up of the next session wrote it, before its bot_started', () => {
    const [f] = check.evaluate(
      [{ ...row, row_created_at: new Date('2026-03-01T11:59:58Z'), written_by_startup_at: new Date('2026-03-01T12:00:00Z') }],
      auditCtx(),
    );
    expect(f?.message).toMatch(/not saved for 2h \(written by the start-up of the session that began at 2026-03-01 12:00:00 UTC\)$/);
    expect(f?.evidence.writtenByStartup).toBe(true);
  });
});
