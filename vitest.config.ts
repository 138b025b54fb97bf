import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { defineConfig } from 'vitest/config';
// @ts-expect-error: a plain ES module script, without types
import { staleBecause } from './scripts/build-if-stale.mjs';

// Tests import the built modules: a test's `../../src/x.js` is dist/x.js, loaded by Node itself
// (external to vitest), as bin/ts-audit.js and the spawned end-to-end runs load them. vitest then
// transforms and instruments only the tests and their support files, not src/ once more in every
// worker. So the build must be current: every vitest start (npm test, `npx vitest run file`) builds
// first when a source changed since the last build. vitest's watch mode does not rebuild on an edit.
const ROOT = fileURLToPath(new URL('./', import.meta.url));
const stale = (staleBecause as (root: string) => string | null)(ROOT);
if (stale) {
  process.stderr.write(`ts-audit: building (${stale})…\n`);
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) throw new Error('the build failed: the tests would run against an old dist/');
}
const SOURCES_AS_BUILT = { find: /^(?:\.\.\/)+src\/(.*)\.js$/, replacement: `${ROOT}dist/$1.js` };

// Unit tests use no database: their projects start no PostgreSQL (their global setup is the run's
// temporary folder alone). Integration and end-to-end tests share one server, started by the global
// setup of theirs.
//
// Unit and integration tests run twice: in UTC and in Asia/Dubai (the bot's hosts are UTC+4), but for
// the files that read no time (excluded from the Dubai projects, each with its reason).
// node-postgres parses a naive `timestamp` in the process's zone, so results that depend on TZ would
// show up as a failure. End-to-end tests run the CLI with a clean environment (no TZ from this
// process), spawned or in the test's process (test/support/in-process.ts), so running them twice would
// test the same thing twice; those whose result could depend on the zone spawn it with TZ set
// themselves (several zones in one test).
const UNIT = ['test/unit/**/*.test.ts'];
const INTEGRATION = ['test/integration/**/*.test.ts'];
const E2E = ['test/e2e/**/*.test.ts'];
const NO_DATABASE = ['test/support/tmp-setup.ts'];
const DATABASE = ['test/support/global-setup.ts'];

export default defineConfig({
  resolve: { alias: [SOURCES_AS_BUILT] },
  test: {
    server: { deps: { external: [/\/dist\//] } },
    testTimeout: 30_000,
    // Part of a test's time is spent waiting on PostgreSQL (or on a spawned ts-audit), so one worker
    // more than the two cores keeps both busy; each further worker imports the sources again, which
    // cost more than it won (bench/README.md#other-figures).
    maxWorkers: 3,
    // Test files share a worker's module graph instead of each importing src/ anew, which took much of
    // the suite's time. Tests that change globals (the environment, process.stdout) restore them after
    // themselves.
    isolate: false,
    // A larger young generation in the workers: fewer scavenges of the many short-lived objects a
    // report run makes.
    execArgv: ['--max-semi-space-size=64'],
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit, TZ=UTC', include: UNIT, globalSetup: NO_DATABASE, env: { TZ: 'UTC' } } },
      {
        extends: true,
        test: {
          name: 'unit, TZ=Asia/Dubai',
          include: UNIT,
          // Files that read no time the process zone could change run once: JSON text (json), dump
          // sizes, caps and pieces (dump-stream, line-cap), exact decimals (decimal), the Markdown of
          // the docs and their links (docs), the import graph of src/ (imports), the check index, its
          // help, schema and README table (registry), the command table and its options
          // (command-table), colour and width from the environment (output), the database target's
          // precedence (target), the invocation shown in hints (invocation), atomic file writes (files),
          // appending many values and a table of 150,000 rows drawn in UTC whatever the zone (arrays).
          exclude: [
            'test/unit/json.test.ts',
            'test/unit/dump-stream.test.ts',
            'test/unit/line-cap.test.ts',
            'test/unit/decimal.test.ts',
            'test/unit/docs.test.ts',
            'test/unit/imports.test.ts',
            'test/unit/registry.test.ts',
            'test/unit/command-table.test.ts',
            'test/unit/output.test.ts',
            'test/unit/target.test.ts',
            'test/unit/invocation.test.ts',
            'test/unit/files.test.ts',
            'test/unit/arrays.test.ts',
          ],
          globalSetup: NO_DATABASE,
          env: { TZ: 'Asia/Dubai' },
        },
      },
      { extends: true, test: { name: 'TZ=UTC', include: [...INTEGRATION, ...E2E], globalSetup: DATABASE, env: { TZ: 'UTC' } } },
      {
        extends: true,
        test: {
          name: 'TZ=Asia/Dubai',
          include: INTEGRATION,
          // Files whose results no process zone can change run once: queries (the server plans each
          // query with EXPLAIN; no row comes back to be parsed), columns (the names of a query's result
          // columns), lower-case (a state's letters; the verdict read is a reason, not a time), spill
          // (a timestamptz database, whose values are instants in any zone, and assertions on counts
          // and the order by severity, exchange, symbol and check).
          exclude: [
            'test/integration/queries.test.ts',
            'test/integration/columns.test.ts',
            'test/integration/lower-case.test.ts',
            'test/integration/spill.test.ts',
          ],
          globalSetup: DATABASE,
          env: { TZ: 'Asia/Dubai' },
        },
      },
    ],
  },
});
