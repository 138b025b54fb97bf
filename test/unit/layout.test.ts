import { describe, expect, it } from 'vitest';
import { cut, visible, visibleLines } from '../../src/report/escape.js';
import { type Column, layout, wrap } from '../../src/report/layout.js';

const width = (lines: string[]) => Math.max(...lines.map((l) => [...l].length));

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

  it('escapes control characters in cells', () => {
    const { lines } = layout(columns, [{ ...rows[0], name: 'bin\u001b[2Jance' } as R], 120);
    expect(lines.join('\n')).not.toContain('\u001b');
    expect(lines.join('\n')).toContain('bin\\x1b[2Jance');
  });
});
