// The run's temporary folder: every temporary file of a test run (the tests' own and those of the
// ts-audit processes they spawn) goes into one folder, removed when the last project that uses it
// ends. Each project's global setup loads this module anew in one process: the state is shared
// through globalThis.
import { accessSync, chmodSync, constants, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestServer {
  url: string;
  logFile: string;
  stop(): Promise<void>;
}

interface Shared {
  machine: string;
  run?: string;
  users: number;
  server?: Promise<TestServer>;
  serverUsers?: number;
  templates?: Promise<{ templates: import('./templates.js').Templates; drop(): Promise<void> }>;
}

export const shared = ((globalThis as { tsAuditRunTmp?: Shared }).tsAuditRunTmp ??= { machine: tmpdir(), users: 0 });

/** The machine's temporary folder, as it was before the run's took its place in TMPDIR. */
export const machineTmp = shared.machine;

/**
 * A RAM-backed folder when there is one with room: the run creates and drops about a hundred databases
 * (a thousand files each), which a disk mounted with `discard` makes slow (bench/README.md#other-figures).
 * Else (no /dev/shm, or Docker's 64 MB one) the temporary folder, as before.
 */
export function memoryFolder(): string | undefined {
  const shm = '/dev/shm';
  try {
    const fs = statfsSync(shm);
    if (fs.type !== TMPFS_MAGIC || fs.bavail * fs.bsize < 2 * 1024 ** 3) return undefined;
    accessSync(shm, constants.W_OK | constants.X_OK);
    return shm;
  } catch {
    return undefined;
  }
}

const TMPFS_MAGIC = 0x01021994;

/** Points TMPDIR at the run's folder (made by the first caller); the function returned releases it. */
export function useRunTmp(): () => void {
  const runTmp = (shared.run ??= mkdtempSync(join(memoryFolder() ?? machineTmp, 'ts-audit-test-run-')));
  // The demo test starts a server whose data folder is in here: "postgres" must pass through it.
  chmodSync(runTmp, 0o711);
  process.env.TMPDIR = runTmp;
  shared.users += 1;
  return () => {
    shared.users -= 1;
    if (shared.users === 0) rmSync(runTmp, { recursive: true, force: true });
  };
}
