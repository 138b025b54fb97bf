// The detail tables (timestamps, restore, the logs' restarts, timeline, doctor, queries and checks)
// drawn by cli-table3 with no borders: columns two spaces apart (an empty border between them plus
// one space of right padding), widths worked out here from the content and the width available, so
// that no line is wider than it. The columns are layout.ts's: optional ones are left out first, the
// wrapping column takes what is left (or goes on lines of its own under its row), names are cut with
// an ellipsis. What still does not fit is wrapped at spaces, then split, never drawn past the width.
// Every cell is escaped first (escape.ts) and measured in terminal columns (a CJK character or an
// emoji takes two, colour codes none), the measure cli-table3 itself draws with.
import Table from 'cli-table3';
import { visible, visibleLines } from './escape.js';
import { type Column, GAP, MIN_FLEX } from './layout.js';
import { cutTo, displayWidth, splitAt } from './width.js';

/**
 * cli-table3 lays a table out in time quadratic in its rows (it looks for a spanning cell above each
 * cell): a long table is drawn this many rows at a time with one set of widths, which is the same text.
 */
const CHUNK = 100;
/** A name column is cut no narrower than this while other columns can still give way. */
const NAME_FLOOR = 8;
/** No column is made narrower than this. */
const FLOOR = 3;

const BORDERLESS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: ' ',
};
const PADDING = GAP.length - BORDERLESS.middle.length;

/**
 * Greedy word wrap to `width` columns; a word wider than that is split. Keeps the text's own line
 * breaks, and a line's indent on the lines it wraps to.
 */
export function wrapTo(text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let indent = /^ */.exec(paragraph)?.[0] ?? '';
    if (indent.length > width / 2) indent = indent.slice(0, Math.floor(width / 2));
    const room = Math.max(1, width - indent.length);
    let line = '';
    let used = 0;
    for (const word of paragraph.trimStart().split(/ +/)) {
      let rest = word;
      while (displayWidth(rest) > room) {
        if (line) out.push(indent + line);
        line = '';
        used = 0;
        const [head, tail] = splitAt(rest, room);
        out.push(indent + head);
        rest = tail;
      }
      if (!rest) continue;
      const w = displayWidth(rest);
      if (!line) [line, used] = [rest, w];
      else if (used + 1 + w <= room) [line, used] = [`${line} ${rest}`, used + 1 + w];
      else {
        out.push(indent + line);
        [line, used] = [rest, w];
      }
    }
    out.push(line ? indent + line : '');
  }
  return out;
}

/** The widest line of a cell. */
const widest = (text: string) => text.split('\n').reduce((w, l) => Math.max(w, displayWidth(l)), 0);
/** The widest word of a cell. */
const widestWord = (text: string) => text.split(/[\n ]+/).reduce((w, l) => Math.max(w, displayWidth(l)), 0);

export interface DetailTableOptions {
  bold?: (s: string) => string;
  header?: boolean;
}

/**
 * The table's lines, each at most `width` columns, and the columns left out to fit (so that the caller
 * can say so), in the columns' order.
 */
