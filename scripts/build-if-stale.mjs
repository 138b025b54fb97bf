#!/usr/bin/env node
// `npm run demo`, `npm test` and `npm run docs:samples` build only when the build is missing or older
// than what it is built from, so that a second run starts at once instead of waiting for the build. The
// build's last output, dist/ts-audit.1 (the man page, written by dist/generate.js after the modules;
// `npm run build` empties dist/ first), stands for a whole, successful build. Its inputs: every file
// under src/, the build's scripts, tsconfig.json and package.json.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const mtime = (path) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
};

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : (mtime(path) ?? 0));
  }
  return latest;
}

/** Why the build in `root` must be redone, or null when it is up to date. */
export function staleBecause(root) {
  const built = mtime(join(root, 'dist', 'ts-audit.1'));
  if (built === undefined) return 'no build yet';
  const files = ['scripts/build.mjs', 'scripts/check-index.mjs', 'tsconfig.json', 'package.json'];
  const inputs = Math.max(newest(join(root, 'src')), ...files.map((file) => mtime(join(root, file)) ?? 0));
  return inputs > built ? 'sources changed since the last build' : null;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const why = staleBecause(root);
  if (why) {
    process.stderr.write(`ts-audit: building (${why})…\n`);
    const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
    process.exitCode = r.status ?? 1;
  }
}
