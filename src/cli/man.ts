// The man page, ts-audit(1), written from the same Commander definitions the CLI runs (every
// command, its description, its options and their defaults) plus the exit codes and environment.
// `npm run build` writes it to dist/ts-audit.1, which package.json's "man" installs.
import type { Command, Option } from 'commander';
import { VERSION } from '../version.js';

/** Text as roff shows it: backslashes escaped, hyphens of flags kept as hyphens, no line read as a request. */
function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .split('\n')
    .map((l) => (/^[.']/.test(l) ? `\\&${l}` : l))
    .join('\n');
}

function optionItem(o: Option): string[] {
  const flags = o.flags.split(/[ ,|]+/).filter(Boolean);
  const text = flags.map((f) => (f.startsWith('<') || f.startsWith('[') ? `\\fI${roff(f)}\\fR` : `\\fB${roff(f)}\\fR`)).join(' ');
  const extras: string[] = [];
  if (o.argChoices) extras.push(`one of: ${o.argChoices.join(', ')}`);
  if (o.defaultValueDescription) extras.push(`default: ${o.defaultValueDescription}`);
  else if (o.defaultValue !== undefined && typeof o.defaultValue !== 'object' && o.defaultValue !== false) extras.push(`default: ${String(o.defaultValue)}`);
  if (o.envVar) extras.push(`environment: ${o.envVar}`);
  return ['.TP', text, roff(`${o.description}${extras.length ? ` (${extras.join('; ')})` : ''}.`)];
}

const EXIT_STATUS: [string, string][] = [
  ['0', 'No finding at or above --fail-on (doctor: everything ts-audit needs works).'],
  ['1', 'Findings at or above --fail-on (default: high).'],
  [
    '2',
    'Usage, configuration or input error: a bad flag, a broken config file, an unreadable or invalid dump, no database given, an output file that cannot be written.',
  ],
  ['3', 'Database error: unreachable, refused, timed out, or a schema, table or required column missing.'],
  ['4', 'Internal error: a bug in ts-audit; please report it with the --debug output.'],
  ['130, 143', 'Interrupted by SIGINT or SIGTERM: the query running on the server was cancelled and no report was written (watch exits 0 instead).'],
];

const ENVIRONMENT: [string, string][] = [
  ['DATABASE_URL', 'The database, when --db is not given.'],
  [
    'PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE, PGSSLROOTCERT',
    "libpq's variables, used when neither --db, DATABASE_URL nor the config file names a database.",
  ],
  ['TS_AUDIT_CONFIG', 'The configuration file (default: ./ts-audit.config.json if present).'],
  ['TS_AUDIT_SCHEMA, TS_AUDIT_DB_TIMEZONE, TS_AUDIT_FAIL_ON', 'Defaults for --schema, --db-timezone and --fail-on.'],
  ['NO_COLOR, FORCE_COLOR, TERM', 'NO_COLOR and TERM=dumb turn colour off, FORCE_COLOR turns it on; --color and --no-color outrank them.'],
  ['COLUMNS', 'The width tables fit when stdout is not a terminal (default 80).'],
  ['GITHUB_STEP_SUMMARY', 'When set, every report command also appends its Markdown form to this file.'],
];

export function manPage(program: Command): string {
  const out: string[] = [
    `.TH TS\\-AUDIT 1 "" "ts-audit ${roff(VERSION)}" "User Commands"`,
    '.SH NAME',
    `ts\\-audit \\- ${roff(
      program
        .description()
        .replace(/\.$/, '')
        .replace(/^Finds/, 'find'),
    )}`,
    '.SH SYNOPSIS',
    '.B ts\\-audit',
    '.I command',
    '.RI [ options ]',
    '.SH DESCRIPTION',
    roff(
      'A trading bot keeps one trailing stop per open position in memory and persists it to monitoring.trailing_stop_state. ' +
        'ts-audit compares the two, investigates the database (timestamps, entry prices, orphaned rows, order history), simulates ' +
        "what a restart would restore, reads the bot's logs and writes the incident report. It never writes to the database: every " +
        'run is one READ ONLY, REPEATABLE READ transaction. Every command takes -h, --help (its options, examples and exit codes); ' +
        'ts-audit --version prints the version.',
    ),
    '.SH COMMANDS',
  ];
  for (const cmd of program.commands.filter((c) => c.name() !== 'help')) {
    const args = cmd.registeredArguments.map((a) => (a.required ? `<${a.name()}${a.variadic ? '...' : ''}>` : `[${a.name()}${a.variadic ? '...' : ''}]`));
    out.push(`.SS "ts\\-audit ${roff(cmd.name())}${args.length ? ` ${roff(args.join(' '))}` : ''} [options]"`, roff(cmd.description()));
    for (const o of cmd.options.filter((x) => !x.hidden)) out.push(...optionItem(o));
  }
  out.push('.SH EXIT STATUS');
  for (const [code, text] of EXIT_STATUS) out.push('.TP', `.B ${code}`, roff(text));
  out.push('.SH ENVIRONMENT');
  for (const [name, text] of ENVIRONMENT) out.push('.TP', `.B ${roff(name)}`, roff(text));
  out.push(
    '.SH FILES',
    '.TP',
    '.B ./ts\\-audit.config.json',
    roff('The configuration file read when present (see --config).'),
    '.SH EXAMPLES',
    '.nf',
    roff(
      'ts-audit doctor --db "$DATABASE_URL"\nts-audit diff --from-events --all\nts-audit rescue --from-events -o rescue.sql\nts-audit restore\nts-audit check --format github\nts-audit report --from-events --log /var/log/bot/bot.log* -o incident.md',
    ),
    '.fi',
    '.SH SEE ALSO',
    'psql(1); the README of the ts\\-audit package, and its docs/commands.md (every command and flag).',
    '',
  );
  return out.join('\n');
}
