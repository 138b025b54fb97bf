// The ts-audit command line: declares every command, turns flags into typed options, renders the
// returned report and decides the exit code. The only module that writes to stdout/stderr or sets
// process.exitCode. Commands are loaded lazily so --help and --version stay fast.
import { rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { DatabaseOptions } from './commands/diff.js';
import { type Tolerance, parseTolerance } from './decimal.js';
import { DEFAULT_OPEN_STATUSES, DEFAULT_SCHEMA, DEFAULT_TABLE_NAMES } from './db/tables.js';
import { parseZonedTime } from './dump/fields.js';
import { parseDuration } from './duration.js';
import { EXIT, TsAuditError, UsageError } from './errors.js';
import { redact } from './mask.js';
import type { Report } from './report/types.js';
import { type FailOn, SEVERITIES, atOrAbove, isFailOn } from './severity.js';
import { VERSION } from './version.js';

const EXIT_HELP = `
Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on (default: high)
  2  usage, configuration or state-dump error
  3  database error (unreachable, refused, timed out, schema/table/column missing)
  4  internal error (a bug in ts-audit: please report it, with --debug output)`;

const out = (text: string) => process.stdout.write(redact(text));
const err = (text: string) => process.stderr.write(redact(text));

function duration(flag: string) {
  return (value: string): number => {
    const ms = parseDuration(value);
    if (ms === null) throw new InvalidArgumentError(`expected a duration such as 30s, 500ms or 2m (${flag})`);
    return ms;
  };
}

function list(value: string, previous: string[] = []): string[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new InvalidArgumentError('expected one or more comma-separated names');
  return [...previous, ...items];
}

function tolerance(value: string): Tolerance {
  const t = parseTolerance(value);
  if (!t) throw new InvalidArgumentError('expected an absolute amount (0.0001) or a percentage (0.5%)');
  return t;
}

function zonedTime(value: string): Date {
  const d = parseZonedTime(value);
  if (!d) throw new InvalidArgumentError('expected an ISO-8601 time with a zone, e.g. 2025-10-26T16:30:34Z');
  return d;
}

function failOn(value: string): FailOn {
  if (!isFailOn(value)) throw new InvalidArgumentError(`expected one of ${[...SEVERITIES, 'none'].join(', ')}`);
  return value;
}

interface CommonFlags {
  db?: string;
  schema: string;
  dbTimezone?: string;
  statementTimeout: number;
  connectTimeout: number;
  format: string;
  output?: string;
  failOn: FailOn;
  color: boolean;
  verbose?: boolean;
  debug?: boolean;
}

function addDatabaseOptions(cmd: Command): Command {
  return cmd
    .option('--db <url>', 'database URL (default: $DATABASE_URL, else the PG* variables)')
    .option('--schema <name>', "schema holding the bot's tables", DEFAULT_SCHEMA)
    .option('--db-timezone <zone>', "zone the bot wrote naive timestamp columns in (default: the server's TimeZone)")
    .addOption(new Option('--statement-timeout <duration>', 'cancel any query running longer').argParser(duration('--statement-timeout')).default(30_000, '30s'))
    .addOption(new Option('--connect-timeout <duration>', 'give up connecting after').argParser(duration('--connect-timeout')).default(10_000, '10s'));
}

function addOutputOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--fail-on <severity>', `exit 1 when a finding is at or above this (${[...SEVERITIES, 'none'].join('|')})`, failOn, 'high' as FailOn)
    .option('--no-color', 'no colours (also: NO_COLOR=1)')
    .option('-v, --verbose', 'log each query and its duration to stderr')
    .option('--debug', 'like --verbose, and show stack traces of errors');
}

function databaseOptions(flags: CommonFlags): DatabaseOptions {
  return {
    db: flags.db,
    schema: flags.schema,
    tables: DEFAULT_TABLE_NAMES,
    openStatuses: DEFAULT_OPEN_STATUSES,
    dbTimezone: flags.dbTimezone,
    statementTimeoutMs: flags.statementTimeout,
    connectTimeoutMs: flags.connectTimeout,
  };
}

function colorLevel(flags: CommonFlags): 0 | 1 | 2 | 3 {
  if (!flags.color || process.env.NO_COLOR) return 0;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    const n = Number(force);
    return n >= 1 && n <= 3 ? (n as 1 | 2 | 3) : 1;
  }
  if (flags.output || !process.stdout.isTTY) return 0;
  const depth = process.stdout.getColorDepth?.() ?? 1;
  return depth >= 24 ? 3 : depth >= 8 ? 2 : 1;
}

