// Stage 4: the rows of the checks' queries, each distinct query run once in the snapshot.
import type { AnyDbCheck } from '../checks/types.js';
import type { Snapshot } from '../db/snapshot.js';

/**
 * Sent first, in this order, when a run has them: the lifecycle checks' Node work on
 * lifecycle-positions' rows (a row per open position, the heaviest judging of a run) then overlaps
 * recreated-position's pass over the orders (the longest on the server), and recreated-position's
 * findings (a row per reopened symbol) overlap the small queries after it. The others keep their order.
 */
const FIRST = ['lifecycle-positions', 'recreated-position'];

/** The queries with FIRST's ahead of the others; findings are sorted when the report is assembled, so the order changes no output. */
export function inOverlapOrder(queries: string[]): string[] {
  const first = FIRST.filter((q) => queries.includes(q));
  return [...first, ...queries.filter((q) => !first.includes(q))];
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
  const queries = inOverlapOrder([...new Set(checks.map((c) => c.query))]);
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
