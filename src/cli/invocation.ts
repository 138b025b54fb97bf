// How a person in this shell runs ts-audit, for commands printed to be copied: `ts-audit` when that
// is on PATH, `npx ts-audit` inside a clone of the package (npm runs the package's own bin), else
// node with the path of this executable.
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function invocation(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, 'ts-audit'), constants.X_OK);
      return 'ts-audit';
    } catch {
      // not in this folder
    }
  }
  const inside = !relative(ROOT, cwd).startsWith('..');
  try {
    if (inside && JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).name === 'ts-audit') return 'npx ts-audit';
  } catch {
    // no package.json beside the code: fall through
  }
  return `node ${join(dirname(join(ROOT, 'bin', 'x')), 'ts-audit.js')}`;
}
