// The detail tables, drawn by cli-table3 (src/report/detail-table.ts): no borders, fitted to the width
// in terminal columns (wide characters two, colour codes none), every cell escaped, and the same widths
// on every row of a long table however it is drawn.
import { Chalk } from 'chalk';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { detailTable, wrapTo } from '../../src/report/detail-table.js';
import { cutTo } from '../../src/report/width.js';
import type { Column } from '../../src/report/layout.js';

/** The widest line in terminal columns (colour codes do not count). */
const widest = (lines: string[]) => Math.max(...lines.map((l) => stringWidth(l)));
// eslint-disable-next-line no-control-regex -- reading colour codes back out of the output
const plain = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
/** The terminal column a text starts at on a line. */
const columnOf = (line: string, text: string) => stringWidth(line.slice(0, line.indexOf(text)));

interface Row {
  exchange: string;
  symbol: string;
  opened: string;
  created: string;
  lag: string;
  why: string;
}
const columns: Column<Row>[] = [
  { header: 'exchange', cell: (r) => r.exchange, max: 32 },
  { header: 'symbol', cell: (r) => r.symbol, max: 32 },
  { header: 'opened (UTC)', cell: (r) => r.opened, drop: 1 },
  { header: 'row created (UTC)', cell: (r) => r.created },
  { header: 'lag', cell: (r) => r.lag, right: true },
  { header: 'why', cell: (r) => r.why, flex: true },
];
const ordinary: Row = {
  exchange: 'binance',
  symbol: 'BTCUSDT',
  opened: '2025-10-26 16:30:34',
  created: '2025-10-26 16:30:35',
  lag: '1s',
  why: 'a row for this position: restored with its saved state',
};
const hostile: Row[] = [
  ordinary,
  {
    exchange: 'bin\u001b[2J\u001b[31mance',
    symbol: `EVIL\rUSDT\nNEXT\u0000${'X'.repeat(200)}`,
    opened: '2025-10-26 16:30:34',
    created: '2025-10-26 16:30:35',
    lag: '3h 24m',
    why: `no row\u001b]8;;http://evil\u0007 quoting EVIL\rUSDT ${'Y'.repeat(120)}\nsecond line of its own`,
  },
  {
    exchange: '币安',
    symbol: '比特币🚀USDT',
    opened: '-',
    created: '-',
    lag: 'no row',
    why: '它没有行 (no row), 一个很长的中文原因说明文字需要换行显示在终端里面',
  },
];

