import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/lifecycle-orphaned.js';
import { auditCtx } from '../../support/checks.js';
import { lcRow } from '../../support/lifecycles.js';

describe('lifecycle-orphaned', () => {
  it('info for a lifecycle in position without an open position; not for one waiting to re-enter, nor one with its position', () => {
    const ghost = lcRow({ symbol: 'GHOSTUSDT', state: 'in_position', last_position_id: 8 });
    expect(check.evaluate([ghost, lcRow(), lcRow({ state: 'in_position', has_open_position: true })], auditCtx())).toEqual([
      expect.objectContaining({
        severity: 'info',
        symbol: 'GHOSTUSDT',
        message: expect.stringMatching(/last position \(#8\) is closed: a restart rebuilds it/),
      }),
    ]);
    expect(check.evaluate([lcRow({ state: 'in_position', last_position_id: null, last_position_status: null })], auditCtx())[0]?.message).toMatch(
      /no position at all/,
    );
  });
});
