// `ts-audit timeline` as text (a block per symbol), Markdown (a table per symbol) and JSON.
import { utcText } from '../time.js';
import type { Timeline } from './types.js';

export function renderTimelineText(t: Timeline): string {
  const out: string[] = [`ts-audit timeline · ${t.database.target} · snapshot ${utcText(t.database.snapshotAt)}`];
  if (t.from || t.until) out.push(`from ${t.from ? utcText(t.from) : 'the start'} to ${t.until ? utcText(t.until) : 'now'}`);
  out.push('');
  if (t.symbols.length === 0) out.push('Nothing in the database for these symbols in this window.');
  for (const s of t.symbols) {
    out.push(`${s.exchange} ${s.symbol}`);
    for (const e of s.entries) out.push(`  ${utcText(e.at)}  ${e.kind.padEnd(24)}  ${e.summary}`);
    for (const lag of s.lags) out.push(`  => ${lag}`);
    out.push('');
  }
  for (const n of t.notes) out.push(`Note: ${n}`);
  return `${out.join('\n').trimEnd()}\n`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderTimelineMarkdown(t: Timeline): string {
  const out: string[] = ['## ts-audit timeline', '', `- **Database:** \`${t.database.target}\`, snapshot ${utcText(t.database.snapshotAt)}`];
  for (const n of t.notes) out.push(`- **Note:** ${n}`);
  out.push('');
  for (const s of t.symbols) {
    out.push(`### ${s.exchange} ${s.symbol}`, '');
    for (const lag of s.lags) out.push(`- ${lag}`);
    if (s.lags.length) out.push('');
    out.push('| Time (UTC) | What | Detail |', '|---|---|---|', ...s.entries.map((e) => `| ${utcText(e.at)} | \`${e.kind}\` | ${cell(e.summary)} |`), '');
  }
  return `${out.join('\n')}\n`;
}

export function renderTimelineJson(t: Timeline): string {
  return `${JSON.stringify(t, null, 2)}\n`;
}
