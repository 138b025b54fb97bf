// Outputs and inputs that fail or are hostile: standard output on a full disk or a closed pipe, a
// config file found in the working directory next to PG* variables, a FIFO or device given as a file,
// an endless log line, and data holding control characters on its way to stderr. The process is the
// subject of most (a file descriptor, a signal, a heap limit, a run that may hang and is killed): those
// spawn the executable; the config file's and the control characters' run in this process.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, readlinkSync, writeFileSync, writeSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { type AddressInfo, type Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, useScenario } from '../support/db.js';
import { BIN, type Result } from '../support/cli.js';
import { cli } from '../support/in-process.js';
import { INCIDENT_DUMP } from '../support/db.js';
import { requireBuild } from '../support/report.js';
import { writeDump as writeDumpFile } from '../support/dumps.js';

requireBuild();

/** Runs the CLI with its standard output on `fd` (a file descriptor), collecting stderr. */
function runTo(args: string[], stdout: number | 'closed-pipe', env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
      stdio: ['ignore', stdout === 'closed-pipe' ? 'pipe' : stdout, 'pipe'],
    });
    // The reader goes away before anything is written.
    if (stdout === 'closed-pipe') child.stdout?.destroy();
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: '', stderr }));
  });
}

const FULL = '/dev/full';

describe.skipIf(!existsSync(FULL))(`standard output that cannot be written${existsSync(FULL) ? '' : ' [skipped: no /dev/full]'}`, () => {
  const db = useScenario('naive', fixture('incident.sql'));
  const full = () => openSync(FULL, 'w');

  it('rescue > a full disk exits 2 with one line, never 0 with a truncated script', async () => {
    const fd = full();
    try {
      const r = await runTo(['rescue', '--db', db.url, '--dump', INCIDENT_DUMP], fd);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('ts-audit: cannot write to standard output: the disk is full: the output is incomplete\n');
    } finally {
      closeSync(fd);
    }
  });

  it('diff --format json > a full disk exits 2 with one line (it exited 13, silently)', async () => {
    const fd = full();
    try {
      const r = await runTo(['diff', '--db', db.url, '--dump', INCIDENT_DUMP, '--format', 'json'], fd);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('ts-audit: cannot write to standard output: the disk is full: the output is incomplete\n');
    } finally {
      closeSync(fd);
    }
  });

  it('a reader that closed the pipe: exit 2 and one line, not 0', async () => {
    const r = await runTo(['rescue', '--db', db.url, '--dump', INCIDENT_DUMP], 'closed-pipe');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ts-audit: cannot write to standard output: the reader closed the pipe: the output is incomplete\n');
  });
});

/**
 * A server that speaks just enough of PostgreSQL's protocol to ask for a cleartext password and keep
 * what it is sent: the host a hostile config file would name.
 */
function passwordCatcher(): Promise<{ server: Server; port: number; connections: () => number; passwords: string[] }> {
  const passwords: string[] = [];
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    let buffered = Buffer.alloc(0);
    let started = false;
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        if (!started) {
          if (buffered.length < 8) return;
          const length = buffered.readInt32BE(0);
          if (buffered.length < length) return;
          const code = buffered.readInt32BE(4);
          buffered = buffered.subarray(length);
          if (code === 80877103)
            socket.write('N'); // SSLRequest: no TLS here
          else {
            started = true;
            // AuthenticationCleartextPassword
            socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]));
          }
          continue;
        }
        if (buffered.length < 5) return;
        const length = buffered.readInt32BE(1);
        if (buffered.length < length + 1) return;
        if (buffered[0] === 0x70) passwords.push(buffered.subarray(5, length).toString('utf8').replace(/\0$/, ''));
        buffered = buffered.subarray(length + 1);
        socket.destroy();
        return;
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port, connections: () => connections, passwords })),
  );
}

