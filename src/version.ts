import { readFileSync } from 'node:fs';

/** The package's version, read from package.json beside the installed code. */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
