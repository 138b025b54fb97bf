// ts-audit demo: the 2025-10-26 incident on an embedded PostgreSQL, with nothing installed but Node.
// PGlite (PostgreSQL compiled to WebAssembly, in this process) is served on a loopback port by
// pglite-socket, so the demo's diff and restore go through exactly the pg code path a real run
// does. Nothing is written but the dump, in a temporary folder removed at the end; the database
// lives in memory.
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Decimal } from '../decimal.js';
import { DEFAULT_ENDED_STATUSES, DEFAULT_OPEN_STATUSES, DEFAULT_SCHEMA, DEFAULT_TABLE_NAMES } from '../db/tables.js';
import type { Report } from '../report/types.js';
import { type AuditOptions, defaultThresholds } from './audit.js';
import { runDbCommand } from './db-commands.js';
import { runDiff } from './diff.js';
import { DatabaseError } from '../errors.js';

const DEMO_DIR = fileURLToPath(new URL('../../src/demo/', import.meta.url));

export interface DemoDatabase {
  url: string;
  dumpPath: string;
  /** Stops the server, closes the database and removes the dump's folder. */
  stop(): Promise<void>;
}

export async function startDemoDatabase(log?: (line: string) => void): Promise<DemoDatabase> {
  const [{ PGlite }, { PGLiteSocketServer }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite-socket')]);
  const dir = await mkdtemp(join(tmpdir(), 'ts-audit-demo-'));
  let db: InstanceType<typeof PGlite> | undefined;
  let server: InstanceType<typeof PGLiteSocketServer> | undefined;
  const stop = async () => {
    await server?.stop().catch(() => undefined);
    await db?.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const started = performance.now();
    db = await PGlite.create();
    const sql = (name: string) => readFile(join(DEMO_DIR, name), 'utf8');
    await db.exec(await sql('schema.sql'));
    // The bot's database wrote naive times in Moscow time: load in that zone, then convert the
    // position and order columns to naive `timestamp`, as on the incident's database.
    await db.exec("SET TimeZone = 'Europe/Moscow'");
    await db.exec(await sql('incident.sql'));
    await db.exec(await sql('incident-history.sql'));
    await db.exec(await sql('naive.sql'));
    server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
    await server.start();
    const dumpPath = join(dir, 'stops.json');
    await copyFile(join(DEMO_DIR, 'incident-dump.json'), dumpPath);
    log?.(`embedded PostgreSQL ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    // PGlite asks for no password: the URL has none, so it prints whole and can be copied.
    return { url: `postgresql://postgres@${server.getServerConn()}/postgres?sslmode=disable`, dumpPath, stop };
  } catch (err) {
    await stop();
    throw new DatabaseError(`could not start the embedded demo database: ${(err as Error).message}`, { cause: err });
  }
}

export interface DemoRun {
  database: string;
  dump: string;
  diff: Report;
  restore: Report;
}

/**
 * `ts-audit demo`: diff and restore on the incident replica with every default. `show` gets the
 * result while the database still runs (with --keep it waits there); the database stops after it.
 */
export async function runDemo(log: ((line: string) => void) | undefined, show: (run: DemoRun) => Promise<void>): Promise<void> {
  const demo = await startDemoDatabase(log);
  try {
    const opts: AuditOptions = {
      db: demo.url,
      schema: DEFAULT_SCHEMA,
      tables: DEFAULT_TABLE_NAMES,
      openStatuses: DEFAULT_OPEN_STATUSES,
      endedStatuses: DEFAULT_ENDED_STATUSES,
      statementTimeoutMs: 30_000,
      connectTimeoutMs: 10_000,
      exchanges: [],
      symbols: [],
      thresholds: defaultThresholds(),
      disabled: [],
      severity: {},
    };
    const ctx = { env: {}, now: () => new Date(), log };
    const diff = await runDiff({ ...opts, dump: demo.dumpPath, dumpTimeoutMs: 30_000, priceTolerance: { kind: 'absolute', amount: Decimal.of('0') } }, ctx);
    const restore = await runDbCommand('restore', opts, ctx);
    await show({ database: demo.url, dump: demo.dumpPath, diff, restore });
  } finally {
    await demo.stop();
  }
}
