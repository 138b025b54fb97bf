// Reports of hostile symbols, rendered by a real Markdown engine (markdown-it, with raw HTML allowed
// and bare links made live, as the most permissive renderers do): every symbol is shown as text. No
// HTML of the data survives (<script>, <img onerror>), no link appears, the Mermaid block is not
// closed early by a symbol holding a newline and a code fence, and no control byte is written.
import MarkdownIt from 'markdown-it';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioDb, createScenario, withClient } from '../support/db.js';
import { cli } from '../support/in-process.js';
import { stopsDump } from '../support/dumps.js';
import { htmlText } from '../support/markdown.js';
import { requireBuild } from '../support/report.js';

requireBuild();

// positions.symbol is varchar(20): each fits.
const SYMBOLS = [
  '<script>x</script>',
  '<img onerror=x>',
  'S\n```\n[l](//e.co)',
  'evil.com',
  'a@b.co',
  'https://e.co',
  'A|B*C_D`E',
  'ESC\u001b[2J\rCR',
  '\u202eRTL',
];
const md = new MarkdownIt({ html: true, linkify: true });

const textOf = htmlText;

function expectInert(markdown: string, what: string) {
  // eslint-disable-next-line no-control-regex -- no control character but the newline may reach the Markdown
  expect(markdown, what).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u202e]/);
  const html = md.render(markdown);
  expect(html, what).not.toMatch(/<script|<img/i);
  // The only links are ts-audit's own, to a heading of the report.
  for (const a of html.match(/<a [^>]*>/g) ?? []) expect(a, what).toMatch(/^<a href="#[a-z-]+">$/);
  // Each fence is one block: the Mermaid one holds the whole chart.
  const fences = md.parse(markdown, {}).filter((t) => t.type === 'fence');
  for (const f of fences.filter((t) => t.info === 'mermaid')) expect(f.content, what).toMatch(/^gantt\n[\s\S]*\n {2}section events\n/);
  return textOf(html);
}

describe('Markdown of hostile symbols, rendered', () => {
  let db: ScenarioDb;
  beforeAll(async () => {
    db = await createScenario('tz');
    await withClient(db.url, async (c) => {
      for (const [i, symbol] of SYMBOLS.entries()) {
        await c.query(
          `INSERT INTO monitoring.positions (id, symbol, exchange, side, quantity, entry_price, status, opened_at, created_at, updated_at, has_trailing_stop)
           VALUES ($1, $2, 'binance', 'long', 10, 1.5, 'active', '2025-10-26 09:05:12+00', '2025-10-26 09:05:12+00', '2025-10-26 16:20:00+00', true)`,
          [i + 1, symbol],
        );
      }
    });
  });
  afterAll(async () => db?.drop());
  const dump = () =>
    stopsDump(
      SYMBOLS.map((symbol) => ({
        exchange: 'binance',
        symbol,
        side: 'long',
        state: 'active',
        is_activated: true,
        entry_price: '1.5',
        highest_price: '1.6',
        quantity: '10',
        update_count: 3,
      })),
    );

  it('diff --format markdown: every symbol as text in its cell, nothing live', async () => {
    const r = await cli(['diff', '--db', db.url, '--dump', dump(), '--format', 'markdown']);
    expect(r.code).toBe(1);
    const text = expectInert(r.stdout, 'diff');
    for (const s of [
      '<script>x</script>',
      '<img onerror=x>',
      'evil.com',
      'a@b.co',
      'https://e.co',
      'A|B*C_D`E',
      'S\\n```\\n[l](//e.co)',
      'ESC\\x1b[2J\\rCR',
      '\\u202eRTL',
    ])
      expect(text).toContain(s);
    // Nine findings, one row each: no symbol split a row or a cell.
    const rows = md.parse(r.stdout, {}).filter((t) => t.type === 'tr_open');
    expect(rows).toHaveLength(1 + SYMBOLS.length);
  });
});
