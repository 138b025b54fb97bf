// Stages 1 and 2 of a run: resolve the target (the one precedence, db/target.ts) and open the run's
// one READ ONLY, REPEATABLE READ snapshot; or join the snapshot a `report` already holds.
import { type Opening, type OpeningOptions, type Snapshot, openSnapshot, startOpening } from '../db/snapshot.js';
import { loadPg } from '../db/driver.js';
import { resolveTarget } from '../db/target.js';
import type { DatabaseOptions, RunContext } from './options.js';

function openingOptions(opts: DatabaseOptions, ctx: RunContext): OpeningOptions {
  return { ...opts, target: resolveTarget(opts.db, ctx.env, opts.dbOrigin), log: ctx.log, client: ctx.client };
}

/**
 * Starts connecting now (see Opening), for a run that opens its own snapshot later: the context to
 * run with, and `done`, to call when the run ends whatever happened (it closes a connection the run
 * never took). A run that joins a snapshot or reuses a connection gets its context back as it was.
 * now: false for a run that reads its memory side first from a source of unknown speed (standard
 * input, a URL, a FIFO, the logs, a dump read whole), which would hold the transaction open and idle
 * meanwhile (a server's idle_in_transaction_session_timeout would end it): it connects when it opens
 * its snapshot, as before.
 */
export async function connectEarly(opts: DatabaseOptions, ctx: RunContext, { now }: { now: boolean }): Promise<{ ctx: RunContext; done: () => Promise<void> }> {
  if (!now || ctx.snapshot || ctx.client || ctx.opening) return { ctx, done: async () => undefined };
  let opening: Opening;
  try {
    const options = openingOptions(opts, ctx);
    // The driver is loaded first: loading it beside the dump's first stops made the connection wait for both.
    await loadPg();
    opening = startOpening(options);
  } catch {
    // No target (or a bad one): said when the snapshot is opened, after what the run checks first.
    return { ctx, done: async () => undefined };
  }
  return { ctx: { ...ctx, opening }, done: () => opening.discard() };
}

export async function openAuditSnapshot(opts: DatabaseOptions, ctx: RunContext, queries: string[]): Promise<Snapshot> {
  // A shared snapshot was opened for the union of the run's queries; its owner closes it.
  if (ctx.snapshot) return { ...ctx.snapshot, close: async () => undefined };
  return openSnapshot({ ...openingOptions(opts, ctx), queries, opening: ctx.opening });
}

/**
 * Opens the snapshot, reads what the run needs in it, and closes it whatever happens: the reading is
 * the only part of a run that holds the transaction, so evaluation never keeps it open.
 */
export async function inSnapshot<T>(
  opts: DatabaseOptions,
  ctx: RunContext,
  queries: string[],
  read: (snapshot: Snapshot) => Promise<T>,
): Promise<{ snapshot: Snapshot; read: T }> {
  const snapshot = await openAuditSnapshot(opts, ctx, queries);
  try {
    return { snapshot, read: await read(snapshot) };
  } finally {
    await snapshot.close();
  }
}

/**
 * inSnapshot for a read that leaves its last query running (its rows judged as they arrive, see
 * RowFeed): `read` returns that query as `tail`, and the snapshot closes as soon as the tail settles,
 * not when `read` returns (without a tail, before this returns, as inSnapshot does). `closed` settles
 * after the close: rejected with the tail's error, if any.
 */
export async function inSnapshotWithTail<T>(
  opts: DatabaseOptions,
  ctx: RunContext,
  queries: string[],
  read: (snapshot: Snapshot) => Promise<{ value: T; tail?: Promise<unknown> }>,
): Promise<{ snapshot: Snapshot; read: T; closed: Promise<void> }> {
  const snapshot = await openAuditSnapshot(opts, ctx, queries);
  let result: { value: T; tail?: Promise<unknown> };
  try {
    result = await read(snapshot);
  } catch (err) {
    await snapshot.close();
    throw err;
  }
  if (result.tail === undefined) {
    await snapshot.close();
    return { snapshot, read: result.value, closed: Promise.resolve() };
  }
  const tail = result.tail;
  const closed = (async () => {
    try {
      await tail;
    } finally {
      await snapshot.close();
    }
  })();
  // Observed by the caller, which may fail first (a bad dump line) and only then look.
  closed.catch(() => undefined);
  return { snapshot, read: result.value, closed };
}
