// Every output sample of the README and docs/ is the built binary's real output on the demo database:
// scripts/docs-samples.mjs runs each one again here, and a sample that differs fails the test (`npm
// run docs:samples` rewrites them). What is normalised, and why, is said in that script.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';
import { requireBuild } from '../support/report.js';
// @ts-expect-error: a plain ES module script, without types
import * as samplesModule from '../../scripts/docs-samples.mjs';

requireBuild();

interface Sample {
  name: string;
  file: string;
  args: string[];
}
const samples = samplesModule as {
  SAMPLES: Sample[];
  renderSamples(): Promise<Map<string, string>>;
  applySamples(text: string, blocks: Map<string, string>, file?: string): string;
  markedSamples(text: string): string[];
  staleFiles(blocks: Map<string, string>, read?: (file: string) => string): { file: string; now: string; next: string }[];
  normalise(text: string, port: string): string;
};
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

describe('the output samples of the docs', () => {
  let blocks: Map<string, string>;
  beforeAll(async () => {
    blocks = await samples.renderSamples();
  }, 120_000);

  it('are each shown once, where the list says, and no page shows a sample the list does not have', () => {
    expect(samples.SAMPLES.length).toBeLessThanOrEqual(8);
    for (const s of samples.SAMPLES)
      expect(
        samples.markedSamples(read(s.file)).filter((n) => n === s.name),
        `${s.file}: ${s.name}`,
      ).toHaveLength(1);
    const known = new Set(samples.SAMPLES.map((s) => s.name));
    for (const file of ['README.md', 'docs/commands.md', 'docs/formats.md', 'docs/configuration.md', 'docs/json-report.md', 'docs/ci.md', 'docs/bot.md']) {
      for (const name of samples.markedSamples(read(file))) expect(known.has(name), `${file}: ${name}`).toBe(true);
    }
  });

  it('match what the binary prints now, on the demo database', () => {
    const stale = samples.staleFiles(blocks);
    // The first differing line of each stale file, so that the failure says what changed.
    const first = stale.map(({ file, now, next }) => {
      const a = now.split('\n');
      const b = next.split('\n');
      const i = a.findIndex((line, n) => line !== b[n]);
      return `${file}:${i + 1}: shown "${a[i]}", printed "${b[i]}" (npm run docs:samples)`;
    });
    expect(first).toEqual([]);
  });

  it('fail on a stale sample: an exit code changed in the README is found', () => {
    const readme = read('README.md');
    // The exit code ends every sample and reads the same whatever the checks find: the mutation
    // cannot miss when the samples' text changes.
    const stale = readme.replace(/\$ echo \$\?\n(\d+)/, (_m, code: string) => `$ echo $?\n${Number(code) + 1}`);
    expect(stale).not.toBe(readme);
    const found = samples.staleFiles(blocks, (file) => (file === 'README.md' ? stale : read(file)));
    expect(found.map((f) => f.file)).toContain('README.md');
    expect(found.find((f) => f.file === 'README.md')?.next).toBe(readme);
  });

  it("normalise only the port, the run's own times and the durations doctor measures", () => {
    // A time the table wrapped after its date is still the run's own.
    expect(samples.normalise('dumped 2026-12-24\n  17:03:59 UTC', '1')).toBe('dumped 2026-12-01\n  09:00:00 UTC');
    const text =
      'postgresql://postgres@127.0.0.1:40123/postgres · snapshot 2026-12-24 17:03:59 UTC · "generatedAt": "2026-12-24T17:03:59.123Z" · opened 2025-10-26 13:05:54 · read-only snapshot in 312 ms · 1.7 ms for SELECT 1';
    expect(samples.normalise(text, '40123')).toBe(
      'postgresql://postgres@127.0.0.1:54321/postgres · snapshot 2026-12-01 09:00:00 UTC · "generatedAt": "2026-12-01T09:00:00.000Z" · opened 2025-10-26 13:05:54 · read-only snapshot in 40 ms · 0.5 ms for SELECT 1',
    );
  });
});
