// One read-only, repeatable-read transaction per run: every query sees the same consistent snapshot,
// nothing can be written, and a slow query is cancelled by statement_timeout.
import type { Client, ClientConfig } from 'pg';
import { loadPg } from './driver.js';
import { typeParsers } from './types.js';
import { MAX_TIMER_MS } from '../duration.js';
import { checkInterrupted, trackClient } from '../interrupt.js';
import { DatabaseError } from '../errors.js';
import { Catalog, type CatalogRow, type UniqueKeyRow } from './catalog.js';
import { connectionError, queryError } from './errors.js';
import { loadQuery } from './queries.js';
import { DEDUPE_MACRO, type TableRef, render, tableRefs } from './sql.js';
import type { TableNames } from './tables.js';
import type { DbTarget } from './target.js';

export interface SnapshotOptions {
  target: DbTarget;
  schema: string;
  tables: TableNames;
  statementTimeoutMs: number;
  /** How long a query may wait for a lock (another session's ALTER TABLE, TRUNCATE, LOCK TABLE): default 5 s. */
  lockTimeoutMs?: number;
  connectTimeoutMs: number;
  /** Zone the bot wrote naive timestamps in; default the server's TimeZone. */
  dbTimezone?: string;
  /** Queries this run will use: their tables and columns are checked before any of them runs. */
  queries: string[];
  log?: (line: string) => void;
  /** A connection to reuse (`watch`): it is left open when the snapshot closes. */
  client?: Client;
  /** `doctor`: read the catalog of the queries' tables but do not require them (it reports what is missing). */
  lenient?: boolean;
}

export interface SnapshotInfo {
  target: string;
  serverVersion: string;
  snapshotAt: Date;
  naiveTimestampZone: string;
  naiveColumns: string[];
}

export interface ExecutedQuery {
  name: string;
  sql: string;
  parameters: { placeholder: string; name: string; value: unknown }[];
  rows: number;
  ms: number;
}

export interface Snapshot {
  info: SnapshotInfo;
  catalog: Catalog;
  /** Every query run in this snapshot, as sent, for a report's appendix. */
  executed: ExecutedQuery[];
  /**
   * The query's rows. onRow, given, sees each row as it arrives, while the server still produces the
   * rest (a query this snapshot answered before shows it none: its rows come back at once).
   */
  run<T>(name: string, params?: Record<string, unknown>, onRow?: (row: T) => void): Promise<T[]>;
  close(): Promise<void>;
}

interface SessionRow {
  snapshot_at: Date;
  server_version: string;
  naive_zone: string;
  schema_exists: boolean;
}

/** A run waits this long for a lock on the bot's tables, then says who holds it. */
export const DEFAULT_LOCK_TIMEOUT_MS = 5000;
/** A query running longer is cancelled by default (--statement-timeout). */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
/** Connecting may take this long by default (--connect-timeout). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** What a connection needs before the run knows its queries: the target, the timeouts, the bot's zone. */
export type OpeningOptions = Omit<SnapshotOptions, 'queries' | 'lenient'>;

/** A connection opened, its transaction begun and its session read: the first half of a snapshot. */
interface Session {
  client: Client;
  session: SessionRow;
  executed: ExecutedQuery[];
  run: Snapshot['run'];
  /** The catalog the queries render with, from the second half on. */
  useCatalog(catalog: Catalog): void;
  release(end: 'COMMIT' | 'ROLLBACK'): Promise<void>;
}

/**
 * A snapshot's first half started early: connecting, BEGIN and the session query run while the run
 * loads its modules and opens its dump. Its outcome, an error included, waits until openSnapshot
 * takes it (a bad dump is still the error a run reports first); a run that never does discards it.
 */
export interface Opening {
  readonly options: OpeningOptions;
  /** Settles (never rejects) once the session is open or has failed. */
  readonly settled: Promise<void>;
  /** The session, or the error it failed with; marks the opening taken (once: a second take gets undefined). */
  take(): Promise<{ session: Session } | { error: unknown }> | undefined;
  /** Closes the connection unless a snapshot took it. */
  discard(): Promise<void>;
}

export function startOpening(options: OpeningOptions): Opening {
  const attempts: Attempts = { stopped: false };
  const outcome = openSession(options, attempts).then(
    (session) => ({ session }),
    (error: unknown) => ({ error }),
  );
  let taken = false;
  return {
    options,
    settled: outcome.then(() => undefined),
    take: () => {
      if (taken) return undefined;
      taken = true;
      return outcome;
    },
    discard: async () => {
      if (taken) return;
      taken = true;
      // A connection still being made is dropped (an unreachable host would keep the process waiting).
      attempts.stopped = true;
      (attempts.current as unknown as { connection?: { stream?: { destroy(): void } } } | undefined)?.connection?.stream?.destroy();
      const settled = await outcome;
      if ('session' in settled) await settled.session.release('ROLLBACK');
    },
  };
}

