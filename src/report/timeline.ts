import { mdCode, mdText, visible, visibleLines } from './escape.js';
import { fit, layout, wrap } from './layout.js';
// `ts-audit timeline` as text (a block per symbol), Markdown (a table per symbol) and JSON.
import { utcText } from '../time.js';
import type { Timeline } from './types.js';
import { maxOf, pushAll } from '../arrays.js';

export function renderTimelineText(t: Timeline, width = 80): string {
  const out: string[] = [];
  const prose = (line: string) => out.push(...fit(line, width));
  // The target whole (never broken inside): on its own line when the line would not fit.
  const head = `ts-audit timeline · ${visible(t.database.target)} · snapshot ${utcText(t.database.snapshotAt)}`;
  if ([...head].length <= width) out.push(head);
  else out.push(...fit(`ts-audit timeline · snapshot ${utcText(t.database.snapshotAt)}`, width), visible(t.database.target));
  if (t.from || t.until) prose(`from ${t.from ? utcText(t.from) : 'the start'} to ${t.until ? utcText(t.until) : 'now'}`);
  out.push('');
  if (t.symbols.length === 0) out.push('Nothing in the database for these symbols in this window.');
  const kindWidth = Math.max(0, maxOf(t.symbols.flatMap((s) => s.entries.map((e) => e.kind.length))));
  // A table per symbol, by layout.ts: a timeline of every open position's symbol is too many rows for
  // cli-table3 (bench/README.md, Tables).
  for (const s of t.symbols) {
    out.push(`${visible(s.exchange)} ${visible(s.symbol)}`);
    const table = layout(
      [
        { header: 'time (UTC)', cell: (e: (typeof s.entries)[number]) => utcText(e.at) },
        { header: 'what', cell: (e) => e.kind, minWidth: kindWidth },
        { header: 'detail', cell: (e) => e.summary, flex: true },
      ],
      s.entries,
      width - 2,
      { header: false },
    );
    pushAll(
      out,
      table.lines.map((l) => `  ${l}`),
    );
    for (const lag of s.lags) {
      // The first line after "  ", the rest under the text after "=> ".
      const [first = '', ...rest] = wrap(`=> ${visibleLines(lag)}`, width - 2);
      out.push(`  ${first}`, ...(rest.length ? wrap(rest.join(' '), width - 5) : []).map((l) => `     ${l}`));
    }
    out.push('');
  }
  for (const n of t.notes) prose(`Note: ${n}`);
  return `${out.join('\n').trimEnd()}\n`;
}

const cell = mdText;

export function renderTimelineMarkdown(t: Timeline): string {
  const out: string[] = ['## ts-audit timeline', '', `- **Database:** ${mdCode(t.database.target)}, snapshot ${utcText(t.database.snapshotAt)}`];
  for (const n of t.notes) out.push(`- **Note:** ${mdText(n)}`);
  out.push('');
  for (const s of t.symbols) {
    out.push(`### ${mdText(`${s.exchange} ${s.symbol}`)}`, '');
    for (const lag of s.lags) out.push(`- ${mdText(lag)}`);
    if (s.lags.length) out.push('');
    out.push('| Time (UTC) | What | Detail |', '|---|---|---|');
    pushAll(
      out,
      s.entries.map((e) => `| ${utcText(e.at)} | ${mdCode(e.kind)} | ${cell(e.summary)} |`),
    );
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

export function renderTimelineJson(t: Timeline): string {
  return `${JSON.stringify(t, null, 2)}\n`;
}
