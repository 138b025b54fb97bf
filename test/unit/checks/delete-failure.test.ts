import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/delete-failure.js';
import { NOW, analysis } from '../../support/checks.js';

describe('delete-failure', () => {
  it("reports a failed row deletion, medium, noting the bot's false success", () => {
    const [f] = check.evaluate(analysis({ deleteFailures: [{ symbol: 'RADUSDT', count: 1, last: NOW, falseSuccess: true, example: 'line' }] }));
    expect(f).toMatchObject({ check: 'delete-failure', severity: 'medium', exchange: 'bybit', evidence: { falseSuccess: true } });
    expect(f?.message).toMatch(/although the bot then logged it removed from memory AND database: the row stays/);
  });
});