export function detailTable<R>(
  columns: Column<R>[],
  rows: readonly R[],
  width: number,
  options: DetailTableOptions = {},
): { lines: string[]; dropped: string[] } {
  const bold = options.bold ?? ((s: string) => s);
  const withHeader = options.header !== false;
  // Every cell as shown, once: control characters escaped (a wrapping cell keeps its line breaks).
  const cells = rows.map((r) => columns.map((c) => (c.flex ? visibleLines(c.cell(r)) : visible(c.cell(r)))));
  const natural = columns.map((c, i) => {
    let w = cells.reduce((m, row) => Math.max(m, widest(row[i] as string)), 0);
    if (c.max) w = Math.min(w, c.max);
    return Math.max(w, withHeader ? displayWidth(c.header) : 0, c.minWidth ?? 0);
  });
  const gaps = (n: number) => GAP.length * Math.max(0, n - 1);

  // Optional columns go first, the least needed first, while the others (and the wrapping column's least) do not fit.
  let shown = columns.map((_, i) => i);
  const fixedOf = (cols: number[]) => cols.reduce((s, i) => s + (columns[i]?.flex ? 0 : (natural[i] as number)), 0) + gaps(cols.length);
  for (;;) {
    const needsFlex = shown.some((i) => columns[i]?.flex);
    if (fixedOf(shown) + (needsFlex ? MIN_FLEX : 0) <= width) break;
    const droppable = shown.filter((i) => columns[i]?.drop !== undefined).sort((a, b) => (columns[b]?.drop ?? 0) - (columns[a]?.drop ?? 0));
    if (droppable.length === 0) break;
    shown = shown.filter((i) => i !== droppable[0]);
  }
  const dropped = columns.filter((_, i) => !shown.includes(i)).map((c) => c.header);

  const cols = shown.map((i) => columns[i] as Column<R>);
  const widths = shown.map((i) => natural[i] as number);
  const flex = cols.findIndex((c) => c.flex);
  const fixed = fixedOf(shown);
  // The wrapping column gets what is left; when too little is left, it goes on lines of its own below.
  const beside = flex >= 0 && width - fixed >= MIN_FLEX;
  if (flex >= 0) widths[flex] = beside ? Math.min(width - fixed, natural[shown[flex] as number] as number) : 0;

  // Still too wide (long names, many columns, a narrow terminal): the widest column gives way, one
  // column at a time: first names down to NAME_FLOOR and other text down to its widest word (wrapped
  // at spaces), then any column down to FLOOR (words split). Numbers keep their digits whole.
  const total = () => widths.reduce((a, b) => a + b, 0) + gaps(cols.length);
  if (total() > width) {
    const words = shown.map((i, k) => {
      const c = columns[i] as Column<R>;
      if (k === flex) return 0;
      const cellWords = cells.reduce((m, row) => Math.max(m, (c.max ? widest : widestWord)(row[i] as string)), 0);
      return Math.max(c.max ? Math.min(NAME_FLOOR, widths[k] as number) : cellWords, withHeader ? widestWord(c.header) : 0);
    });
    const digits = shown.map((i, k) => (cols[k]?.right ? cells.reduce((m, row) => Math.max(m, widest(row[i] as string)), FLOOR) : FLOOR));
    for (const floors of [words, digits]) {
      while (total() > width) {
        let k = -1;
        widths.forEach((w, j) => {
          if (j !== flex && w > (floors[j] as number) && (k < 0 || w > (widths[k] as number))) k = j;
        });
        if (k < 0) break;
        widths[k] = (widths[k] as number) - 1;
      }
    }
  }

  // The wrapping column, under its row, may take the whole width but its indent.
  const underWidth = Math.max(NAME_FLOOR, width - 4);
  const colWidths = widths.map((w) => w + PADDING);
  if (flex >= 0 && !beside) {
    // The line under a row spans every column: the last one takes the width they lack.
    const spanned = colWidths.reduce((a, b) => a + b, 0) + BORDERLESS.middle.length * (cols.length - 1);
    colWidths[colWidths.length - 1] = (colWidths.at(-1) as number) + Math.max(0, 4 + underWidth - spanned);
  }
  const fitCell = (text: string, k: number, c: Column<R> | undefined): string[] => {
    const w = widths[k] as number;
    if (c?.max) return [cutTo(text, w)];
    return displayWidth(text) <= w && !text.includes('\n') ? [text] : wrapTo(text, w);
  };

  const lines: string[] = [];
  let table = newTable(colWidths);
  let inTable = 0;
  const flush = () => {
    if (inTable === 0) return;
    for (const line of table.toString().split('\n')) lines.push(line.trimEnd());
    table = newTable(colWidths);
    inTable = 0;
  };
  if (withHeader) {
    table.push(
      cols.map((c, k): Table.Cell => {
        const text =
          k === flex && !beside
            ? ''
            : wrapTo(c.header, widths[k] as number)
                .map(bold)
                .join('\n');
        return { content: text, hAlign: c.right ? 'right' : 'left' };
      }),
    );
    inTable += 1;
  }
  rows.forEach((row, r) => {
    const rowCells = cells[r] as string[];
    table.push(
      cols.map((c, k): Table.Cell => {
        if (k === flex && !beside) return '';
        const text = fitCell(rowCells[shown[k] as number] as string, k, c);
        return {
          content: (c.paint ? text.map((t) => (c.paint as NonNullable<Column<R>['paint']>)(t, row)) : text).join('\n'),
          hAlign: c.right ? 'right' : 'left',
        };
      }),
    );
    if (flex >= 0 && !beside) {
      const under = rowCells[shown[flex] as number] as string;
      if (under)
        table.push([
          { content: wrapTo(under, underWidth).join('\n'), colSpan: cols.length, style: { 'padding-left': 4, 'padding-right': 0 } } satisfies Table.CellOptions,
        ]);
    }
    inTable += 1;
    if (inTable >= CHUNK) flush();
  });
  flush();
  return { lines, dropped };
}

function newTable(colWidths: number[]): Table.Table {
  return new Table({ chars: BORDERLESS, colWidths, style: { head: [], border: [], 'padding-left': 0, 'padding-right': PADDING }, wordWrap: false });
}
