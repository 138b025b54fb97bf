// Outputs and inputs that fail or are hostile: standard output on a full disk or a closed pipe, a
// config file found in the working directory next to PG* variables, a FIFO or device given as a file,
// an endless log line, and data holding control characters on its way to stderr.
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture, useScenario } from '../support/db.js';
import { BIN, type Result } from '../support/cli.js';
import { INCIDENT_DUMP } from '../support/db.js';
import { requireBuild } from '../support/report.js';

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
