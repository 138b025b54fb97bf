// Appending and extremes one value at a time (src/arrays.ts): the same results as push(...xs),
// Math.max(...xs) and Math.min(...xs), without their limit on how many values a call can take; and
// the reporters that took such values, given more than a call can take.
import { describe, expect, it } from 'vitest';
import { maxOf, minOf, pushAll } from '../../src/arrays.js';
import { mdCode, mdFence } from '../../src/report/escape.js';
import { REPORTERS } from '../../src/report/index.js';
import { savedReport } from '../support/saved-reports.js';

const MANY = 500_000;

describe('arrays', () => {
  it('appends every item in order, from an array or any iterable, to the array given', () => {
    const target = [1, 2];
    expect(pushAll(target, [3, 4])).toBe(target);
    expect(pushAll(target, new Set([5, 6]))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(pushAll([], [])).toEqual([]);
  });

  it('appends more items than a call can take as arguments', () => {
    const items = Array.from({ length: MANY }, (_, i) => i);
    expect(() => [].push(...(items as never[]))).toThrow(RangeError);
    const target = pushAll([-1], items);
    expect(target).toHaveLength(MANY + 1);
    expect(target.at(-1)).toBe(MANY - 1);
  });

  it('gives what Math.max and Math.min give: for none, for NaN among them, for infinities and -0', () => {
    const cases: number[][] = [
      [],
      [3],
      [3, 1, 2],
      [Number.NaN, 1],
      [1, Number.NaN],
      [-0, 0],
      [0, -0],
      [-3, -0],
      [-0, -3],
      [3, 0, -0],
      [3, -0, 0],
      [Number.NEGATIVE_INFINITY],
      [Number.POSITIVE_INFINITY, 5],
    ];
    for (const values of cases) {
      expect(maxOf(values), `max of ${values.join(',')}`).toBe(Math.max(...values));
      expect(minOf(values), `min of ${values.join(',')}`).toBe(Math.min(...values));
    }
  });

  it('finds the extremes of more values than a call can take', () => {
    const values = Array.from({ length: MANY }, (_, i) => (i * 7919) % MANY);
    expect(() => Math.max(...values)).toThrow(RangeError);
    expect(maxOf(values)).toBe(MANY - 1);
    expect(minOf(values)).toBe(0);
  });
});

describe('the reporters, on values with as many parts as a hostile program writes', () => {
  it('fence a symbol or a query of 300,000 backtick runs with a longer run', () => {
    const hostile = `${'`a'.repeat(300_000)}\`\`\``;
    expect(mdCode(hostile).startsWith('````')).toBe(true);
    expect(mdCode(hostile).startsWith('`````')).toBe(false);
    expect(mdFence('sql', hostile)[0]).toBe('````sql');
  });

  it('restore: a table of 150,000 lines is drawn whole (spreading its lines into one call overflowed the stack)', async () => {
    // 15,000 open positions, each reason wrapped onto ten lines.
    const report = savedReport('restore-incident');
    const one = report.details?.restore ?? [];
    const reason = 'a reason of many words '.repeat(20).trim();
    const restore = Array.from({ length: 15_000 }, (_, i) => ({
      ...(one[i % one.length] as (typeof one)[number]),
      symbol: `S${i}USDT`,
      positionId: i + 1,
      reason,
    }));
    const text = [
      ...(await (REPORTERS.table as NonNullable<(typeof REPORTERS)['table']>)(
        { ...report, details: { ...report.details, restore } },
        { colorLevel: 0, width: 100, failOn: 'high', runSeconds: 1, maxRows: 0 },
      )),
    ].join('');
    const lines = text.split('\n');
    expect(lines.filter((l) => /\bS\d+USDT\b/.test(l))).toHaveLength(15_000);
    expect(lines.length).toBeGreaterThan(150_000);
  });
});