async function openSession(options: OpeningOptions, attempts?: Attempts): Promise<Session> {
  const { log } = options;
  const reused = options.client !== undefined;
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const client = options.client ?? (await connectClient(options, attempts));
  const { Query } = await loadPg();
  const release = async (end: 'COMMIT' | 'ROLLBACK') => {
    await client.query(end).catch(() => undefined);
    if (!reused) await client.end().catch(() => undefined);
  };
  let zone = '';
  let catalog = new Catalog(options.schema, options.tables, new Map());

  const executed: ExecutedQuery[] = [];
  // In one repeatable-read snapshot a query with the same values returns the same rows: when several
  // commands share the snapshot (`report`), each query runs once.
  const answered = new Map<string, unknown[]>();
  const send = (text: string, values: unknown[], onRow?: (row: object) => void): Promise<{ rowCount: number | null; rows: object[] }> => {
    if (!onRow) return client.query({ text, values });
    return new Promise((resolve, reject) => {
      // A query object with a callback still collects its rows, and emits each as it is parsed.
      const query = new Query({ text, values }, (err, result) => (err ? reject(err) : resolve(result)));
      query.on('row', onRow);
      void client.query(query);
    });
  };
  const run = async <T>(name: string, params: Record<string, unknown> = {}, onRow?: (row: T) => void): Promise<T[]> => {
    const sql = render(loadQuery(name), catalog, { ...params, zone, schema: options.schema });
    const key = `${name}\u0000${JSON.stringify(sql.values)}`;
    const known = answered.get(key);
    if (known) return known as T[];
    checkInterrupted();
    const started = performance.now();
    try {
      const result = await send(sql.text, sql.values, onRow as ((row: object) => void) | undefined);
      const ms = performance.now() - started;
      const rows = result.rowCount ?? result.rows.length;
      log?.(`query ${name}: ${rows} rows in ${ms.toFixed(1)} ms`);
      executed.push({ name, sql: sql.text, parameters: sql.names.map((n, i) => ({ placeholder: `$${i + 1}`, name: n, value: sql.values[i] })), rows, ms });
      answered.set(key, result.rows);
      return result.rows as T[];
    } catch (err) {
      if ((err as { code?: string }).code === '55P03') throw await lockWaitError(err, name);
      throw queryError(err, name, sql.text, options.statementTimeoutMs);
    }
  };

  /** A lock wait that ran out: which of the bot's tables was locked, and by which session. */
  const lockWaitError = async (err: unknown, name: string): Promise<Error> => {
    const seconds = `${(lockTimeoutMs / 1000).toString()}s`;
    let holders: { table_name: string; pid: number; application_name: string | null; usename: string | null }[] = [];
    try {
      // The snapshot is aborted: ask outside it, briefly.
      await client.query('ROLLBACK');
      const sql = render(loadQuery('lock-holders'), catalog, { schema: options.schema, tables: Object.values(options.tables) });
      await client.query("SET statement_timeout = '5s'");
      holders = (await client.query({ text: sql.text, values: sql.values })).rows;
    } catch {
      // The diagnosis is a courtesy: the lock wait is reported either way.
    }
    const who = holders.map(
      (h) => `pid ${h.pid}${h.application_name ? `, application "${h.application_name}"` : ''}${h.usename ? `, user "${h.usename}"` : ''}`,
    );
    const tables = [...new Set(holders.map((h) => h.table_name))];
    const detail = holders.length
      ? `another session holds an ACCESS EXCLUSIVE lock on ${tables.join(', ')} (${who.join('; ')})`
      : "another session held a lock on one of the bot's tables (released since, or not visible to this role)";
    return new DatabaseError(`query ${name} waited ${seconds} for a lock and gave up: ${detail}. Wait for it to finish, or raise --lock-timeout`, {
      cause: err,
    });
  };

  try {
    const begin = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';
    await client.query(begin).catch((err) => Promise.reject(queryError(err, 'begin', begin, options.statementTimeoutMs)));
    // JIT compiling is off for the run: ts-audit's queries are short, and on the scale set compiling
    // them cost more than it saved.
    const timeout = "SELECT set_config('statement_timeout', $1, true), set_config('lock_timeout', $2, true), set_config('jit', 'off', true)";
    await client
      .query({ text: timeout, values: [`${options.statementTimeoutMs}ms`, `${lockTimeoutMs}ms`] })
      .catch((err) => Promise.reject(queryError(err, 'statement-timeout', timeout, options.statementTimeoutMs)));
    const [session] = await run<SessionRow>('session', { zone_override: options.dbTimezone ?? null });
    if (!session) throw new DatabaseError('the session query returned no row');
    zone = session.naive_zone;
    return {
      client,
      session,
      executed,
      run,
      useCatalog: (c) => {
        catalog = c;
      },
      release,
    };
  } catch (err) {
    await release('ROLLBACK');
    throw err;
  }
}

