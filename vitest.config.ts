import { defineConfig } from 'vitest/config';

// Every test runs twice: in UTC and in Asia/Dubai (the bot's hosts are UTC+4). node-postgres parses a
// naive `timestamp` in the process's zone, so results that depend on TZ would show up as a failure.
export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'TZ=UTC', env: { TZ: 'UTC' } } },
      { extends: true, test: { name: 'TZ=Asia/Dubai', env: { TZ: 'Asia/Dubai' } } },
    ],
  },
});