describe('detailTable', () => {
  it('draws no borders: columns two spaces apart, a header, numbers right-aligned', () => {
    const { lines } = detailTable(columns, [ordinary, { ...ordinary, lag: '12h 5m' }], 160);
    expect(lines.join('\n')).not.toMatch(/[│─┌┐└┘├┤┬┴┼]/);
    expect(lines[0]).toBe('exchange  symbol   opened (UTC)         row created (UTC)       lag  why');
    expect(lines[1]).toBe('binance   BTCUSDT  2025-10-26 16:30:34  2025-10-26 16:30:35      1s  a row for this position: restored with its saved state');
    // Right-aligned: the lag ends where its header ends.
    const end = (l: string, t: string) => l.indexOf(t) + t.length;
    expect(end(lines[2] as string, '12h 5m')).toBe(end(lines[0] as string, 'lag'));
    expect(end(lines[1] as string, '1s')).toBe(end(lines[0] as string, 'lag'));
  });

  it('never writes a line wider than the width, down to 40 columns, with hostile values', () => {
    for (const width of [40, 50, 64, 80, 120]) {
      const { lines } = detailTable(columns, hostile, width);
      expect(widest(lines), `${width}:\n${lines.join('\n')}`).toBeLessThanOrEqual(width);
    }
    // Without a wrapping column too (timestamps): the times wrap at their space, names are cut.
    const fixed = columns.filter((c) => !c.flex && !c.drop);
    const { lines } = detailTable(fixed, hostile, 40);
    expect(widest(lines), lines.join('\n')).toBeLessThanOrEqual(40);
    expect(lines.join('\n')).toContain('2025-10-26');
    expect(lines.join('\n')).toContain('16:30:35');
    expect(lines.join('\n')).toContain('…');
  });

  it('shows control characters, ESC, CR and newlines escaped: the data cannot drive the terminal', () => {
    for (const width of [40, 200]) {
      const text = detailTable(columns, hostile, width).lines.join('\n');
      // eslint-disable-next-line no-control-regex -- no raw control character but the line breaks
      expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
      expect(text).toContain(width === 40 ? 'bin\\x1b' : 'bin\\x1b[2J\\x1b[31mance');
    }
    const wide = detailTable(columns, hostile, 400).lines.join('\n');
    // A name's newline is shown as \n; the wrapping column keeps its own line breaks and escapes the rest.
    expect(wide).toContain('EVIL\\rUSDT\\nNEXT\\x00XXXX');
    expect(wide).toContain('\\x1b]8;;http://evil\\x07 quoting EVIL\\rUSDT');
    expect(wide).toMatch(/\n {2,}second line of its own/);
  });

  it('cuts a long name with an ellipsis at its column limit', () => {
    const { lines } = detailTable(columns, hostile, 400);
    expect(lines[2]).toContain(`EVIL\\rUSDT\\nNEXT\\x00${'X'.repeat(11)}…`);
    expect(lines[2]).not.toContain('X'.repeat(12));
  });

  it('lines columns up in terminal columns: a wide character or an emoji takes two', () => {
    const rows = [{ ...ordinary, exchange: '币安', symbol: '比特币🚀USDT', opened: 'OPENED-WIDE' }, ordinary];
    const { lines } = detailTable(columns, rows, 400);
    const at = columnOf(lines[0] as string, 'opened');
    expect(lines[1]).toContain('比特币🚀USDT  ');
    expect(columnOf(lines[1] as string, 'OPENED-WIDE')).toBe(at);
    expect(columnOf(lines[2] as string, '2025-10-26 16:30:34')).toBe(at);
  });

  it('does not count colour codes: a painted table has the layout of a plain one', () => {
    const c = new Chalk({ level: 3 });
    const painted = columns.map((col) => ({ ...col, paint: (t: string) => c.red(t) }));
    for (const width of [40, 80]) {
      const coloured = detailTable(painted, hostile, width, { bold: (s) => c.bold(s) }).lines;
      expect(coloured.join('\n')).toContain('\u001b[31m');
      expect(coloured.map(plain)).toEqual(detailTable(columns, hostile, width).lines);
      expect(widest(coloured)).toBeLessThanOrEqual(width);
    }
  });

  it('leaves optional columns out first when narrow, and says which', () => {
    expect(detailTable(columns, [ordinary], 200).dropped).toEqual([]);
    const narrow = detailTable(columns, [ordinary], 80);
    expect(narrow.dropped).toEqual(['opened (UTC)']);
    expect(narrow.lines[0]).not.toContain('opened');
  });

  it('puts the wrapping column under its row when too little width is left beside the others', () => {
    const { lines } = detailTable(columns, [{ ...ordinary, symbol: 'S'.repeat(30) }], 64);
    expect(lines.some((l) => l.startsWith('    a row for this position'))).toBe(true);
    expect(widest(lines)).toBeLessThanOrEqual(64);
  });

  it('gives every row of a long table the same widths, though it is drawn in parts', () => {
    // The widest symbol is in the last rows: the first row's columns must start where the last row's do.
    const rows = Array.from({ length: 450 }, (_, i) => ({ ...ordinary, symbol: i === 449 ? 'WIDESTSYMBOLUSDT' : `S${i}` }));
    const { lines } = detailTable(columns, rows, 200);
    expect(lines).toHaveLength(451);
    const at = columnOf(lines[0] as string, 'opened');
    expect(columnOf(lines[1] as string, '2025-10-26 16:30:34')).toBe(at);
    expect(columnOf(lines[450] as string, '2025-10-26 16:30:34')).toBe(at);
    expect(new Set(lines.slice(1).map((l) => l.length)).size).toBe(1);
  });
});

describe('wrapTo and cutTo', () => {
  it('wrap at spaces in terminal columns, keep indents and split a word wider than the width', () => {
    expect(wrapTo('a restart would create a new stop', 12)).toEqual(['a restart', 'would create', 'a new stop']);
    expect(wrapTo('one\n  two three', 9)).toEqual(['one', '  two', '  three']);
    expect(wrapTo('0123456789abcdef', 6)).toEqual(['012345', '6789ab', 'cdef']);
    expect(wrapTo('币安币安币安', 5)).toEqual(['币安', '币安', '币安']);
    expect(cutTo('ABCDEFGH', 5)).toBe('ABCD…');
    expect(cutTo('币安币安币安', 6)).toBe('币安…');
    // An emoji made of several code points is never split.
    expect(cutTo('👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧', 5)).toBe('👨‍👩‍👧👨‍👩‍👧…');
  });
});