/** options.opening, when given and not yet taken, is the first half (see Opening); its options must be these. */
export async function openSnapshot(options: SnapshotOptions & { opening?: Opening }): Promise<Snapshot> {
  const { target } = options;
  const early = options.opening?.take();
  let open: Session;
  if (early) {
    const settled = await early;
    if ('error' in settled) throw settled.error;
    open = settled.session;
  } else {
    open = await openSession(options);
  }
  const { session, run, release } = open;
  try {
    if (!session.schema_exists) {
      throw new DatabaseError(`schema "${options.schema}" not found in database ${target.display} (expected the bot's schema; see --schema)`);
    }
    const refs: TableRef[] = options.queries.flatMap((q) => tableRefs(loadQuery(q)));
    const names = [...new Set(refs.map((r) => options.tables[r.table]))];
    const rows = await run<CatalogRow>('catalog-columns', { tables: names });
    // The unique indexes of positions, read only when a query derives the open positions from it.
    const uniqueKeys = options.queries.some((q) => loadQuery(q).includes(DEDUPE_MACRO))
      ? await run<UniqueKeyRow>('unique-keys', { positions_table: options.tables.positions })
      : [];
    const catalog = Catalog.fromRows(options.schema, options.tables, rows, uniqueKeys);
    open.useCatalog(catalog);
    if (!options.lenient) catalog.requireAll(refs, new Set(rows.filter((r) => !r.can_select).map((r) => r.table_name)));
    const info: SnapshotInfo = {
      target: target.display,
      serverVersion: session.server_version,
      snapshotAt: session.snapshot_at,
      naiveTimestampZone: session.naive_zone,
      naiveColumns: catalog.naiveColumns(refs),
    };
    return {
      info,
      catalog,
      executed: open.executed,
      run,
      close: () => release('COMMIT'),
    };
  } catch (err) {
    await release('ROLLBACK');
    throw err;
  }
}

/**
 * The server asked for a password and the target has none: say where one can be given, instead of
 * letting the driver look one up (it would send PGPASSWORD or ~/.pgpass to any host).
 */
const noPassword = (target: DbTarget) => () => {
  const asked = `the server asked for a password for user "${target.user}" and none was given`;
  if (target.origin === 'the config file found in the working directory') {
    throw new Error(
      `${asked} (it is named only by ${target.origin}: PGPASSWORD and ~/.pgpass are not sent there; put the password in its URL, or name the file with --config)`,
    );
  }
  throw new Error(
    `${asked}: put it in the URL after the user (${target.user}:PASSWORD@${target.host}:${target.port}), in PGPASSWORD, in ~/.pgpass, or in the config file's database.url`,
  );
};

/** The connection being tried (an opening's, which a discard drops); stopped: make no further attempt. */
interface Attempts {
  current?: Client;
  stopped: boolean;
}

export async function connectClient(
  options: Pick<SnapshotOptions, 'target' | 'statementTimeoutMs' | 'connectTimeoutMs'>,
  attempts?: Attempts,
): Promise<Client> {
  const pg = await loadPg();
  const parsers = typeParsers(pg);
  const { target } = options;
  const config = (ssl: ClientConfig['ssl']): ClientConfig => ({
    host: target.host,
    port: target.port,
    user: target.user,
    // Never undefined: node-postgres would then send PGPASSWORD or read ~/.pgpass itself, for any
    // host, and resolveTarget decides that (not for a host only a config file found here names).
    password: target.password ?? noPassword(target),
    database: target.database,
    ssl,
    application_name: 'ts-audit',
    connectionTimeoutMillis: options.connectTimeoutMs,
    // A client-side backstop in case the server stops answering altogether.
    query_timeout: Math.min(options.statementTimeoutMs + 5000, MAX_TIMER_MS),
    keepAlive: true,
    types: parsers,
  });
  const attempt = async (ssl: ClientConfig['ssl']): Promise<Client> => {
    if (attempts?.stopped) throw new Error('the connection was no longer needed');
    const client = new pg.Client(config(ssl));
    if (attempts) attempts.current = client;
    client.on('error', () => undefined); // errors surface through the pending query instead
    const started = performance.now();
    try {
      await client.connect();
      // A signal cancels whatever this connection is running (src/interrupt.ts).
      const forget = trackClient(client, { host: target.host, port: target.port });
      client.once('end', forget);
      return client;
    } catch (err) {
      await client.end().catch(() => undefined);
      // pg words a timeout differently depending on where it struck (during TLS negotiation it reads
      // as an SSL error): a failure after the whole connect timeout is reported as the timeout it is.
      if (performance.now() - started >= options.connectTimeoutMs - 50 && err instanceof Error) Object.assign(err, { connectTimedOut: true });
      throw err;
    }
  };
  try {
    if (target.sslmode === 'disable') return await attempt(false);
    try {
      return await attempt(target.ssl);
    } catch (err) {
      // prefer/allow: fall back to an unencrypted connection when the server does not offer TLS.
      const noTls = /does not support SSL/i.test((err as Error).message ?? '');
      if (noTls && (target.sslmode === 'prefer' || target.sslmode === 'allow')) return await attempt(false);
      throw err;
    }
  } catch (err) {
    throw connectionError(err, target, options.connectTimeoutMs);
  }
}
