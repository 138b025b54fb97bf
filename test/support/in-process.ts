// Runs the CLI inside the test's process: the same main() the executable runs (src/cli.ts, from the
// sources), with the same argument parsing, writers and exit code, but no Node start and no module
// loading per run. It gives what run() of cli.ts gives (stdout, stderr, the exit code) for tests whose
// subject is what a command does, not the process around it. What only a process shows stays spawned
// (cli.ts's run): signals, a closed or full standard output, standard input, the executable's start
// and what it loads, the exit status the operating system sees.
//
// For the time of a call, the environment is exactly the one a spawned run gets (PATH, NO_COLOR and
// what the test gives; no TZ unless given, so the machine's zone as in a child), standard output is
// not a terminal (a pipe, as in a child), and the working folder is `cwd` when given. Calls take
// turns: each has the process's environment and writers to itself.
import type { Result } from './cli.js';

type Write = typeof process.stdout.write;

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `ts-audit args…` in this process (environment `env` on top of PATH and NO_COLOR=1, in `cwd`).
 * Its arguments are run()'s, but standard input, which only a spawned run has.
 */
export function cli(args: string[], env: Record<string, string> = {}, stdin?: undefined, cwd?: string): Promise<Result> {
  const call = queue.then(() => runOnce(args, env, cwd));
  queue = call.catch(() => undefined);
  return call;
}

async function runOnce(args: string[], env: Record<string, string>, cwd: string | undefined): Promise<Result> {
  const { main } = await import('../../src/cli.js');
  const saved = { ...process.env };
  const savedCwd = process.cwd();
  const writes = { out: process.stdout.write, err: process.stderr.write };
  const tty = { out: Object.getOwnPropertyDescriptor(process.stdout, 'isTTY'), err: Object.getOwnPropertyDescriptor(process.stderr, 'isTTY') };
  let stdout = '';
  let stderr = '';
  const capture =
    (append: (text: string) => void): Write =>
    (chunk: string | Uint8Array, encoding?: unknown, done?: unknown) => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const callback = typeof encoding === 'function' ? encoding : done;
      if (typeof callback === 'function') queueMicrotask(() => (callback as () => void)());
      return true;
    };
  setEnvironment({ PATH: saved.PATH ?? '', NO_COLOR: '1', ...env });
  try {
    if (cwd) process.chdir(cwd);
    process.stdout.write = capture((t) => (stdout += t));
    process.stderr.write = capture((t) => (stderr += t));
    Object.defineProperty(process.stdout, 'isTTY', { value: false, configurable: true });
    Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true });
    const code = await main(['node', 'ts-audit', ...args]);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
    restoreProperty(process.stdout, 'isTTY', tty.out);
    restoreProperty(process.stderr, 'isTTY', tty.err);
    process.chdir(savedCwd);
    setEnvironment(saved);
  }
}

/** Makes process.env exactly `env` (in place: Node applies a change of TZ when the variable is set or deleted). */
function setEnvironment(env: Record<string, string | undefined>): void {
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
  for (const [key, value] of Object.entries(env)) if (value !== undefined && process.env[key] !== value) process.env[key] = value;
}

function restoreProperty(target: object, key: string, descriptor: PropertyDescriptor | undefined): void {
  if (descriptor) Object.defineProperty(target, key, descriptor);
  else delete (target as Record<string, unknown>)[key];
}
