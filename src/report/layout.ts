// Plain-text tables that fit a width: no borders and no row separators, columns two spaces apart, one
// column (the message) wrapping at word boundaries, and optional columns left out, least needed first,
// when the width cannot hold them. Identifiers (check ids) are never cut; overlong names are cut with
// an ellipsis; control characters in data are shown escaped (see escape.ts). Widths count terminal columns (width.ts).
import { visible, visibleLines } from './escape.js';
import { cutTo, displayWidth, splitAt } from './width.js';

export const GAP = '  ';
/** Below this a wrapping column is not worth keeping beside the others: it moves under them instead. */
export const MIN_FLEX = 24;
/** Names (exchanges, symbols) longer than this are cut with an ellipsis in tables. */
export const MAX_NAME = 32;

export interface Column<R> {
  header: string;
  cell: (row: R) => string;
  /** The column that wraps and takes the width left (at most one). */
  flex?: boolean;
  /** Right-aligned (numbers). */
  right?: boolean;
  /** Left out when the table does not fit: higher goes first. */
  drop?: number;
  /** Cut to this many terminal columns with an ellipsis; ids are never cut (leave it unset). */
  max?: number;
  /** At least this wide (to line up several tables). */
  minWidth?: number;
  /** Colours a cell after it was laid out (the padding is not coloured). */
  paint?: (text: string, row: R) => string;
}

/** The columns a text takes in a terminal (a CJK character or an emoji two). */
export const length = displayWidth;

const pad = (text: string, width: number, right = false) => {
  const fill = ' '.repeat(Math.max(0, width - length(text)));
  return right ? fill + text : text + fill;
};

/** Greedy word wrap to `width` columns; a word longer than the width is split. Keeps the text's own line breaks. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    const indent = /^ */.exec(paragraph)?.[0] ?? '';
    let line = '';
    for (const word of paragraph.trimStart().split(/ +/)) {
      let w = word;
      while (length(w) > width - length(indent)) {
        if (line) {
          out.push(line);
          line = '';
        }
        const [head, tail] = splitAt(w, width - length(indent));
        out.push(indent + head);
        w = tail;
      }
      if (!w) continue;
      if (!line) line = indent + w;
      else if (length(line) + 1 + length(w) <= width) line += ` ${w}`;
      else {
        out.push(line);
        line = indent + w;
      }
    }
    out.push(line);
  }
  return out;
}

/** A cell's text as shown: control characters escaped, cut when the column says so. */
function shown<R>(col: Column<R>, row: R): string {
  const raw = col.cell(row);
  const text = col.flex ? visibleLines(raw) : visible(raw);
  return col.max ? cutTo(text, col.max) : text;
}

/**
 * The table's lines, at most `width` columns each (an identifier wider than the whole width is the
 * one exception: it is never cut). Returns the columns that were left out, so the caller can say so.
 */
