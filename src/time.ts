// ISO-8601 times as the dump format and the flags take them. Kept free of dependencies so that the
// CLI can validate --since and --dumped-at without loading a date library at start-up.

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

export interface IsoTime {
  date: Date;
  /** False for a time written without a zone or offset (then read as if UTC, and not to be trusted). */
  zoned: boolean;
}

export function parseIsoTime(text: string): IsoTime | null {
  const m = ISO.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || '0');
    if (oh > 23 || om > 59) return null;
    offsetMinutes = sign * (oh * 60 + om);
  }
  const ms = Number(`0.${frac || '0'}`) * 1000;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second) + Math.floor(ms) - offsetMinutes * 60_000;
  return { date: new Date(utc), zoned: zone !== undefined };
}

/** An ISO-8601 time with a zone or offset; null for anything else, zoneless times included. */
export function parseZonedTime(text: string): Date | null {
  const t = parseIsoTime(text);
  return t?.zoned ? t.date : null;
}

/** 2025-10-26 16:30:34 UTC: how reports show an instant; `fallback` when there is none. */
export function utcText(d: Date | null | undefined, fallback = 'unknown'): string {
  return d
    ? `${d
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, '')} UTC`
    : fallback;
}
