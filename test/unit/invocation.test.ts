import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { invocation } from '../../src/cli/invocation.js';

const ROOT = new URL('../../', import.meta.url).pathname;

describe('how printed commands call ts-audit', () => {
  it('is `ts-audit` on PATH, `npx ts-audit` inside the clone, else node with the path of the executable', () => {
    const bin = mkdtempSync(join(tmpdir(), 'ts-audit-path-'));
    writeFileSync(join(bin, 'ts-audit'), '#!/bin/sh\n');
    chmodSync(join(bin, 'ts-audit'), 0o755);
    expect(invocation({ PATH: bin }, tmpdir())).toBe('ts-audit');
    expect(invocation({ PATH: '' }, ROOT)).toBe('npx ts-audit');
    expect(invocation({ PATH: '' }, join(ROOT, 'src'))).toBe('npx ts-audit');
    expect(invocation({ PATH: '' }, tmpdir())).toBe(`node ${join(ROOT, 'bin', 'ts-audit.js')}`);
  });
});
