// A check added as one module and one query file, with no other edit, appears in explain, in the
// help of `check`, in the config schema and the README table, and runs: on a copy of the built package,
// built again by `npm run build`'s script (the check index written from the folder, every module
// transpiled, then what the registry derives). Spawned: the copy's own executable is what runs.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, run } from '../support/cli.js';
import { type ScenarioDb, createScenario, fixture } from '../support/db.js';

const MODULE = `// A check written by a newcomer: everything about it is here.
const rowsWithoutEntry = {
  id: 'rows-without-entry',
  kind: 'database',
  commands: ['check'],
  severities: ['low'],
  summary: 'A test check: stop rows whose entry price is below --min-entry.',
  failureMode: 'Made up for the test.',
  repair: 'None.',
  query: 'rows-without-entry',
  columns: { exchange: true, symbol: true },
  thresholds: [{
    name: 'minEntry', placeholder: '<amount>', help: 'rows-without-entry: the smallest entry price that counts', default: '0.0000001',
    expected: 'an amount', schema: { type: 'string' }, parse: (text) => (/^[0-9.]+$/.test(text) ? text : null), params: (value) => ({ min_entry: value }),
  }],
  evaluate: (rows) => rows.map((r) => ({ check: 'rows-without-entry', severity: 'low', exchange: r.exchange, symbol: r.symbol, positionId: null, message: 'entry below the minimum', evidence: {} })),
};
export default rowsWithoutEntry;
`;
const QUERY = `-- rows-without-entry: stop rows whose entry price is below :min_entry.
SELECT s.exchange, s.symbol FROM {{trailing_stop_state: exchange, symbol, entry_price}} s WHERE s.entry_price < :min_entry::numeric ORDER BY 1, 2;
`;

describe('a new check is one module and one query file', () => {
  let copy: string;
  let db: ScenarioDb;
  beforeAll(async () => {
    copy = mkdtempSync(join(tmpdir(), 'ts-audit-newcheck-'));
    for (const part of ['bin', 'queries', 'scripts', 'src', 'package.json', 'tsconfig.json', 'README.md'])
      cpSync(join(ROOT, part), join(copy, part), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    // The only edits: the module and its query.
    writeFileSync(join(copy, 'src/checks/rows-without-entry.ts'), MODULE);
    writeFileSync(join(copy, 'queries/rows-without-entry.sql'), QUERY);
    // The build, as `npm run build` runs it.
    execFileSync(process.execPath, [join(copy, 'scripts/build.mjs')], { stdio: 'ignore' });
    db = await createScenario('tz', fixture('failure-modes.sql'));
  });
  afterAll(async () => {
    rmSync(copy, { recursive: true, force: true });
    await db?.drop();
  });

  const own = (args: string[]) => run(args, {}, undefined, copy, join(copy, 'bin/ts-audit.js'));

  it('appears in explain, in the help of check with its option, and runs', async () => {
    const e = await own(['explain', 'rows-without-entry']);
    expect(e.code).toBe(0);
    expect(e.stdout).toContain('A test check: stop rows whose entry price is below --min-entry.');
    expect(e.stdout).toContain('Query (queries/rows-without-entry.sql)');
    const help = await own(['check', '--help']);
    expect(help.stdout).toMatch(/rows-without-entry\s+low; --min-entry/);
    expect(help.stdout).toContain('--min-entry <amount>');
    const found = await own(['check', 'rows-without-entry', '--db', db.url, '--min-entry', '0.5', '--format', 'json']);
    expect(found.stderr).toBe('');
    const report = JSON.parse(found.stdout);
    expect(Object.keys(report.summary.byCheck)).toEqual(['rows-without-entry']);
    expect(report.findings.length).toBeGreaterThan(0);
  });

  it('appears in the config schema, the README table and its own page once the build derives them', async () => {
    const generated = await run([], {}, undefined, copy, join(copy, 'dist/generate.js'));
    expect(generated.code).toBe(0);
    const schema = JSON.parse(readFileSync(join(copy, 'dist/schemas/config.schema.json'), 'utf8'));
    expect(schema.properties.disabled.items.enum).toContain('rows-without-entry');
    expect(schema.properties.thresholds.properties.minEntry).toMatchObject({
      description: 'rows-without-entry: the smallest entry price that counts',
      default: '0.0000001',
    });
    expect(readFileSync(join(copy, 'README.md'), 'utf8')).toContain(
      '| [`rows-without-entry`](docs/checks/rows-without-entry.md) | **low** | check | A test check',
    );
    expect(readFileSync(join(copy, 'docs/checks/rows-without-entry.md'), 'utf8')).toContain(
      '# `rows-without-entry`\n\nA test check: stop rows whose entry price is below --min-entry.',
    );
    const config = join(copy, 'ts-audit.config.json');
    writeFileSync(config, JSON.stringify({ disabled: ['rows-without-entry'], thresholds: { minEntry: '1' } }));
    const disabled = await own(['check', '--db', db.url, '--format', 'json', '--fail-on', 'none']);
    expect(disabled.stderr).toBe('');
    expect(Object.keys(JSON.parse(disabled.stdout).summary.byCheck)).not.toContain('rows-without-entry');
  });
});
