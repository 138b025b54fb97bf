import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/lost-at-restart.js';
import { NOW, analysis } from '../../support/checks.js';

describe('lost-at-restart', () => {
  it('reports a symbol a restart in the logs did not restore, with how often and the last outcome', () => {
    const [f] = check.evaluate(analysis({ restoreLosses: [{ symbol: 'RADUSDT', restarts: 2, lastAt: NOW, lastOutcome: 'createdNew' }] }));
    expect(f).toMatchObject({ check: 'lost-at-restart', severity: 'high', evidence: { restarts: 2, lastOutcome: 'createdNew' } });
    expect(f?.message).toBe('not restored at 2 restarts; at the last one (2025-10-26 16:40:00 UTC): created new');
  });
});
