// Stage 4: the rows of the checks' queries, each distinct query run once in the snapshot.
import type { AnyDbCheck } from '../checks/types.js';
import { setImmediate } from 'node:timers/promises';
import type { Snapshot } from '../db/snapshot.js';

const PLACE = { first: 0, last: 2 } as const;

/**
 * Each distinct query of the checks, once: those of a check sent `first`, then the others in the
 * checks' order, then those sent `last` (see DbCheck.sendOrder); a query two checks place differently
 * goes where the earlier place says. Findings are sorted when the report is assembled, so the order
 * changes no output.
 */
export function inSendOrder(checks: AnyDbCheck[]): string[] {
  const place = new Map<string, number>();
  for (const c of checks) {
    const p = c.sendOrder ? PLACE[c.sendOrder] : 1;
    place.set(c.query, Math.min(place.get(c.query) ?? p, p));
  }
  return [...place.keys()].sort((a, b) => (place.get(a) ?? 1) - (place.get(b) ?? 1));
}

/**
 * Runs each distinct query of the checks once, in the snapshot; returns rows by query name. Each
 * query is sent as soon as the one before it has answered, whatever the run is doing with the rows
 * already in: onRows, given, receives each query's rows in order while the queries after it run on
 * the server, so that judging them (which should let the event loop run now and then, as
 * evaluateQueryChecksInBatches does) overlaps the database's work instead of holding it up.
 */
export async function fetchRows(
  snapshot: Snapshot,
  checks: AnyDbCheck[],
  params: Record<string, unknown>,
  onRows?: (query: string, rows: object[]) => void | Promise<void>,
): Promise<Map<string, object[]>> {
  const rows = new Map<string, object[]>();
  const queries = inSendOrder(checks);
  // After a failure (a query's or onRows') nothing more is sent: the transaction is done with.
  let stopped = false;
  const answers: Promise<object[]>[] = [];
  for (const query of queries) {
    const before = answers[answers.length - 1];
    const send = () => (stopped ? Promise.resolve([]) : snapshot.run<object>(query, params));
    // Chained on the answer before it, so it is sent in the same turn that answer arrives in.
    const answer = before ? before.then(send) : send();
    answer.catch(() => undefined);
    answers.push(answer);
  }
  try {
    for (let i = 0; i < queries.length; i += 1) {
      const answered = await (answers[i] as Promise<object[]>);
      rows.set(queries[i] as string, answered);
      await onRows?.(queries[i] as string, answered);
    }
  } catch (err) {
    stopped = true;
    // The query already sent is the transaction's last: its outcome no longer matters.
    await Promise.allSettled(answers);
    throw err;
  }
  return rows;
}

/** Rows judged between two looks at the socket: small enough that the connection keeps being read. */
const FEED_BATCH = 256;

/**
 * A query's rows as they arrive, for a run that judges them while the server still produces the rest
 * (diff's lifecycle rows, as long as the lifecycle query runs on the server): `push` is the query's
 * onRow, `follow` takes its promise, and `batches` hands the rows out in arrival order, each row
 * once, letting the event loop read the connection between two batches.
 */
export class RowFeed<T> {
  private readonly arrived: T[] = [];
  private taken = 0;
  private all: T[] | undefined;
  private failure: { error: unknown } | undefined;
  private wake: (() => void) | undefined;
  /** Settles when the query does (never rejects: batches() throws its error). */
  done: Promise<void> = Promise.resolve();

  readonly push = (row: T): void => {
    this.arrived.push(row);
    if (this.wake && this.arrived.length - this.taken >= FEED_BATCH) this.wakeUp();
  };

  follow(query: Promise<T[]>): this {
    this.done = query.then(
      (rows) => {
        this.all = rows;
        this.wakeUp();
      },
      (error: unknown) => {
        this.failure = { error };
        this.wakeUp();
      },
    );
    return this;
  }

  /** Every row of the query, once it has answered. */
  get rows(): T[] | undefined {
    return this.all;
  }

  /** Every row of the query, in batches; the query's error, if it failed. */
  async *batches(): AsyncGenerator<T[]> {
    for (;;) {
      // The rows the query resolved with are the ones pushed, in order (a query answered before pushed none).
      if (this.failure) throw this.failure.error;
      const rows = this.all ?? this.arrived;
      if (this.taken < rows.length && (this.all || rows.length - this.taken >= FEED_BATCH)) {
        const batch = rows.slice(this.taken, this.taken + FEED_BATCH);
        this.taken += batch.length;
        yield batch;
        await setImmediate();
        continue;
      }
      if (this.all) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
