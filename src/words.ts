/** "1 stop", "14 stops", "1,000 findings": a count with its noun, in English, grouped by thousands. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${groupDigits(n)} ${n === 1 ? one : many}`;

/** 1234567 as "1,234,567", as toLocaleString('en-US') writes it, without loading ICU's number formats
 * (which the first toLocaleString of a run pays for: bench/README.md#other-figures). */
export function groupDigits(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+$)/g, ',');
  return n < 0 ? `-${digits}` : digits;
}

/** A dump path a suggested command can repeat as it is: nothing a shell would read otherwise. */
const SHELL_SAFE = /^[\w@%+=:,./-]+$/;

/**
 * The memory flags of a suggested `ts-audit rescue`, from the memory the run read: the journal again,
 * the same dump file, or (rescue needs the fields of each stop, which log lines lack) a choice.
 */
export function rescueMemory(dump: { source: string; format: string } | null | undefined): string {
  if (dump?.format === 'journal') return '--from-events';
  if (!dump || dump.format === 'ts-debug-log') return '--from-events (or --dump FILE)';
  return dump.source !== '-' && SHELL_SAFE.test(dump.source) ? `--dump ${dump.source}` : '--dump FILE';
}

/** What a restart would lose of a stop or a lifecycle, one line: "a restart loses: exit peak 5 -> 4, latch armed -> disarmed". */
export function restartLosesText(loses: Record<string, string>): string {
  return `a restart loses: ${Object.entries(loses)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}`;
}
