import { describe, expect, it } from 'vitest';
import { parseIsoTime, parseZonedTime } from '../../src/time.js';

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
