import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/creation-failure.js';
import { NOW, analysis } from '../../support/checks.js';

describe('creation-failure', () => {
  it('reports a creation that failed or timed out outside a restart, high: the position trails nothing', () => {
    const findings = check.evaluate(
      analysis({
        creationFailures: [
          { symbol: 'RADUSDT', count: 1, last: NOW, kind: 'failed', example: 'x' },
          { symbol: 'B', count: 1, last: NOW, kind: 'timed-out', example: 'y' },
        ],
      }),
    );
    expect(findings.map((f) => [f.symbol, f.severity, f.evidence.kind])).toEqual([
      ['RADUSDT', 'high', 'failed'],
      ['B', 'high', 'timed-out'],
    ]);
    expect(findings[1]?.message).toMatch(/timed out creating the stop .* trails nothing/);
  });
});
