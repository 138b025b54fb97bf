// Writes what is derived from the check registry where it ships: the README's checks table, one
// documentation page per check (docs/checks/<id>.md, linked from the table and from `explain`), into
// dist/schemas the config file's JSON Schema and the report schema with its enum of check ids (from
// the hand-written src/schemas/report-v1.schema.json), and dist/ts-audit.1, the man page, from the
// CLI's command definitions. Run by `npm run build`;
// test/unit/registry.test.ts fails when the README or a page and the registry disagree. Nothing under src/
// spells a check id but the checks and the registry: the derived files live in dist/.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHECKS } from './checks/index.js';
import { type Check, checkPagePath } from './checks/types.js';
import { optionFlag } from './thresholds.js';
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
/** One page per check, named by its id. */
export const CHECK_PAGES = `${ROOT}docs/checks/`;
const BEGIN = '<!-- checks table: generated from src/checks by `npm run build`; do not edit -->';
const END = '<!-- end of checks table -->';

const bold = (text: string) => text.replace(/\b(critical|high|medium|low|info)\b/g, '**$1**');
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The README's table of checks, one row per check, in the registry's order. */
export function checksTable(): string {
  const rows = CHECKS.map((c) => {
    const severity = c.severityText ?? c.severities.join(', ');
    return `| [\`${c.id}\`](${checkPagePath(c.id)}) | ${cell(bold(severity))} | ${c.commands.join(', ')} | ${cell(c.summary)} |`;
  });
  return [BEGIN, '| check | severity | reported by | what it catches |', '|---|---|---|---|', ...rows, END].join('\n');
}

export function readmeWithTable(readme: string): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md: the checks table markers are missing (${BEGIN})`);
  return `${readme.slice(0, start)}${checksTable()}${readme.slice(end + END.length)}`;
}

const READS: Record<Check['kind'], string> = {
  database: "the database alone, in the run's read-only snapshot",
  diff: "the bot's memory (a state dump, the event journal or its [TS_DEBUG] log lines) against the table and the open positions",
  logs: "the bot's log files",
  config: "ts-audit's own configuration file",
};

/** docs/checks/<id>.md: everything the registry knows about one check, as `explain` tells it. */
export function checkPage(c: Check): string {
  const severity = c.severityText ?? c.severities.join(', ');
  const reportedBy = c.commands.map((cmd) => (cmd === 'any' ? 'any command' : `\`ts-audit ${cmd}\``));
  if (c.kind === 'database' && !c.commands.includes('check')) reportedBy.push('`ts-audit check`');
  if (c.kind === 'database') reportedBy.push('`ts-audit diff --all`', '`ts-audit report`');
  const rows: [string, string][] = [
    ['severity', bold(severity)],
    ['reads', READS[c.kind]],
    ['reported by', reportedBy.join(', ')],
  ];
  if (c.rescue)
    rows.push([
      'repaired by',
      `\`ts-audit rescue\` (${c.rescue === 'delete-stale' || c.rescue === 'delete-orphan' ? 'with `--delete-stale`, ' : ''}${c.rescue})`,
    ]);
  if (c.kind === 'database') {
    rows.push(['query', `[\`queries/${c.query}.sql\`](../../queries/${c.query}.sql) (\`ts-audit queries --show ${c.query}\` prints it as it runs)`]);
    const needs = Object.entries(c.needs ?? {}).flatMap(([table, columns]) => (columns ?? []).map((col) => `\`${table}.${col}\``));
    if (needs.length) rows.push(['needs', `${needs.join(', ')}; on a database without them the check is skipped, and the report says so`]);
  }
  const settings = (c.thresholds ?? []).map(
    (t) => `| \`${optionFlag(t.name)} ${t.placeholder}\` | \`thresholds.${t.name}\` | \`${t.default}\` | ${cell(t.help)} |`,
  );
  return [
    `<!-- generated from src/checks/${c.id}.ts by \`npm run build\`; do not edit -->`,
    `# \`${c.id}\``,
    '',
    c.summary,
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`),
    '',
    '## Failure mode',
    '',
    c.failureMode,
    '',
    '## Repair',
    '',
    c.repair,
    '',
    ...(settings.length ? ['## Settings', '', '| option | config key | default | meaning |', '|---|---|---|---|', ...settings, ''] : []),
    '## See also',
    '',
    `\`ts-audit explain ${c.id}\` prints this page's facts with the query; [every check](../../README.md#checks); [severity rules](../commands.md#severity-rules).`,
    '',
  ].join('\n');
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
  mkdirSync(CHECK_PAGES, { recursive: true });
  const pages = new Set(CHECKS.map((c) => `${c.id}.md`));
  for (const c of CHECKS) write(`${CHECK_PAGES}${c.id}.md`, checkPage(c));
  // A page of a check that is gone would be a link to nothing: the folder holds the registry's pages only.
  for (const f of readdirSync(CHECK_PAGES)) {
    if (f.endsWith('.md') && !pages.has(f)) {
      rmSync(`${CHECK_PAGES}${f}`);
      written.push(`${CHECK_PAGES}${f} (removed)`);
    }
  }
  write(CONFIG_SCHEMA, json(configSchema()));
  write(REPORT_SCHEMA, reportSchemaWithIds(readFileSync(REPORT_SCHEMA_SOURCE, 'utf8')));
  write(MAN_PAGE, manPage(buildProgram()));
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const path of generate()) process.stderr.write(`generated ${path.slice(ROOT.length)}\n`);
}
