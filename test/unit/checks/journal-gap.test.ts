import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/journal-gap.js';
import { auditCtx } from '../../support/checks.js';

const row = {
  position_id: 3,
  exchange: 'binance',
  symbol: 'CUSDT',
  opened_at: new Date('2026-03-01T10:00:00Z'),
  started_at: new Date('2026-03-01T14:05:00Z'),
  marker: 'bot_started',
  moment: new Date('2026-03-01T15:00:00Z'),
};

describe('journal-gap', () => {
  it('says memory is unknown for each open position of a session with no event, and marks it uncertain', () => {
    const [f] = check.evaluate([row], auditCtx());
    expect(f).toMatchObject({ severity: 'high', positionId: 3, uncertain: ['memory unknown'], evidence: { sessionStartedAt: row.started_at } });
    expect(f?.message).toMatch(/^memory unknown: the session that started at 2026-03-01 14:05:00 UTC \(bot_started\) has written no event since/);
  });

  it('waits a minute after the start before calling a session silent', () => {
    expect(check.evaluate([{ ...row, moment: new Date('2026-03-01T14:06:00Z') }], auditCtx())).toEqual([]);
  });
});