describe('a config file found in the working directory, with PG* variables or ~/.pgpass', () => {
  const db = useScenario('naive', fixture('incident.sql'));
  let catcher: Awaited<ReturnType<typeof passwordCatcher>>;
  let checkout: string;
  beforeAll(async () => {
    catcher = await passwordCatcher();
    // A pull request's checkout: its config file names the catcher.
    checkout = mkdtempSync(join(tmpdir(), 'ts-audit-checkout-'));
    writeFileSync(
      join(checkout, 'ts-audit.config.json'),
      JSON.stringify({ database: { url: `postgresql://bot@127.0.0.1:${catcher.port}/bot?sslmode=disable` } }),
    );
  });
  afterAll(() => new Promise<void>((resolve) => catcher.server.close(() => resolve())));
  const pgEnv = () => {
    const u = new URL(db.url);
    return {
      PGHOST: u.hostname,
      PGPORT: u.port,
      PGUSER: decodeURIComponent(u.username),
      PGPASSWORD: decodeURIComponent(u.password),
      PGDATABASE: u.pathname.slice(1),
      PGSSLMODE: 'disable',
    };
  };

  it('the PG* variables outrank it: PGPASSWORD goes to the server they name, never to the host the file names', async () => {
    const r = await cli(['check', '--format', 'json', '--fail-on', 'none'], pgEnv(), undefined, checkout);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).database.target).toContain(`:${new URL(db.url).port}/`);
    expect(catcher.connections()).toBe(0);
    // doctor says which source won, and what it outranked.
    const doctor = JSON.parse((await cli(['doctor', '--format', 'json'], pgEnv(), undefined, checkout)).stdout);
    expect(doctor.target.source).toMatch(
      /^the PG\* variables \(PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE\): they outrank database\.url of the config file found in the working directory \(.*ts-audit\.config\.json\), which is not used$/,
    );
    expect(catcher.connections()).toBe(0);
  });

  it('without PG* variables it is used, but no password from ~/.pgpass (or the environment) is sent to the host it names', async () => {
    const home = mkdtempSync(join(tmpdir(), 'ts-audit-home-'));
    writeFileSync(join(home, '.pgpass'), '*:*:*:*:pgpass-secret\n');
    chmodSync(join(home, '.pgpass'), 0o600);
    const r = await cli(['check'], { HOME: home }, undefined, checkout);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /^ts-audit: cannot connect to postgresql:\/\/bot@127\.0\.0\.1:\d+\/bot: the server asked for a password for user "bot" and none was given \(it is named only by the config file found in the working directory: PGPASSWORD and ~\/\.pgpass are not sent there; put the password in its URL, or name the file with --config\)\n$/,
    );
    expect(catcher.connections()).toBe(1);
    expect(catcher.passwords.join('')).not.toContain('pgpass-secret');
    const doctor = JSON.parse((await cli(['doctor', '--format', 'json'], { HOME: home }, undefined, checkout)).stdout);
    expect(doctor.target.source).toMatch(
      /^the config file found in the working directory \(.*\); no PG\* variable is set, and no password from the environment or ~\/\.pgpass is sent to the host it names$/,
    );
    expect(catcher.passwords.join('')).not.toContain('pgpass-secret');
    // Named with --config, the file is the operator's choice: ~/.pgpass applies as libpq would.
    await cli(['check', '--config', join(checkout, 'ts-audit.config.json')], { HOME: home }, undefined, home);
    expect(catcher.passwords).toContain('pgpass-secret');
  });
});

/** Runs the CLI; if it has not ended after `ms`, kills it (and says so) instead of hanging the suite. */
async function runOrKill(args: string[], ms: number, env: Record<string, string> = {}, signalWhen?: { signal: NodeJS.Signals; opened: string }) {
  const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  let killed = false;
  // The signal goes once the process has the file open (its handlers are installed by then): a
  // signal before that would find the process still starting, not blocked on the file.
  const holds = (pid: number, path: string) => {
    try {
      return readdirSync(`/proc/${pid}/fd`).some((fd) => {
        try {
          return readlinkSync(`/proc/${pid}/fd/${fd}`) === path;
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  };
  const signal = signalWhen
    ? setInterval(() => {
        if (child.pid !== undefined && holds(child.pid, signalWhen.opened)) {
          clearInterval(signal);
          child.kill(signalWhen.signal);
        }
      }, 50)
    : undefined;
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, ms);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  clearInterval(signal);
  return { code, stdout, stderr, killed };
}

describe.skipIf(process.platform !== 'linux')(
  `paths that are not regular files${process.platform === 'linux' ? '' : ' [skipped: needs Linux (mkfifo, /proc)]'}`,
  () => {
    const db = useScenario('naive', fixture('incident.sql'));
    const fifo = () => {
      const dir = mkdtempSync(join(tmpdir(), 'ts-audit-fifo-'));
      const path = join(dir, 'pipe');
      execFileSync('mkfifo', [path]);
      return path;
    };

    it('logs on a FIFO is refused at once (it waited for a writer, deaf to SIGTERM and SIGINT)', async () => {
      const r = await runOrKill(['logs', fifo()], 20_000);
      expect(r.killed).toBe(false);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^ts-audit: cannot read log .*pipe: it is a FIFO \(named pipe\), not a regular file \(save the log to a file first\)\n$/);
    });

    it('logs and --dump on /dev/zero are refused at once (logs grew to 650 MB, then failed)', async () => {
      const logs = await runOrKill(['logs', '/dev/zero'], 20_000);
      expect(logs).toMatchObject({
        killed: false,
        code: 2,
        stderr: 'ts-audit: cannot read log /dev/zero: it is a character device, not a regular file (save the log to a file first)\n',
      });
      const dump = await runOrKill(['diff', '--db', db.url, '--dump', '/dev/zero'], 20_000);
      expect(dump).toMatchObject({
        killed: false,
        code: 2,
        stderr: 'ts-audit: cannot read dump /dev/zero: it is a character device, not a regular file or a pipe\n',
      });
    });

    it('--dump on a FIFO with no writer ends on SIGTERM (143), not only on SIGKILL', async () => {
      const path = fifo();
      const r = await runOrKill(['diff', '--db', db.url, '--dump', path], 30_000, {}, { signal: 'SIGTERM', opened: path });
      expect(r.killed).toBe(false);
      expect(r.code).toBe(143);
    });

    it('--dump on a FIFO with a writer is read (as <(command) would give it)', async () => {
      const path = fifo();
      // The writer opens the FIFO (and waits for the reader) in this process's thread pool.
      const writing = writeFile(path, readFileSync(INCIDENT_DUMP));
      const r = await runOrKill(['diff', '--db', db.url, '--dump', path, '--format', 'json'], 30_000);
      await writing;
      expect(r.killed).toBe(false);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout).dump.stops).toBe(14);
    });

    it('a config file or a baseline that is a FIFO is refused at once', async () => {
      const config = await runOrKill(['check', '--config', fifo()], 20_000);
      expect(config).toMatchObject({ killed: false, code: 2 });
      expect(config.stderr).toMatch(/^ts-audit: cannot read config .*pipe: it is a FIFO \(named pipe\), not a regular file\n$/);
      const baseline = await runOrKill(['check', '--db', db.url, '--baseline', fifo()], 20_000);
      expect(baseline).toMatchObject({ killed: false, code: 2 });
      expect(baseline.stderr).toMatch(/^ts-audit: cannot read baseline .*pipe: it is a FIFO \(named pipe\), not a regular file\n$/);
    });
  },
);

