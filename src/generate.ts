// Writes what is derived from the check registry where it ships: the README's checks table, into
// dist/schemas the config file's JSON Schema and the report schema with its enum of check ids (from
// the hand-written src/schemas/report-v1.schema.json), and dist/ts-audit.1, the man page, from the
// CLI's command definitions. Run by `npm run build`;
// test/unit/registry.test.ts fails when the README and the registry disagree. Nothing under src/
// spells a check id but the checks and the registry: the derived files live in dist/.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHECKS } from './checks/index.js';
import { configSchema } from './config-schema.js';
import { buildProgram } from './cli.js';
import { manPage } from './cli/man.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const README = `${ROOT}README.md`;
export const CONFIG_SCHEMA = `${ROOT}dist/schemas/config.schema.json`;
/** The hand-written report schema, and the published one with the ids. */
export const REPORT_SCHEMA_SOURCE = `${ROOT}src/schemas/report-v1.schema.json`;
export const REPORT_SCHEMA = `${ROOT}dist/schemas/report-v1.schema.json`;
/** ts-audit(1), written from the CLI's own command definitions; package.json's "man" installs it. */
export const MAN_PAGE = `${ROOT}dist/ts-audit.1`;
const BEGIN = '<!-- checks table: generated from src/checks by `npm run build`; do not edit -->';
const END = '<!-- end of checks table -->';

const bold = (text: string) => text.replace(/\b(critical|high|medium|low|info)\b/g, '**$1**');
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The README's table of checks, one row per check, in the registry's order. */
export function checksTable(): string {
  const rows = CHECKS.map((c) => {
    const severity = c.severityText ?? c.severities.join(', ');
    return `| \`${c.id}\` | ${cell(bold(severity))} | ${c.commands.join(', ')} | ${cell(c.summary)} |`;
  });
  return [BEGIN, '| check | severity | reported by | what it catches |', '|---|---|---|---|', ...rows, END].join('\n');
}

export function readmeWithTable(readme: string): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md: the checks table markers are missing (${BEGIN})`);
  return `${readme.slice(0, start)}${checksTable()}${readme.slice(end + END.length)}`;
}

export const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** The report schema with findings[].check (and byCheck's keys) limited to the registry's ids. */
export function reportSchemaWithIds(schemaText: string): string {
  const schema = JSON.parse(schemaText);
  schema.properties.findings.items.properties.check = { enum: CHECKS.map((c) => c.id), description: 'the check id; `ts-audit explain ID` tells what it means' };
  return json(schema);
}

export function generate(): string[] {
  const written: string[] = [];
  mkdirSync(`${ROOT}dist/schemas`, { recursive: true });
  const write = (path: string, next: string) => {
    if (readFileSync(path, { encoding: 'utf8', flag: 'a+' }) === next) return;
    writeFileSync(path, next);
    written.push(path);
  };
  write(README, readmeWithTable(readFileSync(README, 'utf8')));
  write(CONFIG_SCHEMA, json(configSchema()));
  write(REPORT_SCHEMA, reportSchemaWithIds(readFileSync(REPORT_SCHEMA_SOURCE, 'utf8')));
  write(MAN_PAGE, manPage(buildProgram()));
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const path of generate()) process.stderr.write(`generated ${path.slice(ROOT.length)}\n`);
}