/** Renders the report, writes it where asked, and returns the exit code its findings call for. */
async function emit(report: Report, flags: CommonFlags): Promise<number> {
  const { REPORTERS } = await import('./report/index.js');
  const reporter = REPORTERS[flags.format];
  if (!reporter) throw new UsageError(`unknown --format ${flags.format}`);
  const width = !flags.output && process.stdout.isTTY ? process.stdout.columns : undefined;
  const text = redact(await reporter(report, { colorLevel: colorLevel(flags), width }));
  if (flags.output) {
    // Written whole and renamed into place: a reader never sees a partial report.
    const tmp = join(dirname(flags.output), `.${basename(flags.output)}.${process.pid}.tmp`);
    try {
      await writeFile(tmp, text);
      await rename(tmp, flags.output);
    } catch (e) {
      throw new UsageError(`cannot write report to ${flags.output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (flags.verbose || flags.debug) err(`ts-audit: report written to ${flags.output}\n`);
  } else {
    out(text);
  }
  return report.findings.some((f) => atOrAbove(f.severity, flags.failOn)) ? EXIT.findings : EXIT.ok;
}

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('ts-audit')
    .description("Finds where a trading bot's trailing stops in memory and in PostgreSQL disagree, before a restart loses them.")
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .addHelpText('after', EXIT_HELP)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: out,
      writeErr: err,
      outputError: (text, write) => write(`ts-audit: ${text.replace(/^error: /, '')}`),
    });

  const diff = program
    .command('diff')
    .summary("compare the bot's in-memory stops with the database")
    .description(
      "Compare the bot's in-memory trailing stops (a state dump) with monitoring.trailing_stop_state: " +
        'stops only in memory (lost on the next restart), rows the bot no longer tracks, and drift in ' +
        'state, activation, side, entry, peak, stop, activation price, quantity and update count.',
    )
    .requiredOption('--dump <source>', 'state dump: a file, - for stdin, or an http(s) URL (JSON, NDJSON or get_status())')
    .addOption(
      new Option('--exchange <names>', 'only these exchanges (repeatable or comma-separated); names the exchange of a single get_status() dump')
        .argParser(list)
        .default([], 'all'),
    )
    .addOption(new Option('--symbol <names>', 'only these symbols (repeatable or comma-separated)').argParser(list).default([], 'all'))
    .option('--dumped-at <time>', 'when the dump was taken, if it does not say (ISO-8601 with a zone)', zonedTime)
    .addOption(new Option('--dump-timeout <duration>', 'give up reading a dump URL after').argParser(duration('--dump-timeout')).default(30_000, '30s'))
    .addOption(
      new Option('--price-tolerance <amount>', 'prices closer than this are equal: an amount (0.0001) or a percentage (0.5%)')
        .argParser(tolerance)
        .default(tolerance('0'), '0, exact at the column scale'),
    );
  addDatabaseOptions(diff);
  addOutputOptions(diff);
  diff.addHelpText(
    'after',
    `
Examples:
  $ ts-audit diff --db postgresql://audit@db:5432/bot --dump /var/run/bot/stops.json
  $ curl -s http://bot:8080/ts/status | ts-audit diff --dump - --format json --fail-on critical
${EXIT_HELP}`,
  );
  diff.action(async (flags: CommonFlags & { dump: string; exchange: string[]; symbol: string[]; dumpedAt?: Date; dumpTimeout: number; priceTolerance: Tolerance }) => {
    const { runDiff } = await import('./commands/diff.js');
    const log = flags.verbose || flags.debug ? (line: string) => err(`ts-audit: ${line}\n`) : undefined;
    const report = await runDiff(
      {
        ...databaseOptions(flags),
        dump: flags.dump,
        dumpTimeoutMs: flags.dumpTimeout,
        dumpedAt: flags.dumpedAt,
        exchanges: flags.exchange,
        symbols: flags.symbol,
        priceTolerance: flags.priceTolerance,
      },
      { env: process.env, now: () => new Date(), log },
    );
    setExit(await emit(report, flags));
  });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram((c) => {
    code = c;
  });
  const debug = argv.includes('--debug');
  try {
    if (argv.length <= 2) {
      program.outputHelp({ error: true });
      return EXIT.usage;
    }
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      const done = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(e.code) && e.exitCode === 0;
      return done ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof TsAuditError) {
      err(`ts-audit: ${e.message.replace(/\s*\n\s*/g, ' ')}\n`);
      if (debug && e.cause instanceof Error && e.cause.stack) err(`${e.cause.stack}\n`);
      return e.exitCode;
    }
    const error = e as Error;
    err(`ts-audit: internal error: ${error?.message ?? String(e)}${debug ? '' : ' (run with --debug for the stack trace)'}\n`);
    if (debug && error?.stack) err(`${error.stack}\n`);
    return EXIT.internal;
  }
}

// A reader that stops early (`ts-audit diff ... | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
});
process.exitCode = await main(process.argv);
