// Which database to audit: --db URL, else DATABASE_URL, else database.url of a config file named by
// --config or TS_AUDIT_CONFIG, else the libpq PG* variables, else database.url of a config file found
// in the working directory. A config file found there may have come with a checkout (a pull request
// in CI): it never outranks the PG* variables, and a password from the environment (PGPASSWORD) or
// the password file (~/.pgpass, PGPASSFILE) is never sent to a host that only such a file named.
// TLS follows sslmode with libpq's meanings (node-postgres alone treats `require` differently).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { UsageError } from '../errors.js';

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
const SSL_MODES: SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

export interface DbTarget {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  sslmode: SslMode;
  ssl: ConnectionOptions;
  /** postgresql://user:***@host:port/db, never with the password. */
  display: string;
  /** Where the target came from, for error messages. */
  origin: DbOrigin;
}

/** Where a URL given to resolveTarget came from, when not --db: a config file, named or found. */
export type ConfigOrigin = 'the config file' | 'the config file found in the working directory';
export type DbOrigin = '--db' | 'DATABASE_URL' | 'PG* variables' | ConfigOrigin;

type Env = Record<string, string | undefined>;

/** The libpq variables that say which server to use: any one of them makes the PG* target deliberate. */
export const PG_VARIABLES = ['PGHOST', 'PGHOSTADDR', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGPASSWORD', 'PGSERVICE'];

/** Whether any PG* variable names a target (or a password for one). */
export const pgVariablesSet = (env: Env) => PG_VARIABLES.some((name) => env[name]);

/** A database the run was given, before it is parsed: a URL and where it came from, or the PG* variables. */
export interface TargetChoice {
  /** The URL; absent when the PG* variables name the target. */
  url?: string;
  origin: DbOrigin;
}

/** What a run may take its database from besides the environment. */
export interface TargetInput {
  /** --db's URL, or (with dbOrigin) a config file's database.url already chosen. */
  db?: string;
  dbOrigin?: ConfigOrigin;
  /** The config file's database.url, and whether the file was found in the working directory. */
  config?: { url?: string; discovered?: boolean } | null;
}

/**
 * The one precedence of the database target, used by every command, doctor, queries and the config
 * merge: --db, DATABASE_URL, a config file named by --config or TS_AUDIT_CONFIG, the PG* variables, a
 * config file found in the working directory. Undefined: no database was given.
 */
export function chooseTarget(input: TargetInput, env: Env = process.env): TargetChoice | undefined {
  if (input.db) return { url: input.db, origin: input.dbOrigin ?? '--db' };
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, origin: 'DATABASE_URL' };
  const file = input.config?.url;
  if (file && !input.config?.discovered) return { url: file, origin: 'the config file' };
  if (pgVariablesSet(env)) return { origin: 'PG* variables' };
  if (file) return { url: file, origin: 'the config file found in the working directory' };
  return undefined;
}

/** `db` is --db's URL, or (with `from`) a config file's database.url. */
export function resolveTarget(db: string | undefined, env: Env = process.env, from?: ConfigOrigin): DbTarget {
  const choice = chooseTarget({ db, dbOrigin: from }, env);
  // Never a silent guess (the OS user on localhost): an on-call engineer must see which database was read.
  if (!choice) {
    throw new UsageError(
      'no database given: pass --db postgresql://user@host:5432/db, or set DATABASE_URL, "database": {"url": ...} in ts-audit.config.json, or PGHOST/PGDATABASE',
    );
  }
  if (choice.url !== undefined) return fromUrl(choice.url, choice.origin, env);
  const user = env.PGUSER || safeUserName();
  return build(
    {
      host: env.PGHOST || 'localhost',
      port: env.PGPORT,
      user,
      password: env.PGPASSWORD,
      database: env.PGDATABASE || user,
      sslmode: env.PGSSLMODE,
      sslrootcert: env.PGSSLROOTCERT,
      sslcert: env.PGSSLCERT,
      sslkey: env.PGSSLKEY,
    },
    'PG* variables',
    env,
  );
}

