import { describe, expect, it } from 'vitest';
import { Decimal, parseTolerance, withinTolerance } from '../../src/decimal.js';

const d = Decimal.of;

describe('Decimal', () => {
  it('keeps every digit of a price a double would round', () => {
    expect(d('123456789012.12345678').toString()).toBe('123456789012.12345678');
    expect(d('123456789012.12345678').equals(d('123456789012.12345679'))).toBe(false);
    expect(Number('123456789012.12345678') === Number('123456789012.12345679')).toBe(true); // why this module exists
  });

  it('treats trailing zeros as the same value', () => {
    expect(d('0.1').equals(d('0.10000000'))).toBe(true);
    expect(d('0.10000000').toString()).toBe('0.1');
    expect(d('100').toString()).toBe('100');
    expect(d('0').equals(d('0.000'))).toBe(true);
  });

  it('reads exponents and signs, and rejects what is not a number', () => {
    expect(d('1e-8').toString()).toBe('0.00000001');
    expect(d('1.5E3').toString()).toBe('1500');
    expect(d('-0.5').isNegative()).toBe(true);
    for (const bad of ['abc', '', '.', '1.2.3', '0x10', '1e', 'NaN', 'Infinity']) expect(Decimal.parse(bad)).toBeNull();
    // As PostgreSQL writes a numeric, and the other forms a dump may write: the same value and scale either way.
    for (const [text, coefficient, scale] of [
      ['-12.340', -12340n, 3],
      ['007', 7n, 0],
      ['0.00000000', 0n, 8],
      ['-0', 0n, 0],
      ['5.', 5n, 0],
      ['.5', 5n, 1],
      [' 1.50 ', 150n, 2],
      ['+1', 1n, 0],
      ['12345678901234567890.123456789', 12345678901234567890123456789n, 9],
    ] as const) {
      expect(d(text).coefficient, text).toBe(coefficient);
      expect(d(text).scale, text).toBe(scale);
    }
    for (const bad of ['-', '--1', '1-', '-.', '1..2', '1.2.', '١', '1 2', '+-1']) expect(Decimal.parse(bad), bad).toBeNull();
  });

  it('rounds half away from zero to a column scale, as numeric(20,8) stores it', () => {
    expect(d('0.123456785').round(8).toString()).toBe('0.12345679');
    expect(d('0.123456784').round(8).toString()).toBe('0.12345678');
    expect(d('-0.123456785').round(8).toString()).toBe('-0.12345679');
    expect(d('1.5').round(8).toString()).toBe('1.5');
  });

  it('adds, subtracts and compares exactly', () => {
    expect(d('1.05000001').minus(d('1.05')).toString()).toBe('0.00000001');
    expect(d('1.05').plus(d('0.00000001')).toString()).toBe('1.05000001');
    expect(d('-1.5').plus(d('0.25')).compare(d('-1.25'))).toBe(0);
    expect(d('0.3').compare(d('0.1').minus(d('-0.2')))).toBe(0);
    expect(d('2').compare(d('10'))).toBe(-1);
  });
});

describe('tolerance', () => {
  it('parses an amount or a percentage and refuses negatives', () => {
    expect(parseTolerance('0.0001')).toEqual({ kind: 'absolute', amount: d('0.0001') });
    expect(parseTolerance('0.5%')).toEqual({ kind: 'percent', percent: d('0.5') });
    expect(parseTolerance('-1')).toBeNull();
    expect(parseTolerance('x%')).toBeNull();
  });

  it('compares within an amount, or a share of the larger magnitude', () => {
    expect(withinTolerance(d('1.0001'), d('1'), parseTolerance('0.0001')!)).toBe(true);
    expect(withinTolerance(d('1.00011'), d('1'), parseTolerance('0.0001')!)).toBe(false);
    expect(withinTolerance(d('100.5'), d('100'), parseTolerance('0.5%')!)).toBe(true);
    expect(withinTolerance(d('100'), d('100.5'), parseTolerance('0.5%')!)).toBe(true); // symmetric
    expect(withinTolerance(d('100.6'), d('100'), parseTolerance('0.5%')!)).toBe(false); // 0.5% of 100.6 is 0.503
    expect(withinTolerance(d('101'), d('100'), parseTolerance('0.5%')!)).toBe(false);
  });
});

describe('writtenAs: the text a dump wrote, matched against a row without parsing it', () => {
  it('matches only the exact plain text it was read from', () => {
    const read = Decimal.fromParts(false, '0', '19720000', undefined, '0.19720000');
    expect(read.writtenAs('0.19720000')).toBe(true);
    // The same number written otherwise is left to the decimal comparison.
    expect(read.writtenAs('0.1972')).toBe(false);
    expect(read.writtenAs(null)).toBe(false);
    // Nothing is remembered of an exponent form, or of a decimal not read from a dump.
    expect(Decimal.fromParts(false, '1', '5', '2', '1.5e2').writtenAs('1.5e2')).toBe(false);
    expect(Decimal.of('0.19720000').writtenAs('0.19720000')).toBe(false);
  });
});
