// `npm run demo` and `npm test` build only when the build is missing or older than a source: scripts/build-if-stale.mjs.
// The tests themselves run the built modules, which vitest.config.ts rebuilds first when they are stale.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script, without types
import { staleBecause } from '../../scripts/build-if-stale.mjs';

const stale = staleBecause as (root: string) => string | null;
let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

function tree(): string {
  root = mkdtempSync(join(tmpdir(), 'ts-audit-stale-'));
  for (const dir of ['src/demo', 'dist', 'scripts']) mkdirSync(join(root, dir), { recursive: true });
  const at = (path: string, seconds: number) => {
    writeFileSync(join(root, path), '');
    utimesSync(join(root, path), seconds, seconds);
  };
  at('src/cli.ts', 1000);
  at('src/demo/journal.sql', 1000);
  at('tsconfig.json', 1000);
  at('package.json', 1000);
  at('scripts/build.mjs', 1000);
  at('scripts/check-index.mjs', 1000);
  at('dist/ts-audit.1', 2000);
  return root;
}

describe('build-if-stale', () => {
  it('does not build when the build is newer than every source', () => {
    expect(stale(tree())).toBeNull();
  });

  it('builds when a source, however deep, the package or compiler settings or the build itself changed since', () => {
    for (const path of ['src/demo/journal.sql', 'src/cli.ts', 'package.json', 'tsconfig.json', 'scripts/build.mjs', 'scripts/check-index.mjs']) {
      const dir = tree();
      utimesSync(join(dir, path), 3000, 3000);
      expect(stale(dir), path).toBe('sources changed since the last build');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds when there is no build, or a build that did not finish (no man page, the last thing it writes)', () => {
    const dir = tree();
    rmSync(join(dir, 'dist/ts-audit.1'));
    expect(stale(dir)).toBe('no build yet');
  });
});

describe('the tests', () => {
  const ROOT = fileURLToPath(new URL('../../', import.meta.url));

  it('import the built modules, as Node loads them for bin/ts-audit.js, and not a copy of src/', async () => {
    const imported = await import('../../src/decimal.js');
    const built: unknown = await import(pathToFileURL(join(ROOT, 'dist/decimal.js')).href);
    expect(imported).toBe(built);
  });

  it('run on a build as new as the sources', () => {
    expect(stale(ROOT)).toBeNull();
  });
});