export function layout<R>(
  columns: Column<R>[],
  rows: R[],
  width: number,
  options: { bold?: (s: string) => string; header?: boolean } = {},
): { lines: string[]; dropped: string[] } {
  const bold = options.bold ?? ((s: string) => s);
  let cols = [...columns];
  const dropped: string[] = [];
  const texts = (cs: Column<R>[]) => rows.map((r) => cs.map((c) => shown(c, r)));
  let cells = texts(cols);
  const natural = (i: number, cs: Column<R>[], cellRows: string[][]) => {
    let w = Math.max(options.header === false ? 0 : length(cs[i]?.header ?? ''), cs[i]?.minWidth ?? 0);
    for (const r of cellRows) for (const line of (r[i] ?? '').split('\n')) w = Math.max(w, length(line));
    return w;
  };
  for (;;) {
    const fixed = cols.reduce((sum, c, i) => sum + (c.flex ? 0 : natural(i, cols, cells)), 0) + GAP.length * (cols.length - 1);
    const needsFlex = cols.some((c) => c.flex);
    const fits = needsFlex ? fixed + MIN_FLEX <= width : fixed <= width;
    const droppable = cols.filter((c) => c.drop !== undefined).sort((a, b) => (b.drop ?? 0) - (a.drop ?? 0));
    if (fits || droppable.length === 0) break;
    const gone = droppable[0] as Column<R>;
    dropped.push(gone.header);
    cols = cols.filter((c) => c !== gone);
    cells = texts(cols);
  }
  // Named in the columns' order.
  dropped.sort((a, b) => columns.findIndex((c) => c.header === a) - columns.findIndex((c) => c.header === b));
  // Even without its optional columns and with the wrapping one moved under the row, the row is wider
  // than the width (a narrow terminal, long names): each row becomes a record of its own, every column
  // on a line of its own, none left out.
  const bare = cols.reduce((sum, c, i) => sum + (c.flex ? 0 : natural(i, cols, cells)), 0) + GAP.length * (cols.filter((c) => !c.flex).length - 1);
  if (bare > width && cols.filter((c) => !c.flex).length > 1) return { lines: records(columns, rows, width, bold, options.header !== false), dropped: [] };
  const widths = cols.map((c, i) => (c.flex ? 0 : natural(i, cols, cells)));
  const fixed = widths.reduce((a, b) => a + b, 0) + GAP.length * (cols.length - 1);
  const flexIndex = cols.findIndex((c) => c.flex);
  // The wrapping column gets what is left; when too little is left, it goes on lines of its own below.
  const beside = flexIndex >= 0 && width - fixed >= MIN_FLEX;
  if (flexIndex >= 0) widths[flexIndex] = beside ? Math.min(width - fixed, natural(flexIndex, cols, cells)) : 0;
  const lineOf = (parts: string[]) => parts.join(GAP).trimEnd();
  const headers = cols.map((c, i) => (i === flexIndex && !beside ? '' : bold(pad(c.header, widths[i] as number, c.right))));
  const lines: string[] = options.header === false ? [] : [lineOf(headers)];
  rows.forEach((row, r) => {
    const rowCells = cells[r] as string[];
    const flexLines = flexIndex >= 0 ? wrap(rowCells[flexIndex] as string, beside ? (widths[flexIndex] as number) : Math.max(MIN_FLEX, width - 4)) : [];
    const first = cols.map((c, i) => {
      const text = i === flexIndex ? (beside ? (flexLines[0] ?? '') : '') : (rowCells[i] as string);
      const padded = pad(text, widths[i] as number, c.right);
      return c.paint ? c.paint(padded, row) : padded;
    });
    lines.push(lineOf(first));
    if (flexIndex < 0) return;
    const indent = beside ? ' '.repeat(widths.slice(0, flexIndex).reduce((a, b) => a + b + GAP.length, 0)) : '    ';
    for (const l of beside ? flexLines.slice(1) : flexLines) lines.push(`${indent}${l}`.trimEnd());
  });
  return { lines, dropped };
}

/**
 * Rows as records, for a width too narrow for the table: with headers, each column's header and value
 * on a line (the value under its header, indented, when it does not fit beside), a blank line between
 * rows; without, the row's cells run on as many lines as they need, the wrapping column under them.
 * Empty cells are left out. A value is never cut (names are already cut to their `max`).
 */
function records<R>(columns: Column<R>[], rows: R[], width: number, bold: (s: string) => string, withHeader: boolean): string[] {
  const labelWidth = Math.min(Math.max(...columns.map((c) => length(c.header))), Math.floor(width / 2) - GAP.length);
  const valueWidth = width - labelWidth - GAP.length;
  const lines: string[] = [];
  rows.forEach((row, r) => {
    const painted = (c: Column<R>, text: string) => (c.paint ? c.paint(text, row) : text);
    if (withHeader) {
      if (r > 0) lines.push('');
      for (const c of columns) {
        const text = shown(c, row);
        if (!text) continue;
        const label = bold(pad(c.header, labelWidth));
        const beside = length(c.header) <= labelWidth ? (c.flex ? wrap(text, valueWidth) : text.split('\n')) : null;
        if (beside && beside.every((l) => length(l) <= valueWidth)) {
          beside.forEach((l, i) => lines.push(`${i === 0 ? label : ' '.repeat(labelWidth)}${GAP}${painted(c, l)}`.trimEnd()));
        } else {
          lines.push(bold(c.header));
          for (const l of c.flex ? wrap(text, Math.max(MIN_FLEX, width - 4)) : text.split('\n')) lines.push(`    ${painted(c, l)}`.trimEnd());
        }
      }
      return;
    }
    // No headers: the cells one after the other, a line broken before a cell that would not fit on it.
    let line = '';
    for (const c of columns.filter((col) => !col.flex)) {
      const text = shown(c, row);
      if (!text) continue;
      if (line && length(line) + GAP.length + length(text) > width) {
        lines.push(line.trimEnd());
        line = `  ${painted(c, text)}`;
      } else line = line ? `${line}${GAP}${painted(c, text)}` : painted(c, text);
    }
    if (line) lines.push(line.trimEnd());
    for (const c of columns.filter((col) => col.flex)) {
      const text = shown(c, row);
      if (text) for (const l of wrap(text, Math.max(MIN_FLEX, width - 4))) lines.push(`    ${l}`.trimEnd());
    }
  });
  return lines;
}

/** A line of prose at most `width` wide, control characters escaped: wrapped, continuation lines indented by two. */
export function fit(line: string, width: number, paint: (s: string) => string = (s) => s): string[] {
  const [first = '', ...rest] = wrap(visibleLines(line), width);
  return [first, ...(rest.length ? wrap(rest.join(' '), width - 2) : [])].map((l, i) => paint(i === 0 ? l : `  ${l}`));
}
