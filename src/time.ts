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

const DAY_MS = 86_400_000;
/** 10000-01-01T00:00:00Z: from here on toISOString writes a six-digit year. */
const YEAR_10000_MS = 253_402_300_800_000;
const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/**
 * What `d.toISOString()` gives, for a valid Date, computed from its time value: the builtin showed in
 * stringifying a large run's evidence. Instants before 1970 or from the year 10000 on are left to it.
 */
export function isoText(d: Date): string {
  const t = d.getTime();
  if (!(t >= 0 && t < YEAR_10000_MS)) return d.toISOString();
  const days = Math.floor(t / DAY_MS);
  let ms = t - days * DAY_MS;
  // The civil date of a day count (Howard Hinnant's days-to-civil, in 400-year eras from 0000-03-01).
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(ms / 3_600_000);
  ms -= hour * 3_600_000;
  const minute = Math.floor(ms / 60_000);
  ms -= minute * 60_000;
  const second = Math.floor(ms / 1000);
  ms -= second * 1000;
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}.${ms < 10 ? `00${ms}` : ms < 100 ? `0${ms}` : ms}Z`;
}
