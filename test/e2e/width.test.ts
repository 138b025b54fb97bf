// Every command's table as a tired person reads it in an 80-column terminal (or a pipe): no line longer
// than 80 (a database URL is never broken: one longer than 80 on its own would be the exception), no
// borders, ids whole; --quiet
// prints only the summary; data cannot drive the terminal.
import { describe, expect, it } from 'vitest';
import { INCIDENT_DUMP, fixture, useScenario } from '../support/db.js';
import { stopsDump } from '../support/dumps.js';
import { cli } from '../support/in-process.js';
import { writeIncidentLogs } from '../support/logs.js';

const tooLong = (stdout: string, width: number, skipFirst: boolean) =>
  stdout
    .split('\n')
    .slice(skipFirst ? 1 : 0)
    .filter((l) => [...l].length > width);

describe('tables at 80 columns', () => {
  const db = useScenario('naive', fixture('failure-modes.sql'));

  it('every command fits 80 columns with no borders, and check ids are never cut', async () => {
    const { files } = writeIncidentLogs();
    const commands: [string[], boolean][] = [
      [['diff', '--db', db.url, '--dump', INCIDENT_DUMP, '--all', '--max-rows', '0'], true],
      [['check', '--db', db.url, '--max-rows', '0'], true],
      [['timestamps', '--db', db.url, '--display-timezone', 'Asia/Dubai'], true],
      [['timestamps', '--db', db.url], true],
      [['entry-mismatch', '--db', db.url], true],
      [['orphans', '--db', db.url], true],
      [['recreated', '--db', db.url], true],
      [['restore', '--db', db.url], true],
      [['timeline', '--db', db.url], false],
      [['logs', ...files, '--log-timezone', 'Asia/Dubai'], false],
      [['explain'], false],
      [['queries'], false],
    ];
    const results = await Promise.all(commands.map(([args]) => cli(args)));
    results.forEach((r, i) => {
      const [args] = commands[i] as [string[], boolean];
      expect(r.stderr, args.join(' ')).toBe('');
      expect(tooLong(r.stdout, 80, false), args.join(' ')).toEqual([]);
      expect(r.stdout, args.join(' ')).not.toMatch(/[│┌└├┼─]/);
      expect(r.stdout, args.join(' ')).not.toMatch(/unprotected-posi…|entry-price-mism…/);
    });
    // The longest check ids appear whole.
    expect(results[1]?.stdout).toContain('unprotected-position');
    // --width and COLUMNS change the fit.
    const wide = await cli(['restore', '--db', db.url, '--width', '160']);
    expect(tooLong(wide.stdout, 160, true)).toEqual([]);
    expect(tooLong(wide.stdout, 80, true).length).toBeGreaterThan(0);
    const columns = await cli(['restore', '--db', db.url], { COLUMNS: '100' });
    expect(tooLong(columns.stdout, 100, true)).toEqual([]);
    expect(columns.stdout).not.toBe((await cli(['restore', '--db', db.url])).stdout);
  });

  it('--quiet prints only the summary lines, and the exit code is the same', async () => {
    const full = await cli(['check', '--db', db.url]);
    const quiet = await cli(['check', '--db', db.url, '--quiet']);
    expect(quiet.code).toBe(full.code);
    const lines = quiet.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Open positions \d+ · stops in DB \d+$/);
    // The headline counts problems (findings, when more, in brackets), then the Next line.
    expect(quiet.stdout).toMatch(/^\d+ problems on \d+ positions \(\d+ findings\):\n? *\d+ critical · \d+ high.*\nNext: ts-audit .*(\n {2}.*)*\n$/m);
    expect(lines.length).toBeLessThan(14);
    expect(full.stdout.endsWith(quiet.stdout)).toBe(true);
  });

  it('an ANSI escape or a NUL in a symbol never reaches the terminal raw', async () => {
    const dump = stopsDump([
      { exchange: 'binance', symbol: 'EVIL\u001b[2J\u001b[31mUSDT', state: 'waiting' },
      { exchange: 'binance', symbol: 'NUL\u0000USDT', state: 'waiting' },
    ]);
    for (const format of ['table', 'compact', 'github', 'markdown']) {
      const r = await cli(['diff', '--db', db.url, '--dump', dump, '--format', format]);
      expect(r.code, format).toBe(1);
      expect(r.stdout, format).not.toContain('\u0000');
      expect(r.stdout, format).not.toContain('\u001b');
      // Shown as an escape (Markdown doubles the backslash and escapes the bracket so that it renders as written).
      expect(r.stdout, format).toContain(format === 'markdown' ? 'EVIL\\\\x1b\\[2J\\\\x1b\\[31mUSDT' : 'EVIL\\x1b[2J\\x1b[31mUSDT');
    }
  });

  it('--color forces colour into a pipe; --no-color and TERM=dumb keep it out', async () => {
    const coloured = await cli(['check', '--db', db.url, '--color']);
    expect(coloured.stdout).toContain('\u001b[');
    const plain = await cli(['check', '--db', db.url, '--no-color'], { FORCE_COLOR: '1' });
    expect(plain.stdout).not.toContain('\u001b[');
    const dumb = await cli(['check', '--db', db.url], { TERM: 'dumb' });
    expect(dumb.stdout).not.toContain('\u001b[');
  });
});
