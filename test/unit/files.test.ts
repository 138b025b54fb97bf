import { lstatSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
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

describe('writeAtomically and planted links', () => {
  it('never follows a symbolic link planted where the temporary file used to be (.NAME.PID.tmp), nor one at the target', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ts-audit-link-'));
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    const path = join(dir, 'rescue.sql');
    // The name the writer used to open without O_EXCL, and other guesses of it.
    symlinkSync(victim, join(dir, `.rescue.sql.${process.pid}.tmp`));
    symlinkSync(victim, path);
    await writeAtomically(path, ['BEGIN;\nCOMMIT;\n']);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    // The target is now a file of its own (the link was replaced, not written through).
    expect(lstatSync(path).isSymbolicLink()).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('BEGIN;\nCOMMIT;\n');
    expect(readdirSync(dir).sort()).toEqual([`.rescue.sql.${process.pid}.tmp`, 'rescue.sql', 'victim.txt']);
  });
});
