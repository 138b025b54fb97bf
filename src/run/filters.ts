// The scope filters (--exchange, --symbol): a value that matches nothing is refused, so that a typo
// never reads as a clean report.
import type { Snapshot } from '../db/snapshot.js';
import { UsageError } from '../errors.js';
import type { AuditOptions } from './options.js';

export interface FilterValue {
  kind: 'exchange' | 'symbol';
  value: string;
}

/** Each --exchange / --symbol value that matches nothing in the database, as the user gave it. */
export async function unmatchedFilters(snapshot: Snapshot, opts: AuditOptions, params: Record<string, unknown>): Promise<FilterValue[]> {
  if (opts.exchanges.length === 0 && opts.symbols.length === 0) return [];
  const rows = await snapshot.run<{ kind: 'exchange' | 'symbol'; value: string }>('filter-matches', params);
  return rows.map((r) => ({
    kind: r.kind,
    value: (r.kind === 'exchange' ? opts.exchanges : opts.symbols).find((v) => v.toLowerCase() === r.value) ?? r.value,
  }));
}

/** Refuses filters that select nothing: a typo must not read as a clean report. */
export function refuseUnmatched(unmatched: FilterValue[], where: string): void {
  if (unmatched.length === 0) return;
  const list = unmatched.map((u) => `--${u.kind} ${u.value}`).join(', ');
  throw new UsageError(`${list} match${unmatched.length === 1 ? 'es' : ''} nothing in ${where}`);
}

/** Whether a name passes the --exchange / --symbol filters (without regard to case). */
export function inFilter(values: string[], name: string): boolean {
  return values.length === 0 || values.some((v) => v.toLowerCase() === name.toLowerCase());
}
