import { describe, expect, it } from 'vitest';
import { visible, visibleLines } from '../../src/report/escape.js';
import { cutTo as cut } from '../../src/report/width.js';
import { type Column, layout, wrap } from '../../src/report/layout.js';

// In terminal columns, counted here by hand so as not to lean on the measure under test: a CJK
// character or an emoji takes two.
const columnsOf = (l: string) =>
  [...l].reduce((n, ch) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]|\p{Extended_Pictographic}/u.test(ch) ? 2 : 1), 0);
const width = (lines: string[]) => Math.max(...lines.map(columnsOf));

describe('wrap', () => {
  it("breaks at spaces, keeps the text's own line breaks and splits a word longer than the width", () => {
    expect(wrap('a restart would create a new stop', 12)).toEqual(['a restart', 'would create', 'a new stop']);
    expect(wrap('one\n  two three', 9)).toEqual(['one', '  two', '  three']);
    expect(wrap('0123456789abcdef', 6)).toEqual(['012345', '6789ab', 'cdef']);
  });
});

describe('escape', () => {
  it('shows control characters, ANSI escapes and bidi overrides as escapes', () => {
    expect(visible('AB\u001b[31mC\u0000D\u202eE\nF')).toBe('AB\\x1b[31mC\\x00D\\u202eE\\nF');
    expect(visibleLines('a\nb\rc')).toBe('a\nb\\rc');
    expect(cut('ABCDEFGH', 5)).toBe('ABCD…');
    expect(cut('ABC', 5)).toBe('ABC');
    // Cut in terminal columns, never through a character: 币安 is four columns.
    expect(cut('币安人生USDT', 5)).toBe('币安…');
  });
});

describe('layout', () => {
  type R = { id: string; name: string; text: string; extra: string };
  const rows: R[] = [
    {
      id: 'unprotected-position',
      name: 'binance',
      text: 'open position has no stop row although has_trailing_stop says it has one',
      extra: '2025-10-26 16:30:34',
    },
    { id: 'stale-stop', name: 'X'.repeat(50), text: 'short', extra: '2025-10-26 16:30:35' },
  ];
  const columns: Column<R>[] = [
    { header: 'check', cell: (r) => r.id },
    { header: 'exchange', cell: (r) => r.name, max: 32 },
    { header: 'when', cell: (r) => r.extra, drop: 1 },
    { header: 'finding', cell: (r) => r.text, flex: true },
  ];

  it('fits the width: the message wraps, ids stay whole, long names are cut, optional columns go first', () => {
    for (const w of [60, 80, 120]) {
      const { lines } = layout(columns, rows, w);
      expect(width(lines), lines.join('\n')).toBeLessThanOrEqual(w);
      expect(lines.join('\n')).toContain('unprotected-position');
      expect(lines.join('\n')).toContain(`${'X'.repeat(31)}…`);
    }
    expect(layout(columns, rows, 80).dropped).toEqual(['when']);
    expect(layout(columns, rows, 120).dropped).toEqual([]);
    // Wrapped text lines up under its column, with no borders.
    const { lines } = layout(columns, rows, 80);
    const at = (lines[1] as string).indexOf('open position');
    expect((lines[2] as string).slice(0, at).trim()).toBe('');
    expect(lines.join('')).not.toMatch(/[│─┌]/);
  });

  it('puts the message under the row when too little width is left beside the other columns', () => {
    const { lines } = layout(columns, rows, 64);
    expect(width(lines)).toBeLessThanOrEqual(64);
    expect(lines.some((l) => l.startsWith('    open position'))).toBe(true);
  });

  it('measures wide characters as the two columns a terminal gives them: columns line up and no line overflows', () => {
    const wide: R[] = [
      { ...(rows[0] as R), name: '币安人生'.repeat(6) },
      { ...(rows[1] as R), name: 'binance', text: '🚀'.repeat(40) },
    ];
    for (const w of [60, 80, 120]) {
      const { lines } = layout(columns, wide, w);
      expect(width(lines), lines.join('\n')).toBeLessThanOrEqual(w);
    }
    const { lines } = layout(columns, wide, 200);
    // The name is cut at 32 columns (15 wide characters and the ellipsis), not 32 characters.
    expect(lines.join('\n')).toContain(`${'币安人生'.repeat(4).slice(0, 15)}…`);
    expect(lines.join('\n')).not.toContain('币安人生'.repeat(4));
    // The column after the names starts at the same screen column on every row.
    const starts = lines.slice(1, 3).map((l) => columnsOf(l.slice(0, l.indexOf(l.includes('open position') ? 'open position' : '🚀'))));
    expect(starts[0]).toBe(starts[1]);
  });

  it('escapes control characters in cells', () => {
    const { lines } = layout(columns, [{ ...rows[0], name: 'bin\u001b[2Jance' } as R], 120);
    expect(lines.join('\n')).not.toContain('\u001b');
    expect(lines.join('\n')).toContain('bin\\x1b[2Jance');
  });
});
