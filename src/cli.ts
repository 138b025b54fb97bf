// The ts-audit command line: declares every command, turns flags into typed options, renders the
// returned report and decides the exit code. The only module that writes to stdout/stderr or sets
// process.exitCode. Commands are loaded lazily so --help and --version stay fast.
import { appendFile } from 'node:fs/promises';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { AuditOptions } from './commands/audit.js';
import { type Tolerance, parseTolerance } from './decimal.js';
import { DEFAULT_ENDED_STATUSES, DEFAULT_OPEN_STATUSES, DEFAULT_SCHEMA, DEFAULT_TABLE_NAMES } from './db/tables.js';
import { parseDuration } from './duration.js';
import { EXIT, TsAuditError, UsageError } from './errors.js';
import { redact } from './mask.js';
import { parseZonedTime } from './time.js';
import type { Config } from './config.js';
import type { Report } from './report/types.js';
import { type FailOn, SEVERITIES, atOrAbove, isFailOn } from './severity.js';
import { VERSION } from './version.js';

interface DbCommandHelp {
  name: 'timestamps' | 'entry-mismatch' | 'orphans' | 'recreated' | 'restore' | 'check';
  summary: string;
  description: string;
  examples: string[];
}

const DB_COMMAND_HELP: DbCommandHelp[] = [
  {
    name: 'timestamps',
    summary: 'position opened vs stop row created, with the lag',
    description:
      'For each open position: when it opened, when its stop row was created, and the lag, in UTC and in --display-timezone. ' +
      'late-persisted (medium) when the row came more than --late-after later; many rows created in the same minute hours after ' +
      'their positions are called out (stops recreated at a restart).',
    examples: ['ts-audit timestamps --db "$DATABASE_URL" --display-timezone Asia/Dubai', 'ts-audit timestamps --late-after 10m --format json'],
  },
  {
    name: 'entry-mismatch',
    summary: "stop rows whose entry price is not their position's",
    description:
      "entry-price-mismatch (high): |row entry - position entry| > max(--entry-tolerance, --entry-tolerance-pct x position entry), " +
      "compared exactly; evidence says whether the bot's own clean-up rule (|diff| > 0.00001) would catch it.",
    examples: ['ts-audit entry-mismatch --db "$DATABASE_URL"', 'ts-audit entry-mismatch --entry-tolerance-pct 0.1% --exchange bybit'],
  },
  {
    name: 'orphans',
    summary: 'rows without an open position, stale links, unprotected positions',
    description:
      'orphaned-stop (medium): a row whose (exchange, symbol) has no open position, with how its last position ended; ' +
      "stale-position-link (medium): a row whose position_id is not the open position's; unprotected-position (high): an open position with no row.",
    examples: ['ts-audit orphans --db "$DATABASE_URL"', 'ts-audit orphans --symbol RADUSDT,STGUSDT --format json'],
  },
  {
    name: 'recreated',
    summary: 'open positions whose symbol was traded long before they were created',
    description:
      'recreated-position (info): the first order for (exchange, symbol) is earlier than the open position by more than --recreated-after; ' +
      'evidence: first order time, position created, count of earlier ended positions.',
    examples: ['ts-audit recreated --db "$DATABASE_URL"', 'ts-audit recreated --recreated-after 1d'],
  },
  {
    name: 'restore',
    summary: 'simulate a restart with the bot restore rules',
    description:
      'For every open position: restored, created-new or deleted-and-recreated, with the reason. restore-loss (high; critical with --dump when ' +
      'the stop is activated in memory) for each stop a restart would not restore; stale-restore (high) for a row that would be restored although ' +
      'it belongs to an earlier position. Summary: "1/14 restored (7%)".',
    examples: ['ts-audit restore --db "$DATABASE_URL"', 'ts-audit restore --dump /var/run/bot/stops.json --fail-on critical'],
  },
  {
    name: 'check',
    summary: 'run every database check (or the ones named) in one snapshot',
    description:
      'Runs the database checks in one read-only snapshot: side-mismatch, restore-loss, stale-restore, entry-price-mismatch, unprotected-position, ' +
      'invalid-stop-row, late-persisted, orphaned-stop, stale-position-link, recreated-position, flag-mismatch, stale-stop. ' +
      '`ts-audit explain CHECK` tells what each one means.',
    examples: ['ts-audit check --db "$DATABASE_URL"', 'ts-audit check side-mismatch invalid-stop-row --fail-on critical'],
  },
];

