import { describe, expect, it } from 'vitest';
import { visible, visibleLines } from '../../src/report/escape.js';
import { cutTo as cut } from '../../src/report/width.js';
import { type Column, layout, wrap } from '../../src/report/layout.js';
import { renderTimelineText } from '../../src/report/timeline.js';
import type { Timeline } from '../../src/report/types.js';

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

  it('turns each row into a record when even its fixed columns are wider than the width, leaving nothing out', () => {
    const long: R[] = [
      {
        id: 'unprotected-position',
        name: 'N'.repeat(32),
        text: 'open position has no stop row although has_trailing_stop says it has one',
        extra: '2025-10-26 16:30:34',
      },
      ...rows,
    ];
    const { lines, dropped } = layout(columns, long, 40);
    expect(width(lines), lines.join('\n')).toBeLessThanOrEqual(40);
    expect(dropped).toEqual([]);
    const text = lines.join('\n');
    // One record per row, a blank line between them, every column's header on each.
    const records = text.split('\n\n');
    expect(records).toHaveLength(long.length);
    for (const record of records) for (const header of ['check', 'exchange', 'when', 'finding']) expect(record).toMatch(new RegExp(`^${header}( |$)`, 'm'));
    // Values whole: the id, the name at its cut, and the message (wrapped, every word kept).
    expect(text).toContain('unprotected-position');
    expect(text).toContain('N'.repeat(32));
    expect(text).toContain(`${'X'.repeat(31)}…`);
    expect(text.replace(/\n +/g, ' ')).toContain('open position has no stop row although has_trailing_stop says it has one');
    // The table it was at 80 columns is unchanged.
    expect(layout(columns, long, 80).lines[0]).toMatch(/^check +exchange +finding$/);
  });

  it('without headers, runs a row on as many lines as it needs, the message under it', () => {
    const { lines } = layout(columns, rows, 40, { header: false });
    expect(width(lines), lines.join('\n')).toBeLessThanOrEqual(40);
    expect(lines.slice(0, 3)).toEqual(['unprotected-position  binance', '  2025-10-26 16:30:34', '    open position has no stop row']);
  });
});

describe('the timeline as text', () => {
  const at = new Date('2025-10-26T13:05:55Z');
  const timeline: Timeline = {
    tool: 'ts-audit',
    command: 'timeline',
    generatedAt: at,
    database: { target: 'postgresql://db.internal/bot', serverVersion: '15.0', snapshotAt: at, naiveTimestampZone: 'UTC', naiveColumns: [] },
    from: null,
    until: null,
    restarts: [],
    symbols: [
      {
        exchange: 'binance',
        symbol: 'RADUSDT',
        entries: [{ at, kind: 'trailing_stop_created', summary: 'created in memory: long, entry 0.4785, activation at 0.4928', detail: {} }],
        lags: ['created in memory 2025-10-26 13:05:55 UTC per the journal, row created 2025-10-26 16:30:34 UTC: not saved for 3h 24m'],
      },
    ],
    notes: [],
  };

  it('fits 40 and 80 columns, the lag lines under their arrow, every word kept', () => {
    for (const w of [40, 80]) {
      const lines = renderTimelineText(timeline, w).trimEnd().split('\n');
      expect(width(lines), lines.join('\n')).toBeLessThanOrEqual(w);
      const arrow = lines.findIndex((l) => l.startsWith('  => '));
      expect(lines.slice(arrow + 1).every((l) => l.startsWith('     '))).toBe(true);
      expect(lines.slice(arrow).join(' ').replace(/ +/g, ' ')).toContain(` => ${timeline.symbols[0]!.lags[0]}`);
      expect(lines.join(' ')).toContain('trailing_stop_created');
    }
  });
});
