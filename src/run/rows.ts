// Stage 4: the rows of the checks' queries, each distinct query run once in the snapshot.
import type { AnyDbCheck } from '../checks/types.js';
import type { Snapshot } from '../db/snapshot.js';

/**
 * Each distinct query of the checks, once, those of a check with a sendRank first (by rank: see
 * DbCheck.sendRank), the others in the checks' order. Findings are sorted when the report is
 * assembled, so the order changes no output.
 */
export function inSendOrder(checks: AnyDbCheck[]): string[] {
  const rank = new Map<string, number>();
  for (const c of checks) rank.set(c.query, Math.min(rank.get(c.query) ?? 3, c.sendRank ?? 3));
  return [...rank.keys()].sort((a, b) => (rank.get(a) ?? 3) - (rank.get(b) ?? 3));
}

/**
 * Runs each distinct query of the checks once, in the snapshot; returns rows by query name. onRows,
 * given, receives each query's rows while the next query already runs on the server (pipelining), so
 * that work on them (evaluating the checks) overlaps the database's instead of following it.
 */
export async function fetchRows(
  snapshot: Snapshot,
  checks: AnyDbCheck[],
  params: Record<string, unknown>,
  onRows?: (query: string, rows: object[]) => void,
): Promise<Map<string, object[]>> {
  const rows = new Map<string, object[]>();
  const queries = inSendOrder(checks);
  let pending = queries[0] === undefined ? undefined : snapshot.run<object>(queries[0], params);
  try {
    for (let i = 0; i < queries.length; i += 1) {
      const answered = (await pending) ?? [];
      const next = queries[i + 1];
      pending = next === undefined ? undefined : snapshot.run<object>(next, params);
      rows.set(queries[i] as string, answered);
      onRows?.(queries[i] as string, answered);
    }
  } catch (err) {
    // The query already sent is the transaction's last: its outcome no longer matters.
    await pending?.catch(() => undefined);
    throw err;
  }
  return rows;
}
