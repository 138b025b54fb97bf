// Help that teaches: the top level opens with an example and groups the commands by task, the on-call
// path and where memory comes from are said, every command's help shows examples before its options,
// flags that need another flag say so, everything fits 80 columns, and no example uses an endpoint
// the bot does not have.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';
import { cli } from '../support/in-process.js';
import { requireBuild } from '../support/report.js';

requireBuild();

const COMMANDS = [
  'diff',
  'restore',
  'report',
  'check',
  'timestamps',
  'orphans',
  'entry-mismatch',
  'recreated',
  'timeline',
  'logs',
  'explain',
  'queries',
  'rescue',
  'watch',
  'doctor',
  'demo',
  'completion',
];
/** The bot serves no HTTP endpoint with its stops: no example may fetch one. */
const NO_ENDPOINT = /bot:8080|\/ts\/status/;

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    return statSync(path).isDirectory() ? files(path) : [path];
  });

describe('help', () => {
  it('the top level opens with a two-line example, groups the commands by task and gives the on-call path, in 80 columns', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^Example: /);
    expect(lines[1]).toMatch(/^ {2}\$ ts-audit diff --from-events /);
    expect(lines[2]).toMatch(/^ {2}\$ ts-audit rescue --from-events .*-o rescue\.sql$/);
    const headings = ['Incident:', 'Investigation:', 'Repair:', 'CI and monitoring:', 'Setup:'].map((h) => lines.indexOf(h));
    expect(headings.every((i) => i > 0)).toBe(true);
    expect([...headings].sort((a, b) => a - b)).toEqual(headings);
    expect(lines[(headings[0] as number) + 1]).toMatch(/^ {2}diff /);
    expect(lines[(headings[2] as number) + 1]).toMatch(/^ {2}rescue /);
    const path = r.stdout.slice(r.stdout.indexOf('On call, in this order:'));
    const steps = [
      'ts-audit doctor',
      'ts-audit diff --from-events',
      'ts-audit rescue --from-events -o rescue.sql',
      'psql -v ON_ERROR_STOP=1 -f rescue.sql',
      'ts-audit restore',
    ].map((s) => path.indexOf(s));
    expect(steps.every((i) => i > 0)).toBe(true);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    expect(r.stdout).toContain('Memory (what the bot holds) comes from one of:');
    for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(80);
  });

  it('every command shows examples before its options, fits 80 columns and fetches no endpoint', async () => {
    const helps = await Promise.all(COMMANDS.map((c) => cli([c, '--help'])));
    helps.forEach((h, i) => {
      const name = COMMANDS[i] as string;
      expect(h.code, name).toBe(0);
      const lines = h.stdout.split('\n');
      const examples = lines.indexOf('Examples:');
      const options = lines.findIndex((l) => l === 'Options:' || l === 'Arguments:');
      expect(examples, name).toBeGreaterThan(0);
      expect(examples, name).toBeLessThan(options);
      expect(lines[examples + 1], name).toMatch(/^ {2}\$ /);
      for (const line of lines) expect([...line].length, `${name}: ${line}`).toBeLessThanOrEqual(80);
      expect(h.stdout, name).not.toMatch(NO_ENDPOINT);
    });
    const diff = helps[0]?.stdout ?? '';
    expect(diff).toMatch(/^ {2}\$ ts-audit diff --from-events/m);
    // The database checks' settings apply to diff only with --all, and the help says so.
    const settings = diff.indexOf('Settings of the database checks (only with --all):');
    expect(settings).toBeGreaterThan(0);
    expect(diff.indexOf('--late-after')).toBeGreaterThan(settings);
    expect(diff).toContain('Memory (what the bot holds) comes from one of:');
    const watch = helps[COMMANDS.indexOf('watch')]?.stdout ?? '';
    expect(watch.indexOf('--stale-after')).toBeGreaterThan(watch.indexOf('Settings of the database checks (without --dump, or with --all):'));
  });

  it('no source file, help text or man page uses an endpoint the bot does not have', async () => {
    const offenders = files(`${ROOT}src`).filter((f) => NO_ENDPOINT.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
    expect(readFileSync(`${ROOT}dist/ts-audit.1`, 'utf8')).not.toMatch(NO_ENDPOINT);
  });
});
