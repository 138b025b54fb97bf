// Text from the database or a dump (a symbol, a message quoting one) is data, not terminal commands.
// Before it reaches a terminal, a CI log or a Markdown page, every control character is shown as an
// escape: an ANSI sequence in a symbol cannot recolour, move the cursor or hide the lines around it,
// and a NUL or a carriage return cannot cut a line short.
import { maxOf } from '../arrays.js';

// C0 controls, DEL, C1 controls, and the bidirectional overrides that reorder what is shown.
// eslint-disable-next-line no-control-regex -- finding control characters in hostile text is this module's job
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- as CONTROL, but a newline is kept
const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const escapeOne = (c: string): string => {
  const code = c.charCodeAt(0);
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** One line of text with every control character (newlines included) escaped. */
export function visible(text: string): string {
  return text.replace(CONTROL, escapeOne);
}

/** Like visible, but a newline stays a newline (a message's own line breaks, in a wrapped cell). */
export function visibleLines(text: string): string {
  return text.replace(CONTROL_EXCEPT_NEWLINE, escapeOne);
}

// Markdown. A value from the data (a symbol, an exchange, a message quoting one, a log line) is
// written so that a Markdown renderer shows it as text, whatever it holds: no HTML (`<script>`,
// `<img onerror>`), no link or image, no autolink (`evil.com`, `https://…`, `a@b.c`), no emphasis or
// code span, no table cell boundary, no new line or block (a newline, a code fence). Control
// characters are escaped first, as everywhere else.

/**
 * Text for a Markdown line or table cell: control characters (newlines included) escaped, then every
 * character with a meaning in CommonMark or GitHub's extensions backslash-escaped: \ ` * _ [ ] < > |
 * ~ & ! and, where they could start an autolink, `@`, a `.` before a letter (a domain), the `:` of a
 * scheme (`https://`) and `//`. Digits, times, prices and ordinary punctuation read as written.
 */
export function mdText(text: string): string {
  return visible(text)
    .replace(/[\\`*_[\]<>|~&!@]/g, '\\$&')
    .replace(/\.(?=\p{L})/gu, '\\.')
    .replace(/(?<=\p{L}):(?=\/\/)/gu, '\\:')
    .replace(/\/(?=\/)/g, '\\/');
}

/** A code span holding the text exactly (control characters escaped): fenced by more backticks than any run in it. */
export function mdCode(text: string): string {
  const shown = visible(text);
  const longest = Math.max(0, maxOf(Array.from(shown.matchAll(/`+/g), (m) => m[0].length)));
  const fence = '`'.repeat(longest + 1);
  const pad = shown.startsWith('`') || shown.endsWith('`') || shown === '' ? ' ' : '';
  // In a table a `|` still ends the cell inside a code span: GitHub takes `\|` there as `|`.
  return `${fence}${pad}${shown.replace(/\|/g, '\\|')}${pad}${fence}`;
}

/** A fenced code block around `body` (which may hold backticks): its fence is longer than any run of them. */
export function mdFence(lang: string, body: string): string[] {
  const longest = Math.max(0, maxOf(Array.from(body.matchAll(/`+/g), (m) => m[0].length)));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${lang}`, body, fence];
}

/**
 * A Mermaid label or section name from the data: letters, digits, spaces and `_ . / + - ( ) , %` kept, every
 * other character (`:` `#` `;` end a gantt field; `<` `>` `&` `"` could be markup) shown as `_`, and
 * no line break. The tables beside the chart hold the exact values.
 */
export function mermaidText(text: string): string {
  return visible(text).replace(/[^\p{L}\p{N} _./+(),%-]/gu, '_');
}
