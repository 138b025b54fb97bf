import { defineConfig } from 'vitest/config';

// Unit and integration tests run twice: in UTC and in Asia/Dubai (the bot's hosts are UTC+4), but for
// the files that read no time (listed in the Dubai project).
// node-postgres parses a naive `timestamp` in the process's zone, so results that depend on TZ would
// show up as a failure. End-to-end tests spawn the CLI with a clean environment (no TZ from this
// process), so running them twice would test the same thing twice; those whose result could depend
// on the zone pass TZ to the child themselves (several zones in one test).
export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    // Most of a test's time is spent waiting on a spawned ts-audit or on PostgreSQL, not on this
    // process: four workers on two cores ran the suite in 81 s instead of 127 s.
    maxWorkers: 4,
    // Test files share a worker's module graph instead of each importing src/ anew: the suite spent
    // about 40 s importing and transforming the same modules. Tests that change globals (the
    // environment, process.stdout) restore them after themselves.
    isolate: false,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'TZ=UTC', env: { TZ: 'UTC' } } },
      {
        extends: true,
        test: {
          name: 'TZ=Asia/Dubai',
          env: { TZ: 'Asia/Dubai' },
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
          // Files that read no time the process zone could change (JSON text, dump sizes, caps and
          // pieces) run once: twice cost about 2 s of a CPU-bound suite for nothing.
          exclude: ['test/unit/json.test.ts', 'test/unit/dump-stream.test.ts'],
        },
      },
    ],
  },
});
