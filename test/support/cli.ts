// Runs the built bin/ts-audit.js as a user would: a clean environment (PATH and NO_COLOR only, plus
// what a test gives), and stdout, stderr and the exit code collected.
import { spawn } from 'node:child_process';
import { expect } from 'vitest';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const BIN = `${ROOT}bin/ts-audit.js`;

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI (or, with `script`, another script of a package) under node. */
export function run(args: string[], env: Record<string, string> = {}, stdin?: string, cwd?: string, script = BIN): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
      cwd,
    });
    let stdout = '';
    let stderr = '';
    // Decoded as a stream: a character split between two pipe reads stays whole.
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (c: string) => (stdout += c));
    child.stderr.on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** One line on stderr, no stack trace, nothing on stdout. */
export function expectOneLineError(r: Result, code: number, pattern: RegExp) {
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^ts-audit: /);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

export interface Running {
  child: ReturnType<typeof spawn>;
  /** What it has written so far. */
  stdout(): string;
  stderr(): string;
  /** Whether it has exited. */
  ended(): boolean;
  /** Its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
}

/** Starts the CLI without waiting for it (watch, a run to interrupt), collecting what it writes. */
export function start(args: string[], env: Record<string, string> = {}, cwd?: string): Running {
  const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env }, cwd });
  let stdout = '';
  let stderr = '';
  let ended = false;
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (c: string) => (stdout += c));
  child.stderr.on('data', (c: string) => (stderr += c));
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      ended = true;
      resolve(code);
    }),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, ended: () => ended, exited };
}