interface WatchFlags {
  dump?: string;
  all?: boolean;
  interval: number;
  metricsFile?: string;
  listen: string;
  dumpTimeout: number;
}

function parseListen(value: string): { host: string; port: number } | undefined {
  if (value === 'off' || value === 'none') return undefined;
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(value);
  const port = Number(m?.[3]);
  if (!m || port < 0 || port > 65535) throw new UsageError(`--listen: expected host:port (e.g. 127.0.0.1:9464) or "off", got "${value}"`);
  return { host: m[1] ?? m[2] ?? '127.0.0.1', port };
}

function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function checkZone(zone: string, flag = '--display-timezone'): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    throw new UsageError(`${flag}: unknown time zone "${zone}" (use an IANA zone such as Asia/Dubai)`);
  }
}

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
    if (ms === null) throw new InvalidArgumentError(`expected a duration such as 30s, 500ms, 2m or 1d (${flag})`);
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

const REPORT_FORMATS = ['table', 'json', 'markdown', 'junit', 'prometheus'];

/** Defaults of the options the commands share; the demo runs with exactly these. */
const DEFAULTS = {
  schema: DEFAULT_SCHEMA,
  statementTimeout: 30_000,
  connectTimeout: 10_000,
  exchange: [] as string[],
  symbol: [] as string[],
  lateAfter: 300,
  staleAfter: 21_600,
  recreatedAfter: 3600,
  entryTolerance: '0.00000001',
  entryTolerancePct: '0.01',
  format: 'table',
  failOn: 'high' as FailOn,
  color: true,
};

interface CommonFlags {
  config?: string;
  baseline?: string;
  writeBaseline?: string;
  priceTolerance?: Tolerance;
  db?: string;
  schema: string;
  dbTimezone?: string;
  statementTimeout: number;
  connectTimeout: number;
  exchange: string[];
  symbol: string[];
  since?: Date;
  lateAfter: number;
  staleAfter: number;
  recreatedAfter: number;
  entryTolerance: string;
  entryTolerancePct: string;
  format: string;
  output?: string;
  failOn: FailOn;
  color: boolean;
  verbose?: boolean;
  debug?: boolean;
}

// Options several commands share, defined once.
const failOnOption = () =>
  new Option('--fail-on <severity>', `exit 1 when a finding is at or above this (${[...SEVERITIES, 'none'].join('|')})`)
    .argParser(failOn)
    .env('TS_AUDIT_FAIL_ON')
    .default(DEFAULTS.failOn);
const dumpTimeoutOption = () =>
  new Option('--dump-timeout <duration>', 'give up reading a dump URL after').argParser(duration('--dump-timeout')).default(30_000, '30s');
const priceToleranceOption = () =>
  new Option('--price-tolerance <amount>', 'prices closer than this are equal: an amount (0.0001) or a percentage (0.5%)')
    .argParser(tolerance)
    .default(tolerance('0'), '0, exact at the column scale');

function addDatabaseOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--config <file>', `configuration file (default: ./ts-audit.config.json if present)`).env('TS_AUDIT_CONFIG'))
    .option('--db <url>', 'database URL (default: $DATABASE_URL, else the config file, else the PG* variables)')
    .addOption(new Option('--schema <name>', "schema holding the bot's tables").env('TS_AUDIT_SCHEMA').default(DEFAULTS.schema))
    .addOption(new Option('--db-timezone <zone>', "zone the bot wrote naive timestamp columns in (default: the server's TimeZone)").env('TS_AUDIT_DB_TIMEZONE'))
    .addOption(new Option('--statement-timeout <duration>', 'cancel any query running longer').argParser(duration('--statement-timeout')).default(DEFAULTS.statementTimeout, '30s'))
    .addOption(new Option('--connect-timeout <duration>', 'give up connecting after').argParser(duration('--connect-timeout')).default(DEFAULTS.connectTimeout, '10s'));
}

function addOutputOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--format <format>', 'output format').choices(REPORT_FORMATS).default('table'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(failOnOption())
    .option('--baseline <file>', 'suppress the findings recorded in this baseline (they are counted in the summary)')
    .option('--write-baseline <file>', "record this run's findings as a baseline")
    .option('--no-color', 'no colours (also: NO_COLOR=1)')
    .option('-v, --verbose', 'log each query and its duration to stderr')
    .option('--debug', 'like --verbose, and show stack traces of errors');
}

function addFilterOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--exchange <names>', 'only these exchanges (repeatable or comma-separated); also names the exchange of a single get_status() dump')
        .argParser(list)
        .default([], 'all'),
    )
    .addOption(new Option('--symbol <names>', 'only these symbols (repeatable or comma-separated)').argParser(list).default([], 'all'))
    .option('--since <time>', 'only positions opened at or after this time (ISO-8601 with a zone)', zonedTime);
}

function decimalText(flag: string, percent: boolean) {
  return (value: string): string => {
    const t = parseTolerance(percent && !value.trim().endsWith('%') ? `${value}%` : value);
    if (!t || (!percent && t.kind === 'percent')) throw new InvalidArgumentError(`expected ${percent ? 'a percentage such as 0.01%' : 'an amount such as 0.00000001'} (${flag})`);
    return (t.kind === 'percent' ? t.percent : t.amount).toString();
  };
}

function addThresholdOptions(cmd: Command): Command {
  const seconds = (flag: string) => (v: string) => duration(flag)(v) / 1000;
  return cmd
    .addOption(new Option('--late-after <duration>', 'late-persisted: a row created this long after its position opened').argParser(seconds('--late-after')).default(DEFAULTS.lateAfter, '5m'))
    .addOption(new Option('--stale-after <duration>', 'stale-stop: an active stop not updated for this long').argParser(seconds('--stale-after')).default(DEFAULTS.staleAfter, '6h'))
    .addOption(
      new Option('--recreated-after <duration>', 'recreated-position: first order this much earlier than the position')
        .argParser(seconds('--recreated-after'))
        .default(DEFAULTS.recreatedAfter, '1h'),
    )
    .addOption(new Option('--entry-tolerance <amount>', 'entry-price-mismatch: absolute tolerance').argParser(decimalText('--entry-tolerance', false)).default(DEFAULTS.entryTolerance))
    .addOption(
      new Option('--entry-tolerance-pct <percent>', 'entry-price-mismatch: tolerance relative to the position entry')
        .argParser(decimalText('--entry-tolerance-pct', true))
        .default(DEFAULTS.entryTolerancePct, '0.01%'),
    );
}

/** Values from the config file for options still at their default: flags > environment > file > defaults. */
const FROM_CONFIG: (keyof Config & keyof CommonFlags)[] = [
  'schema', 'dbTimezone', 'statementTimeout', 'connectTimeout', 'lateAfter', 'staleAfter', 'recreatedAfter', 'entryTolerance', 'entryTolerancePct', 'failOn',
];

async function withConfig<F extends CommonFlags>(cmd: Command, flags: F): Promise<{ flags: F; config: Config | null }> {
  const { loadConfig } = await import('./config.js');
  const config = loadConfig(flags.config);
  if (!config) return { flags, config };
  const merged: Record<string, unknown> = { ...(flags as object) };
  const fromDefault = (key: string) => ['default', undefined].includes(cmd.getOptionValueSource(key));
  for (const key of FROM_CONFIG) if (config[key] !== undefined && fromDefault(key)) merged[key] = config[key];
  if (config.priceTolerance !== undefined && fromDefault('priceTolerance')) merged.priceTolerance = tolerance(config.priceTolerance);
  // DATABASE_URL is environment and outranks the file; the PG* variables are only libpq's fallback.
  if (!flags.db && !process.env.DATABASE_URL && config.db) merged.db = config.db;
  return { flags: merged as F, config };
}

