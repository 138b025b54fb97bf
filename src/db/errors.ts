// Turns what node-postgres and the network throw into one line a person on call can act on.
import { DatabaseError, UsageError } from '../errors.js';
import type { DbTarget } from './target.js';

interface PgLikeError extends Error {
  code?: string;
  detail?: string;
  hint?: string;
  position?: string;
  errno?: number;
  syscall?: string;
  hostname?: string;
}

export function connectionError(err: unknown, target: DbTarget, connectTimeoutMs: number): DatabaseError {
  const e = err as PgLikeError;
  const where = `${target.host}:${target.port}`;
  const say = (why: string) => new DatabaseError(`cannot connect to ${target.display}: ${why}`, { cause: err });
  switch (e.code) {
    case 'ECONNREFUSED':
      return say(`connection refused at ${where} (is PostgreSQL running and listening there?)`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return say(`unknown host ${target.host}`);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return say(`${where} is unreachable (${e.code})`);
    case '28P01':
      return say(`password authentication failed for user "${target.user}"`);
    case '28000':
      return say(`the server refused user "${target.user}": ${e.message}`);
    case '3D000':
      return say(`database "${target.database}" does not exist`);
    case '53300':
      return say('the server has too many connections');
    case '57P03':
      return say('the server is starting up or shutting down');
  }
  const message = e.message ?? String(err);
  // The server asked for a password and none was given: node-postgres then says "SASL:
  // SCRAM-SERVER-FIRST-MESSAGE: client password must be a string" (or the like for md5).
  if (/password must be a string|no password (was )?(supplied|given)/i.test(message)) {
    return say(
      `the server asked for a password for user "${target.user}" and none was given: put it in the URL after the user ` +
        `(${target.user}:PASSWORD@${where}), in PGPASSWORD, in ~/.pgpass, or in the config file's database.url`,
    );
  }
  if ((err as { connectTimedOut?: boolean }).connectTimedOut || /timeout/i.test(message))
    return say(`no answer from ${where} within ${connectTimeoutMs / 1000}s (connect timeout)`);
  if (/SSL|TLS|certificate/i.test(message) || e.code?.startsWith('ERR_TLS') || e.code?.includes('CERT')) {
    return say(`TLS failure (sslmode=${target.sslmode}): ${message}`);
  }
  if (/terminated unexpectedly|ECONNRESET/i.test(message) || e.code === 'ECONNRESET') return say(`the server closed the connection (${message})`);
  return say(message);
}

/** A failed query: the server's code, message, detail, hint and the position in the failing query. */
export function queryError(err: unknown, queryName: string, sql: string, statementTimeoutMs: number): Error {
  const e = err as PgLikeError;
  if (e.code === '22023' && /time zone/i.test(e.message)) {
    return new UsageError(`--db-timezone: ${e.message} (use an IANA zone such as Europe/Moscow)`, { cause: err });
  }
  if (e.code === '57014') {
    return new DatabaseError(`query ${queryName} exceeded the statement timeout of ${statementTimeoutMs / 1000}s (raise --statement-timeout)`, {
      cause: err,
    });
  }
  if (e.code === '42501') return new DatabaseError(`query ${queryName}: permission denied: ${e.message}`, { cause: err });
  if (e.code === undefined || !/^[0-9A-Z]{5}$/.test(e.code)) {
    return new DatabaseError(`query ${queryName} failed: ${e.message ?? String(err)}`, { cause: err });
  }
  const parts = [`query ${queryName} failed: ${e.message} [SQLSTATE ${e.code}]`];
  if (e.detail) parts.push(`detail: ${e.detail}`);
  if (e.hint) parts.push(`hint: ${e.hint}`);
  if (e.position) parts.push(`at: ${lineAt(sql, Number(e.position))}`);
  return new DatabaseError(parts.join('; '), { cause: err });
}

function lineAt(sql: string, position: number): string {
  const before = sql.slice(0, position - 1);
  const lineNo = before.split('\n').length;
  const line = sql.split('\n')[lineNo - 1] ?? '';
  return `line ${lineNo}: ${line.trim()}`;
}
