import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { parseInt8, parseTextArray, parseTimestamptz } from '../../src/db/types.js';

const reference = pg.types.getTypeParser(1184, 'text') as (text: string) => unknown;
const parse = (text: string) => parseTimestamptz(text, reference);
const time = (v: unknown) => (v instanceof Date ? v.getTime() : v);

describe('parseTimestamptz', () => {
  it('reads what PostgreSQL writes exactly as the default parser does', () => {
    const texts = [
      '2025-10-26 12:05:14+03',
      '2025-10-26 09:05:14+00',
      '2025-10-26 09:05:14.5+00',
      '2025-10-26 09:05:14.123456+00',
      '2025-10-26 09:05:14.000001-05',
      '2025-10-26 14:35:14+05:30',
      '2025-10-26 05:35:14-03:30',
      '1900-01-01 00:00:00+00:53:28',
      '2024-02-29 23:59:59.999999+14',
      '2038-01-19 03:14:08-12',
      '1000-01-01 00:00:00+00',
      '9999-12-31 23:59:59.99+00',
    ];
    // And a spread of instants, written as PostgreSQL writes them in several zones.
    for (let i = 0; i < 2000; i++) {
      const ms = Date.UTC(1990, 0, 1) + Math.floor((((i * 7919) % 2000) / 2000) * 60 * 365.25 * 86_400_000) + i;
      const offsetMinutes = [0, 180, 240, 330, -210, -300, 525][i % 7] as number;
      const local = new Date(ms + offsetMinutes * 60_000).toISOString().replace('T', ' ').replace('Z', '');
      const micros = i % 3 === 0 ? '' : i % 3 === 1 ? `${local.slice(19)}` : `${local.slice(19)}${String(i % 1000).padStart(3, '0')}`;
      const sign = offsetMinutes < 0 ? '-' : '+';
      const abs = Math.abs(offsetMinutes);
      const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${abs % 60 ? `:${String(abs % 60).padStart(2, '0')}` : ''}`;
      texts.push(`${local.slice(0, 19)}${micros}${offset}`);
    }
    for (const text of texts) expect([text, time(parse(text))]).toEqual([text, time(reference(text))]);
    // All of them by position, none through the default parser.
    const refuse = (text: string) => {
      throw new Error(`fell back on ${text}`);
    };
    for (const text of texts) parseTimestamptz(text, refuse);
  });

  it('leaves what it does not read by position to the default parser', () => {
    for (const text of [
      'infinity',
      '-infinity',
      '0099-01-01 00:00:00+00',
      '2025-10-26 09:05:14+00 BC',
      '12025-10-26 09:05:14+00',
      '2025-10-26 09:05:14.+00',
      '2025-10-26T09:05:14Z',
    ]) {
      expect([text, time(parse(text))]).toEqual([text, time(reference(text))]);
    }
  });
});

describe('parseTextArray', () => {
  const reference = (pg.types.getTypeParser as (oid: number, format: 'text') => (text: string) => unknown)(1009, 'text');
  const refuse = (text: string) => {
    throw new Error(`fell back on ${text}`);
  };

  it('splits what PostgreSQL writes without quotes, as the default parser reads it', () => {
    for (const text of [
      '{}',
      '{a}',
      '{has-trailing-stop-without-row,trailing-activated-mismatch}',
      '{NULL}',
      '{a,NULL,b}',
      '{non-finite,entry-price-zero,sentinel-on-tracked-side}',
      '{ÄÖ,日本}',
    ]) {
      expect([text, parseTextArray(text, refuse)]).toEqual([text, reference(text)]);
    }
  });

  it('leaves quoted elements, nested arrays and bounds to the default parser', () => {
    const texts = ['{"a b",c}', '{"",x}', '{"NULL",null}', '{"a,b"}', '{"a\\"b"}', '{"a\\\\b"}', '{{a,b},{c,d}}', '[0:1]={a,b}', '{a,,b}'];
    for (const text of texts) {
      expect([text, parseTextArray(text, reference)]).toEqual([text, reference(text)]);
      expect(() => parseTextArray(text, refuse), text).toThrow(/fell back/);
    }
  });
});

describe('parseInt8', () => {
  it('gives what the default parser gives for any text', () => {
    const reference = pg.types.getTypeParser(20, 'text') as (text: string) => unknown;
    for (const text of ['0', '42', '-42', '9223372036854775807', '-9223372036854775808', '007', ' 1', '1e3', '', 'x']) {
      expect([text, parseInt8(text)]).toEqual([text, reference(text)]);
    }
  });
});
