// Query files live in queries/ at the package root and are found relative to this module, so an
// installed ts-audit reads its own copies whatever the working directory is. A query may include
// another as a subquery with {{query: name}}; the include is expanded here, once, so that rendering,
// the catalog check and `ts-audit queries --show` all see the same text.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const QUERY_DIR = fileURLToPath(new URL('../../queries/', import.meta.url));
const INCLUDE = /\{\{\s*query\s*:\s*([a-z0-9-]+)\s*\}\}/g;
const cache = new Map<string, string>();

function readQuery(name: string): string {
  return readFileSync(`${QUERY_DIR}${name}.sql`, 'utf8');
}

/** The file's SQL without its header comment and final semicolon, for use inside another query. */
function body(name: string): string {
  return readQuery(name)
    .replace(/^(\s*--[^\n]*\n)+/, '')
    .trim()
    .replace(/;$/, '');
}

export function loadQuery(name: string, depth = 0): string {
  let text = cache.get(name);
  if (text === undefined) {
    if (depth > 4) throw new Error(`query includes nest too deep at ${name}`);
    text = codeLines(readQuery(name), (line) => line.replace(INCLUDE, (_all, inner: string) => `(\n${indent(expand(inner, depth + 1))}\n)`));
    cache.set(name, text);
  }
  return text;
}

function expand(name: string, depth: number): string {
  return codeLines(body(name), (line) => line.replace(INCLUDE, (_all, inner: string) => `(\n${indent(expand(inner, depth + 1))}\n)`));
}

const indent = (sql: string) => sql.replace(/^/gm, '    ');

/** Applies fn to every line that is not a `--` comment, so headers may mention placeholders freely. */
export function codeLines(sql: string, fn: (line: string) => string): string {
  return sql
    .split('\n')
    .map((line) => (line.trimStart().startsWith('--') ? line : fn(line)))
    .join('\n');
}

/** The first line of a query file's header: `-- name: what it is`. */
export function queryTitle(name: string): string {
  const first = readQuery(name).split('\n')[0] ?? '';
  return first.replace(/^--\s*[a-z0-9-]+:\s*/, '').trim();
}

export function queryNames(): string[] {
  return readdirSync(QUERY_DIR)
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.slice(0, -4))
    .sort();
}
