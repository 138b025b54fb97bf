const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The longest a Node timer (and PostgreSQL's statement_timeout) can hold: 2^31 - 1 ms, about 24.8 days. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * `500ms`, `30s`, `5m`, `6h`, `1d`; a bare number is seconds. Returns whole milliseconds, or null when
 * unreadable or when it rounds to 0 ms (a timeout of 0 would mean "none": never what was asked for).
 */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) return null;
  const ms = Math.round(Number(m[1]) * (UNITS[m[2] ?? 's'] ?? 1000));
  return Number.isFinite(ms) && ms >= 1 ? ms : null;
}

/** Why a duration for a timer (a timeout, an interval) cannot be used, in plain words; null when it can. */
export function timerProblem(text: string): string | null {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) return 'expected a duration such as 30s, 500ms, 2m or 1d';
  const ms = Number(m[1]) * (UNITS[m[2] ?? 's'] ?? 1000);
  if (!(Math.round(ms) >= 1)) return 'the shortest is 1ms (0 would turn the limit off)';
  if (ms > MAX_TIMER_MS) return 'the longest is 24d 20h 31m (2147483647ms), what a timer can hold';
  return null;
}

/** 12345 s -> "3h 25m"; 42 -> "42s"; negative spans keep their sign. */
export function formatSpan(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  let s = Math.round(Math.abs(seconds));
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts = d > 0 ? [`${d}d`, `${h}h`] : h > 0 ? [`${h}h`, `${m}m`] : m > 0 ? [`${m}m`, `${s}s`] : [`${s}s`];
  return sign + parts.filter((p) => !/^0[a-z]$/.test(p) || parts.length === 1).join(' ');
}
