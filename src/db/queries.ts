// Query files live in queries/ at the package root and are found relative to this module, so an
// installed ts-audit reads its own copies whatever the working directory is.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const QUERY_DIR = fileURLToPath(new URL('../../queries/', import.meta.url));
const cache = new Map<string, string>();

export function loadQuery(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(`${QUERY_DIR}${name}.sql`, 'utf8');
    cache.set(name, text);
  }
  return text;
}

