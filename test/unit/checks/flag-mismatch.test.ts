import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/flag-mismatch.js';
import { identityKey } from '../../../src/checks/index.js';
import { auditCtx } from '../../support/checks.js';

describe('flag-mismatch', () => {
  it('gives one finding per reason, low, told apart by the reason', () => {
    const findings = check.evaluate(
      [
        {
          position_id: 1,
          exchange: 'bybit',
          symbol: 'X',
          has_trailing_stop: true,
          trailing_activated: true,
          has_row: false,
          row_state: null,
          reasons: ['has-trailing-stop-without-row', 'trailing-activated-mismatch'],
        },
      ],
      auditCtx(),
    );
    expect(findings.map((f) => [f.severity, f.message])).toEqual([
      ['low', 'has_trailing_stop is true but there is no row'],
      ['low', "trailing_activated disagrees with the row's activation"],
    ]);
    expect(new Set(findings.map(identityKey)).size).toBe(2);
  });

  it('needs the optional columns has_trailing_stop and trailing_activated, so it is skipped without them', () => {
    expect(check.needs).toEqual({ positions: ['has_trailing_stop', 'trailing_activated'] });
  });
});