function auditOptions(flags: CommonFlags, config: Config | null = null): AuditOptions {
  return {
    db: flags.db,
    schema: flags.schema,
    tables: { ...DEFAULT_TABLE_NAMES, ...config?.tables },
    openStatuses: config?.openStatuses ?? DEFAULT_OPEN_STATUSES,
    endedStatuses: config?.endedStatuses ?? DEFAULT_ENDED_STATUSES,
    dbTimezone: flags.dbTimezone,
    statementTimeoutMs: flags.statementTimeout,
    connectTimeoutMs: flags.connectTimeout,
    exchanges: flags.exchange,
    symbols: flags.symbol,
    since: flags.since,
    thresholds: {
      lateAfterSeconds: flags.lateAfter,
      staleAfterSeconds: flags.staleAfter,
      recreatedAfterSeconds: flags.recreatedAfter,
      entryTolerance: flags.entryTolerance,
      entryTolerancePct: flags.entryTolerancePct,
    },
    disabled: config?.disabled ?? [],
    severity: config?.severity ?? {},
  };
}

const logger = (flags: CommonFlags) => (flags.verbose || flags.debug ? (line: string) => err(`ts-audit: ${line}\n`) : undefined);

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
async function emit(unsuppressed: Report, flags: CommonFlags, config: Config | null, started: number): Promise<number> {
  const { REPORTERS } = await import('./report/index.js');
  const baseline = await import('./baseline.js');
  if (flags.writeBaseline) {
    await writeWhole(flags.writeBaseline, baseline.baselineText(unsuppressed.findings, unsuppressed.generatedAt), 'baseline');
    err(`ts-audit: baseline of ${unsuppressed.findings.length} findings written to ${flags.writeBaseline}\n`);
  }
  const report = baseline.applySuppression(unsuppressed, {
    baseline: flags.baseline ? baseline.readBaseline(flags.baseline) : undefined,
    allowlist: config?.allowlist,
    now: unsuppressed.generatedAt,
  });
  const reporter = REPORTERS[flags.format];
  if (!reporter) throw new UsageError(`unknown --format ${flags.format}`);
  const width = !flags.output && process.stdout.isTTY ? process.stdout.columns : undefined;
  const runSeconds = (performance.now() - started) / 1000;
  const text = redact(await reporter(report, { colorLevel: colorLevel(flags), width, failOn: flags.failOn, runSeconds }));
  const summaryFile = process.env.GITHUB_STEP_SUMMARY;
  if (summaryFile) {
    // GitHub Actions shows this file on the run's page.
    const markdown = await REPORTERS.markdown?.(report, { colorLevel: 0, failOn: flags.failOn, runSeconds });
    await appendFile(summaryFile, redact(markdown ?? '')).catch((e: Error) => err(`ts-audit: warning: cannot append to GITHUB_STEP_SUMMARY: ${e.message}\n`));
  }
  if (flags.output) {
    await writeWhole(flags.output, text, 'report');
    if (flags.verbose || flags.debug) err(`ts-audit: report written to ${flags.output}\n`);
  } else {
    out(text);
  }
  return report.findings.some((f) => atOrAbove(f.severity, flags.failOn)) ? EXIT.findings : EXIT.ok;
}