describe('a log line with no end', () => {
  it('a 100 MB line is read in its first 65,536 characters, the rest skipped and counted, in a 40 MB heap', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ts-audit-longline-'));
    const path = join(dir, 'bot.log');
    const fd = openSync(path, 'w');
    writeSync(fd, '2025-10-26 20:30:34,973 - bot.ts - INFO - Initializing trailing stops for loaded positions\n2025-10-26 20:30:35,000 - bot.ts - INFO - ');
    const mb = Buffer.alloc(1 << 20, 'x');
    for (let i = 0; i < 100; i++) writeSync(fd, mb);
    writeSync(fd, '\n2025-10-26 20:30:36,000 - bot.ts - INFO - done\n');
    closeSync(fd);
    const r = await runOrKill(['logs', path, '--log-timezone', 'UTC', '--format', 'json', '--fail-on', 'none'], 120_000, {
      NODE_OPTIONS: '--max-old-space-size=40',
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.notes).toEqual(['1 log line longer than 65,536 characters: only the first 65,536 characters of it were read, the rest skipped']);
    expect(report.details.logs.records).toBe(3);
  });
});

describe('control characters from the data on stderr', () => {
  const db = useScenario('naive', fixture('incident.sql'));

  it('a dump error quoting a symbol shows its ESC as \\x1b, as the table does, on one line', async () => {
    const dump = writeDumpFile({ format: 'ts-audit/stops@1', stops: [{ exchange: 'binance', symbol: 'X\u001b[2J\rY', state: 'bogus' }] });
    const r = await cli(['diff', '--db', db.url, '--dump', dump]);
    expect(r.code).toBe(2);
    // eslint-disable-next-line no-control-regex -- no control character but the newline may reach the terminal
    expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(r.stderr).toContain('(binance X\\x1b[2J\\rY)');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it("rescue's left-out lines: a symbol's ESC and newline cannot recolour the terminal or forge a line", async () => {
    const dump = writeDumpFile({
      format: 'ts-audit/stops@1',
      stops: [
        {
          exchange: 'binance',
          symbol: 'GONE\u001b[31m\nts-audit: rescue script (0 statements) written',
          side: 'long',
          state: 'waiting',
          highest_price: '1',
          update_count: 1,
        },
      ],
    });
    const r = await cli(['rescue', '--db', db.url, '--dump', dump, '--symbol', 'GONE\u001b[31m\nts-audit: rescue script (0 statements) written']);
    expect(r.code).toBe(0);
    // eslint-disable-next-line no-control-regex -- no control character but the newline may reach the terminal
    expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'ts-audit: left out binance/GONE\\x1b[31m\\nts-audit: rescue script (0 statements) written: memory holds it, but it has no open position: a restart would not restore it (diff: missing-in-db, high: stop exists only in memory: a restart recreates it from scratch)',
    ]);
  });
});
