// Writes small state dumps for a test into a temporary folder.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'ts-audit-dumps-'));
let n = 0;

export function writeDump(content: string | object, ext = 'json'): string {
  const file = join(dir, `dump-${++n}.${ext}`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

export function stopsDump(stops: object[], dumpedAt = '2025-10-26T16:29:00Z'): string {
  return writeDump({ format: 'ts-audit/stops@1', dumpedAt, stops });
}