function fromUrl(text: string, origin: DbTarget['origin'], env: Env): DbTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${origin} is not a postgres:// URL`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new UsageError(`${origin} must be a postgres:// or postgresql:// URL, not ${url.protocol}//`);
  }
  // A file found in the working directory named this host: only a password written in its own URL goes there.
  const trusted = origin !== 'the config file found in the working directory';
  const password = url.password ? decodeURIComponent(url.password) : trusted ? env.PGPASSWORD : undefined;
  const q = url.searchParams;
  const user = decodeURIComponent(url.username) || env.PGUSER || safeUserName();
  return build(
    {
      host: q.get('host') || decodeURIComponent(url.hostname).replace(/^\[(.*)\]$/, '$1') || env.PGHOST || 'localhost',
      port: url.port || q.get('port') || env.PGPORT,
      user,
      password,
      database: decodeURIComponent(url.pathname.replace(/^\//, '')) || env.PGDATABASE || user,
      sslmode: q.get('sslmode') ?? env.PGSSLMODE,
      sslrootcert: q.get('sslrootcert') ?? env.PGSSLROOTCERT,
      sslcert: q.get('sslcert') ?? env.PGSSLCERT,
      sslkey: q.get('sslkey') ?? env.PGSSLKEY,
    },
    origin,
    env,
    trusted,
  );
}

interface Parts {
  host: string;
  port: string | undefined;
  user: string;
  password: string | undefined;
  database: string;
  sslmode: string | undefined | null;
  sslrootcert: string | undefined | null;
  sslcert: string | undefined | null;
  sslkey: string | undefined | null;
}

/**
 * libpq's password file: PGPASSFILE, else ~/.pgpass; lines `host:port:database:user:password` with `*`
 * for any and `\\:` / `\\\\` escapes; ignored (as libpq does) unless only its owner can read it. Read
 * here so that node-postgres never looks for it itself (it warns that it will stop doing so).
 */
export function pgpassPassword(p: { host: string; port: number; database: string; user: string }, env: Env = process.env): string | undefined {
  const file = env.PGPASSFILE || join(homedir(), '.pgpass');
  let text: string;
  try {
    const st = statSync(file);
    if (!st.isFile() || (st.mode & 0o077) !== 0) return undefined;
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const host = p.host.startsWith('/') ? 'localhost' : p.host;
  const wanted = [host, String(p.port), p.database, p.user];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const fields: string[] = [];
    let field = '';
    for (let i = 0; i < line.length; i++) {
      const c = line[i] as string;
      if (c === '\\' && i + 1 < line.length) field += line[++i];
      else if (c === ':' && fields.length < 4) {
        fields.push(field);
        field = '';
      } else field += c;
    }
    fields.push(field);
    if (fields.length < 5) continue;
    if (wanted.every((w, i) => fields[i] === '*' || fields[i] === w)) return fields[4];
  }
  return undefined;
}

function build(p: Parts, origin: DbTarget['origin'], env: Env, passwordFile = true): DbTarget {
  const port = p.port ? Number(p.port) : 5432;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`${origin}: invalid port ${JSON.stringify(p.port)}`);
  const sslmode = (p.sslmode || 'prefer') as SslMode;
  if (!SSL_MODES.includes(sslmode)) throw new UsageError(`${origin}: unknown sslmode "${sslmode}" (expected ${SSL_MODES.join(', ')})`);
  const hostPart = p.host.startsWith('/') ? `localhost` : p.host.includes(':') ? `[${p.host}]` : p.host;
  const socket = p.host.startsWith('/') ? `?host=${p.host}` : '';
  const auth = `${encodeURIComponent(p.user)}${p.password ? ':***' : ''}@`;
  return {
    host: p.host,
    port,
    user: p.user,
    password: p.password ?? (passwordFile ? pgpassPassword({ host: p.host, port, database: p.database, user: p.user }, env) : undefined),
    database: p.database,
    sslmode,
    ssl: tlsOptions(sslmode, p, origin),
    display: `postgresql://${auth}${hostPart}:${port}/${encodeURIComponent(p.database)}${socket}`,
    origin,
  };
}

function tlsOptions(mode: SslMode, p: Parts, origin: string): ConnectionOptions {
  const read = (file: string | null | undefined, what: string) => {
    if (!file) return undefined;
    try {
      return readFileSync(file);
    } catch {
      throw new UsageError(`${origin}: cannot read ${what} file ${file}`);
    }
  };
  // sslrootcert=system (libpq 16): the system's CAs, and the host name checked.
  if (p.sslrootcert === 'system') {
    if (mode === 'disable' || mode === 'allow' || mode === 'prefer') throw new UsageError(`${origin}: sslrootcert=system needs sslmode=verify-full`);
    return { cert: read(p.sslcert, 'sslcert'), key: read(p.sslkey, 'sslkey'), rejectUnauthorized: true };
  }
  // libpq reads ~/.postgresql/root.crt when no sslrootcert is named.
  const defaultRoot = join(homedir(), '.postgresql', 'root.crt');
  const rootcert = p.sslrootcert || (existsSync(defaultRoot) ? defaultRoot : undefined);
  const files = { ca: read(rootcert, 'sslrootcert'), cert: read(p.sslcert, 'sslcert'), key: read(p.sslkey, 'sslkey') };
  // As libpq: with a root certificate at hand, require verifies the server's certificate against it
  // (verify-ca); without one it only encrypts.
  if (mode === 'require' && files.ca) mode = 'verify-ca';
  switch (mode) {
    case 'verify-full':
      return { ...files, rejectUnauthorized: true };
    case 'verify-ca':
      return { ...files, rejectUnauthorized: true, checkServerIdentity: () => undefined };
    default:
      // require, prefer and allow encrypt without verifying the certificate, as libpq does.
      return { ...files, rejectUnauthorized: false };
  }
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'postgres';
  }
}
