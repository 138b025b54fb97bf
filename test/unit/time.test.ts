import { describe, expect, it } from 'vitest';
import { isoText, parseIsoTime, parseZonedTime } from '../../src/time.js';

describe('parseIsoTime', () => {
  it('reads the forms bots write, to the millisecond', () => {
    expect(parseZonedTime('2025-10-26T16:30:34.973701+00:00')).toEqual(new Date('2025-10-26T16:30:34.973Z'));
    expect(parseZonedTime('2025-10-26T20:30:34+04:00')).toEqual(new Date('2025-10-26T16:30:34Z'));
    expect(parseZonedTime('2025-10-26 19:30:34.5+0300')).toEqual(new Date('2025-10-26T16:30:34.500Z'));
    expect(parseZonedTime('2025-10-26T16:30Z')).toEqual(new Date('2025-10-26T16:30:00Z'));
    expect(parseZonedTime('2025-10-26T12:30:34-04')).toEqual(new Date('2025-10-26T16:30:34Z'));
  });

  it('tells a zoneless time apart instead of guessing its zone', () => {
    expect(parseIsoTime('2025-10-26T16:30:34')).toEqual({ date: new Date('2025-10-26T16:30:34Z'), zoned: false });
    expect(parseZonedTime('2025-10-26T16:30:34')).toBeNull();
  });

  it('refuses what is not a real time', () => {
    for (const bad of [
      'yesterday',
      '2025-02-30T00:00:00Z',
      '2025-13-01T00:00:00Z',
      '2025-10-26T24:00:00Z',
      '2025-10-26T16:61:00Z',
      '2025-10-26T16:00:00+25:00',
      '26/10/2025',
    ]) {
      expect(parseIsoTime(bad), bad).toBeNull();
    }
  });
});

describe('isoText', () => {
  it('writes what toISOString writes, at the edges of days, months, leap years and its range', () => {
    const edges = [
      0,
      1,
      999,
      1000,
      86_399_999,
      86_400_000,
      Date.UTC(2000, 1, 29, 23, 59, 59, 999),
      Date.UTC(2000, 2, 1),
      Date.UTC(1900 + 200, 1, 28, 12),
      Date.UTC(2024, 11, 31, 23, 59, 59, 999),
      Date.UTC(2025, 0, 1),
      Date.UTC(2100, 1, 28, 23, 59, 59, 999),
      Date.UTC(2100, 2, 1),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      // Outside its own range: left to toISOString (before 1970, a six-digit year from 10000 on).
      -1,
      Date.UTC(1969, 11, 31, 23, 59, 59, 999),
      Date.UTC(1000, 0, 1),
      Date.UTC(10_000, 0, 1),
      -62_198_755_200_000,
    ];
    for (const t of edges) expect(isoText(new Date(t)), String(t)).toBe(new Date(t).toISOString());
  });

  it('writes what toISOString writes for any instant between 1970 and 9999', () => {
    // A fixed sequence (a linear congruential one), so a failure names the same instants every run.
    let seed = 26;
    const wrong: string[] = [];
    for (let i = 0; i < 200_000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      const t = Math.floor((seed / 2_147_483_648) * 253_402_300_800_000) + (i % 1000);
      const d = new Date(t);
      if (isoText(d) !== d.toISOString()) wrong.push(`${t}: ${isoText(d)}`);
    }
    expect(wrong).toEqual([]);
  });
});
