import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/allowlist-expired.js';

describe('allowlist-expired', () => {
  it('reports each expired entry, low, with what it suppressed and why', () => {
    const [f, g] = check.evaluate([
      { check: 'orphaned-stop', symbol: 'OLDUSDT', reason: 'audit trail', expires: new Date('2026-01-01') },
      { check: 'stale-stop', exchange: 'bybit', symbol: 'X', reason: 'known', expires: new Date('2026-02-01') },
    ]);
    expect(f).toMatchObject({ check: 'allowlist-expired', severity: 'low', exchange: '*', symbol: 'OLDUSDT' });
    expect(f?.message).toBe('allowlist entry for orphaned-stop expired on 2026-01-01 and no longer suppresses it (reason was: audit trail)');
    expect(g?.exchange).toBe('bybit');
  });
});
