// Which memory sides a run may connect (and begin its transaction) before opening: only those that
// open at once, so that no transaction waits open on a pipe, a URL or a log (src/run/snapshot.ts).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryOpensAtOnce } from '../../src/run/memory.js';

describe('memoryOpensAtOnce', () => {
  it('is true for the journal and a regular file, false for stdin, a URL, a FIFO, a missing file and the logs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ts-audit-opens-'));
    try {
      const file = join(dir, 'dump.ndjson');
      writeFileSync(file, '{"format": "ts-audit/stops@1"}\n');
      const fifo = join(dir, 'fifo');
      execFileSync('mkfifo', [fifo]);
      expect(memoryOpensAtOnce({ fromEvents: true })).toBe(true);
      expect(memoryOpensAtOnce({ dump: file })).toBe(true);
      expect(memoryOpensAtOnce({})).toBe(false); // standard input
      expect(memoryOpensAtOnce({ dump: '-' })).toBe(false);
      expect(memoryOpensAtOnce({ dump: 'https://bot.example/status' })).toBe(false);
      expect(memoryOpensAtOnce({ dump: fifo })).toBe(false);
      expect(memoryOpensAtOnce({ dump: join(dir, 'missing.json') })).toBe(false);
      expect(memoryOpensAtOnce({ dumpLog: [file] })).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
