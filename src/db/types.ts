// How node-postgres turns the text of a column into a value, for this run's connections.
import type pgModule from 'pg';

const TIMESTAMPTZ = 1184;

const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : Number.NaN;
};
const two = (s: string, i: number): number => digit(s, i) * 10 + digit(s, i + 1);

/**
 * A timestamptz as PostgreSQL writes it with DateStyle ISO (`2025-10-26 12:05:14.123456+03`, an
 * offset of `+HH`, `+HH:MM` or `+HH:MM:SS`), read by position: much faster than the regular
 * expressions of the default parser (postgres-date), which showed in a large diff.
 * Anything else (years before 1000 or after 9999, BC, infinity) goes to `fallback`, the default.
 * Fractions beyond milliseconds are truncated, as the default parser does.
 */
export function parseTimestamptz(text: string, fallback: (text: string) => unknown): unknown {
  const n = text.length;
  if (
    n < 22 ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 32 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58
  )
    return fallback(text);
  const year = two(text, 0) * 100 + two(text, 2);
  const month = two(text, 5);
  const day = two(text, 8);
  const hour = two(text, 11);
  const minute = two(text, 14);
  const second = two(text, 17);
  let i = 19;
  let ms = 0;
  if (text.charCodeAt(i) === 46) {
    let places = 0;
    for (i += 1; i < n && digit(text, i) >= 0; i += 1, places += 1) if (places < 3) ms = ms * 10 + digit(text, i);
    if (places === 0) return fallback(text);
    for (; places < 3; places += 1) ms *= 10;
  }
  const sign = text.charCodeAt(i) === 43 ? 1 : text.charCodeAt(i) === 45 ? -1 : 0;
  if (sign === 0 || i + 3 > n) return fallback(text);
  let offset = two(text, i + 1) * 3600;
  i += 3;
  if (i < n && text.charCodeAt(i) === 58) {
    offset += two(text, i + 1) * 60;
    i += 3;
    if (i < n && text.charCodeAt(i) === 58) {
      offset += two(text, i + 1);
      i += 3;
    }
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms) - sign * offset * 1000;
  if (i !== n || year < 1000 || Number.isNaN(utc)) return fallback(text);
  return new Date(utc);
}

const TEXT_ARRAY = 1009;

/**
 * A one-dimensional text[] whose elements PostgreSQL wrote without quotes (`{a,b,NULL}`: no element
 * holds a quote, comma, brace, backslash or space, is empty or spells NULL in any case), split at its
 * commas; the unquoted NULL PostgreSQL writes for a null element is null, as for the default parser.
 * Anything else (quoted elements, nested arrays, explicit bounds) goes to `fallback`, the default
 * parser, which reads text[] a character at a time (slow on a check's thousands of reasons arrays).
 */
export function parseTextArray(text: string, fallback: (text: string) => unknown): unknown {
  const n = text.length;
  if (n < 2 || text.charCodeAt(0) !== 123 || text.charCodeAt(n - 1) !== 125) return fallback(text);
  const inner = text.slice(1, -1);
  if (inner === '') return [];
  if (/["\\{}\s]/.test(inner)) return fallback(text);
  const items: (string | null)[] = inner.split(',');
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as string;
    if (item === '') return fallback(text);
    if (item === 'NULL') items[i] = null;
  }
  return items;
}

const INT8 = 20;

/**
 * An int8 (bigint, and every count(*)) as its text: what the default parser returns too, for any
 * text, after testing it against /^\d+$/ (it returns the text either way), a test per value that
 * showed in reading a large diff's rows.
 */
export const parseInt8 = (text: string): string => text;

/** The driver's parsers, with timestamptz read by parseTimestamptz, text[] by parseTextArray and int8 by parseInt8. */
export function typeParsers(pg: typeof pgModule): { getTypeParser: typeof pgModule.types.getTypeParser } {
  const defaultTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ, 'text') as (text: string) => unknown;
  const fast = (text: string) => parseTimestamptz(text, defaultTimestamptz);
  // text[] (1009) is not among the type ids @types/pg names.
  const defaultTextArray = (pg.types.getTypeParser as (oid: number, format: 'text') => (text: string) => unknown)(TEXT_ARRAY, 'text');
  const own = new Map<number, (text: string) => unknown>([
    [TIMESTAMPTZ, fast],
    [TEXT_ARRAY, (text: string) => parseTextArray(text, defaultTextArray)],
    [INT8, parseInt8],
  ]);
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      (format !== 'binary' && own.get(oid)) || pg.types.getTypeParser(oid, format)) as typeof pgModule.types.getTypeParser,
  };
}