/** Written whole and renamed into place: a reader never sees a partial file. */
async function writeWhole(path: string, text: string, what: string): Promise<void> {
  const { writeAtomically } = await import('./files.js');
  try {
    await writeAtomically(path, text);
  } catch (e) {
    throw new UsageError(`cannot write ${what} to ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
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
    .option('--dump <source>', 'state dump: a file, - for stdin, or an http(s) URL (JSON, NDJSON or get_status())')
    .option('--dump-log <files...>', "instead of --dump: the bot's logs; the latest [TS_DEBUG] symbols in memory per exchange (symbols only)")
    .option('--log-timezone <zone>', "with --dump-log: zone of the host that wrote the logs (default: this machine's)")
    .option('--all', 'also run every database check (as `ts-audit check`) in the same snapshot')
    .option('--dumped-at <time>', 'when the dump was taken, if it does not say (ISO-8601 with a zone)', zonedTime)
    .addOption(dumpTimeoutOption())
    .addOption(priceToleranceOption());
  addFilterOptions(diff);
  addThresholdOptions(diff);
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
  diff.action(async (given: CommonFlags & { dump?: string; dumpLog?: string[]; logTimezone?: string; all?: boolean; dumpedAt?: Date; dumpTimeout: number; priceTolerance: Tolerance }, cmd: Command) => {
    const started = performance.now();
    if (!given.dump === !given.dumpLog) throw new UsageError(given.dump ? '--dump and --dump-log exclude each other' : "required option '--dump <source>' (or --dump-log <files...>) not specified");
    const { flags, config } = await withConfig(cmd, given);
    const { runDiff } = await import('./commands/diff.js');
    const report = await runDiff(
      {
        ...auditOptions(flags, config),
        dump: flags.dump,
        dumpLog: flags.dumpLog,
        logTimezone: flags.dumpLog ? checkZone(flags.logTimezone ?? localZone(), '--log-timezone') : undefined,
        dumpTimeoutMs: flags.dumpTimeout,
        dumpedAt: flags.dumpedAt,
        priceTolerance: flags.priceTolerance,
        all: flags.all,
      },
      { env: process.env, now: () => new Date(), log: logger(flags) },
    );
    setExit(await emit(report, flags, config, started));
  });

  const queries = program
    .command('queries')
    .summary('list the SQL ts-audit runs, or show one query as it runs')
    .description('Lists every query file with its purpose. --show NAME prints one exactly as it runs, with its bound parameters; give --db (or DATABASE_URL) so that naive timestamp columns are read from that database.')
    .option('--show <name>', 'print this query as it runs')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'));
  addFilterOptions(queries);
  addThresholdOptions(queries);
  addDatabaseOptions(queries);
  queries.option('-v, --verbose', 'log each query and its duration to stderr').option('--debug', 'like --verbose, with stack traces');
  queries.addHelpText('after', '\nExamples:\n  $ ts-audit queries\n  $ ts-audit queries --show late-persisted --db "$DATABASE_URL"\n');
  queries.action(async (given: CommonFlags & { show?: string }, cmd: Command) => {
    const { flags, config } = await withConfig(cmd, given);
    const mod = await import('./commands/queries.js');
    const text = await import('./report/text.js');
    if (!flags.show) {
      const listing = mod.listQueries();
      out(flags.format === 'json' ? `${JSON.stringify(listing, null, 2)}\n` : text.renderQueryList(listing));
      return;
    }
    const useDatabase = Boolean(flags.db || process.env.DATABASE_URL || process.env.PGHOST || process.env.PGDATABASE);
    const shown = await mod.showQuery(flags.show, auditOptions(flags, config), { env: process.env, now: () => new Date(), log: logger(flags) }, useDatabase);
    out(flags.format === 'json' ? `${JSON.stringify(shown, null, 2)}\n` : text.renderShownQuery(shown));
  });

  program
    .command('explain')
    .summary('what a check means, the failure mode behind it, its query and the repair')
    .description('Explains one check; without a name, lists every check with its severities.')
    .argument('[check]', 'a check id, e.g. missing-in-db')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addHelpText('after', '\nExamples:\n  $ ts-audit explain\n  $ ts-audit explain stale-restore\n')
    .action(async (id: string | undefined, flags: { format: string }) => {
      const mod = await import('./commands/explain.js');
      const text = await import('./report/text.js');
      const value = id ? mod.explain(id) : mod.listChecks();
      if (flags.format === 'json') out(`${JSON.stringify(value, null, 2)}\n`);
      else out(Array.isArray(value) ? text.renderCheckList(value) : text.renderExplanation(value));
    });

  program
    .command('demo')
    .summary('the 2025-10-26 incident on an embedded database: diff and restore, nothing to install')
    .description(
      'Starts an embedded PostgreSQL (PGlite, in this process, on a loopback port), loads the bot schema and a replica of the ' +
        '2025-10-26 incident (14 open positions, one stop row, 14 stops in memory), writes the 14-stop dump, runs `diff` and ' +
        '`restore` against it and prints both. Exits with the code a real `diff` gives on that data (1). Leaves no process ' +
        'and no files behind, unless --keep.',
    )
    .option('--keep', 'keep the database running (until Ctrl-C) and print its URL and the dump path, to try every command on it')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--no-color', 'no colours (also: NO_COLOR=1)')
    .option('-v, --verbose', 'log each query and its duration to stderr')
    .option('--debug', 'like --verbose, and show stack traces of errors')
    .addHelpText('after', '\nExamples:\n  $ ts-audit demo\n  $ ts-audit demo --keep\n')
    .action(async (given: { keep?: boolean; format: string; color: boolean; verbose?: boolean; debug?: boolean }) => {
      const started = performance.now();
      const flags: CommonFlags = { ...DEFAULTS, ...given };
      const [{ startDemoDatabase }, { runDiff }, { runDbCommand }] = await Promise.all([
        import('./commands/demo.js'),
        import('./commands/diff.js'),
        import('./commands/db-commands.js'),
      ]);
      const demo = await startDemoDatabase(logger(flags));
      try {
        const opts = { ...auditOptions({ ...flags, db: demo.url }) };
        const ctx = { env: {}, now: () => new Date(), log: logger(flags) };
        const diff = await runDiff({ ...opts, dump: demo.dumpPath, dumpTimeoutMs: 30_000, priceTolerance: tolerance('0') }, ctx);
        const restore = await runDbCommand('restore', opts, ctx);
        let code: number;
        if (flags.format === 'json') {
          out(`${JSON.stringify({ database: demo.url, dump: demo.dumpPath, diff, restore }, null, 2)}\n`);
          code = diff.findings.some((f) => atOrAbove(f.severity, flags.failOn)) ? EXIT.findings : EXIT.ok;
        } else {
          code = await emit(diff, flags, null, started);
          out('\n');
          await emit(restore, flags, null, started);
        }
        if (given.keep) {
          err(
            `\nThe demo database is running until Ctrl-C:\n  database  ${demo.url}\n  dump      ${demo.dumpPath}\n` +
              `Try:\n  ts-audit check --db '${demo.url}'\n  ts-audit timestamps --db '${demo.url}'\n` +
              `  ts-audit diff --all --db '${demo.url}' --dump ${demo.dumpPath}\n`,
          );
          await new Promise<void>((resolve) => {
            process.once('SIGINT', resolve);
            process.once('SIGTERM', resolve);
          });
        }
        setExit(code);
      } finally {
        await demo.stop();
      }
    });

  const logs = program
    .command('logs')
    .summary("the bot's logs: restarts, stops restored or lost, save failures")
    .description(
      "Reads the bot's logs (plain or .gz, rotated files put in the order they were written, multi-line records folded). " +
        'For each restart ("Initializing trailing stops for loaded positions"): stops restored, created new, failed, timed out and ' +
        'deleted. Save failures by symbol and time. Findings: save-failure (critical), restore-loss (high). Streamed: memory ' +
        'stays bounded whatever the size of the logs.',
    )
    .argument('<files...>', 'log files, e.g. bot.log bot.log.1 bot.log.2.gz')
    .option('--log-timezone <zone>', "zone of the host that wrote the logs, whose times carry none (default: this machine's)");
  addOutputOptions(logs);
  logs.addHelpText('after', `\nExamples:\n  $ ts-audit logs /var/log/bot/bot.log* --log-timezone Asia/Dubai\n  $ ts-audit logs bot.log.2.gz bot.log.1 bot.log --format markdown -o logs.md\n${EXIT_HELP}`);
  logs.action(async (files: string[], given: CommonFlags & { logTimezone?: string }, cmd: Command) => {
    const started = performance.now();
    const { flags, config } = await withConfig(cmd, given);
    const { runLogs } = await import('./commands/logs.js');
    const report = await runLogs(
      { files, logTimezone: checkZone(flags.logTimezone ?? localZone(), '--log-timezone') },
      { env: process.env, now: () => new Date(), log: logger(flags) },
    );
    setExit(await emit(report, flags, config, started));
  });

  const report = program
    .command('report')
    .summary('a Markdown incident report: diff, every check, the restart simulation and the logs, from one snapshot')
    .description(
      'Writes the incident report in Markdown from one snapshot: diff (with --dump), every database check, the restart simulation and, ' +
        'with --log, the log forensics. It holds an executive summary, suspected causes with their evidence, recommended actions, ' +
        'evidence tables (timestamps with the lag, entry-price mismatches, orphans, restore outcomes), a Mermaid gantt timeline per ' +
        'symbol, and an appendix with every query, its parameters and the snapshot time.',
    )
    .option('--dump <source>', 'a state dump, to include the diff of memory against the database')
    .option('--log <files...>', "the bot's logs, to include the log forensics")
    .option('--log-timezone <zone>', "zone of the host that wrote the logs (default: this machine's)")
    .option('--title <title>', 'the report title', 'Trailing-stop incident report')
    .option('--display-timezone <zone>', "show times in UTC and in this zone (default: this machine's)")
    .addOption(dumpTimeoutOption())
    .addOption(priceToleranceOption())
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(failOnOption())
    .option('-v, --verbose', 'log each query and its duration to stderr')
    .option('--debug', 'like --verbose, and show stack traces of errors');
  addFilterOptions(report);
  addThresholdOptions(report);
  addDatabaseOptions(report);
  report.addHelpText(
    'after',
    '\nExamples:\n  $ ts-audit report --db "$DATABASE_URL" --dump stops.json --log /var/log/bot/bot.log* --log-timezone Asia/Dubai -o incident.md\n' +
      "  $ ts-audit report --title 'TS restoration, 2025-10-26' --display-timezone Asia/Dubai\n",
  );
  report.action(async (given: CommonFlags & { dump?: string; log?: string[]; logTimezone?: string; title: string; displayTimezone?: string; dumpTimeout: number }, cmd: Command) => {
    const { flags, config } = await withConfig(cmd, given);
    const [{ runIncidentReport }, { renderIncident }] = await Promise.all([import('./commands/report.js'), import('./report/incident.js')]);
    const incident = await runIncidentReport(
      {
        ...auditOptions(flags, config),
        title: flags.title,
        displayTimezone: checkZone(flags.displayTimezone ?? localZone()),
        diff: flags.dump ? { dump: flags.dump, dumpTimeoutMs: flags.dumpTimeout, priceTolerance: flags.priceTolerance ?? tolerance('0') } : undefined,
        logs: flags.log ? { files: flags.log, logTimezone: checkZone(flags.logTimezone ?? localZone(), '--log-timezone') } : undefined,
      },
      { env: process.env, now: () => new Date(), log: logger(flags) },
    );
    const text = redact(renderIncident(incident));
    if (flags.output) {
      await writeWhole(flags.output, text, 'report');
      err(`ts-audit: incident report written to ${flags.output}\n`);
    } else {
      out(text);
    }
    setExit(incident.findings.some((f) => atOrAbove(f.severity, flags.failOn)) ? EXIT.findings : EXIT.ok);
  });

  const watch = program
    .command('watch')
    .summary('run diff and/or the checks every --interval; Prometheus metrics, only changes printed')
    .description(
      'Runs `diff` (when --dump is given; the dump is re-read each time) or every database check (without --dump; with ' +
        '--dump, --all adds them) every --interval over one connection, reconnecting with backoff. A database or dump outage is ' +
        'reported and retried, never fatal. Writes the Prometheus text file atomically (--metrics-file) and serves /metrics and ' +
        '/healthz on --listen. Prints only findings that appeared or resolved since the last run. SIGINT or SIGTERM end it.',
    )
    .option('--dump <source>', 'state dump (file, or http(s) URL) to diff against on every run')
    .option('--all', 'with --dump, also run every database check')
    .addOption(new Option('--interval <duration>', 'time between runs').argParser(duration('--interval')).default(60_000, '60s'))
    .option('--metrics-file <file>', 'write the Prometheus text exposition here after each run (atomically)')
    .addOption(new Option('--listen <host:port>', 'serve /metrics and /healthz here ("off" for none)').default('127.0.0.1:9464'))
    .addOption(dumpTimeoutOption())
    .addOption(priceToleranceOption())
    .option('--no-color', 'no colours (also: NO_COLOR=1)')
    .option('-v, --verbose', 'log each query and its duration to stderr')
    .option('--debug', 'like --verbose, and show stack traces of errors');
  addFilterOptions(watch);
  addThresholdOptions(watch);
  addDatabaseOptions(watch);
  watch.addHelpText(
    'after',
    '\nExamples:\n  $ ts-audit watch --db "$DATABASE_URL" --dump http://bot:8080/ts/status --interval 30s\n' +
      '  $ ts-audit watch --metrics-file /var/lib/node_exporter/textfile/ts_audit.prom --listen off\n',
  );
  watch.action(async (given: CommonFlags & WatchFlags, cmd: Command) => {
    const { flags, config } = await withConfig(cmd, given);
    const listen = parseListen(flags.listen);
    const { runWatch } = await import('./commands/watch.js');
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const c = new (await import('chalk')).Chalk({ level: colorLevel(flags) });
    const stamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const line = (f: Report['findings'][number]) => `${f.severity.toUpperCase()} ${f.check} ${f.exchange} ${f.symbol}: ${f.message}`;
    try {
      await runWatch(
        {
          ...auditOptions(flags, config),
          intervalMs: flags.interval,
          diff: flags.dump ? { dump: flags.dump, dumpTimeoutMs: flags.dumpTimeout, priceTolerance: flags.priceTolerance ?? tolerance('0') } : undefined,
          all: flags.all,
          metricsFile: flags.metricsFile,
          listen,
        },
        { env: process.env, now: () => new Date(), log: logger(flags) },
        {
          listening: (address) => err(`ts-audit: serving ${address}/metrics and ${address}/healthz\n`),
          report: (report, { appeared, resolved, first }) => {
            if (!first && appeared.length === 0 && resolved.length === 0) return;
            const counts = SEVERITIES.map((s) => `${report.summary.bySeverity[s]} ${s}`).join(' · ');
            out(`${stamp()}  ${first ? 'findings' : 'changed'}: ${counts}${report.summary.restart ? ` · ${report.summary.restart.text}` : ''}\n`);
            for (const f of appeared) out(`  ${c.red('+')} ${line(f)}\n`);
            for (const f of resolved) out(`  ${c.green('-')} resolved: ${line(f)}\n`);
          },
          failure: (message, retryInMs) =>
            err(`ts-audit: ${stamp()} run failed: ${message}; retrying in ${(retryInMs / 1000).toFixed(retryInMs < 1000 ? 1 : 0)}s\n`),
        },
        controller.signal,
      );
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
    setExit(EXIT.ok);
  });

  for (const spec of DB_COMMAND_HELP) {
    const cmd = program.command(spec.name).summary(spec.summary).description(spec.description);
    if (spec.name === 'check') cmd.argument('[checks...]', 'checks to run (default: every database check)');
    if (spec.name === 'restore') {
      cmd
        .option('--dump <source>', 'a state dump: stops activated in memory that a restart would lose are critical')
        .addOption(dumpTimeoutOption());
    }
    if (spec.name === 'timestamps') {
      cmd.option('--display-timezone <zone>', "also show times in this zone (default: this machine's zone)");
    }
    addFilterOptions(cmd);
    addThresholdOptions(cmd);
    addDatabaseOptions(cmd);
    addOutputOptions(cmd);
    cmd.addHelpText('after', `\nExamples:\n${spec.examples.map((e) => `  $ ${e}`).join('\n')}\n${EXIT_HELP}`);
    cmd.action(async (...args: unknown[]) => {
      const started = performance.now();
      const { flags, config } = await withConfig(
        args[args.length - 1] as Command,
        args[args.length - 2] as CommonFlags & { dump?: string; dumpTimeout?: number; displayTimezone?: string },
      );
      const names = spec.name === 'check' ? (args[0] as string[]).flatMap((n) => n.split(',')).filter(Boolean) : [];
      const displayTimezone = spec.name === 'timestamps' ? checkZone(flags.displayTimezone ?? localZone()) : undefined;
      const { runDbCommand } = await import('./commands/db-commands.js');
      const report = await runDbCommand(
        spec.name,
        { ...auditOptions(flags, config), checks: names, dump: flags.dump, dumpTimeoutMs: flags.dumpTimeout, displayTimezone },
        { env: process.env, now: () => new Date(), log: logger(flags) },
      );
      setExit(await emit(report, flags, config, started));
    });
  }
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
