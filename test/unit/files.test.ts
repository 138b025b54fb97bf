import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAtomically } from '../../src/files.js';

describe('writeAtomically', () => {
  it('leaves the old file and no temporary file behind when the write fails midway', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ts-audit-atomic-'));
    const path = join(dir, 'report.json');
    writeFileSync(path, 'old');
    function* failing() {
      yield 'x'.repeat(200_000); // more than one piece: the temporary file exists when it fails
      throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    }
    await expect(writeAtomically(path, failing())).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(readdirSync(dir)).toEqual(['report.json']);
    expect(readFileSync(path, 'utf8')).toBe('old');
    await writeAtomically(path, ['new']);
    expect(readdirSync(dir)).toEqual(['report.json']);
    expect(readFileSync(path, 'utf8')).toBe('new');
  });
});
