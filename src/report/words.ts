/** "1 stop", "14 stops", "1,000 findings": a count with its noun, in English, grouped by thousands. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${groupDigits(n)} ${n === 1 ? one : many}`;

/** 1234567 as "1,234,567", as toLocaleString('en-US') writes it, without loading ICU's number formats
 * (the first toLocaleString of a run costs about 15 ms). */
export function groupDigits(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+$)/g, ',');
  return n < 0 ? `-${digits}` : digits;
}
