// `npm run build`: dist/ from src/. It empties dist/, writes the check index (scripts/check-index.mjs),
// transpiles every module of src/ to the same path under dist/ (types stripped, ESM, Node 20's
// language: nothing is bundled, so dist/ keeps the layout of src/), then runs dist/generate.js, which
// writes what the registry derives and, last, the man page dist/ts-audit.1 (scripts/build-if-stale.mjs
// takes it for a whole build). It does not type-check: `npm run typecheck` does, for src/ and test/
// together, and CI runs it before the tests. The transpiler is Oxc's, through rolldown (the bundler
// vitest's vite is built on): one module at a time, so a module must not need another's types to be
// emitted (no const enums, no namespaces that merge), which `isolatedModules` in tsconfig.json holds
// it to.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'rolldown/utils';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');
/** Node 20.10, the oldest Node package.json's engines allow. */
const TARGET = 'node20.10';

function modules(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return modules(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function run(script) {
  const r = spawnSync(process.execPath, [script], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

rmSync(DIST, { recursive: true, force: true });
run(join(ROOT, 'scripts', 'check-index.mjs'));
let failed = false;
for (const path of modules(SRC)) {
  const name = relative(ROOT, path);
  const out = transformSync(name, readFileSync(path, 'utf8'), { lang: 'ts', sourceType: 'module', target: TARGET });
  if (out.errors.length > 0) {
    failed = true;
    for (const e of out.errors) process.stderr.write(`${name}: ${e.message}\n`);
    continue;
  }
  const target = join(DIST, relative(SRC, path)).replace(/\.ts$/, '.js');
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, out.code);
}
if (failed) process.exit(1);
run(join(DIST, 'generate.js'));
