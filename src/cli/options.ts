// Flags: parsers, shared option definitions, defaults, and how flags, environment and the config file
// combine into a command's options (flags > environment > file > defaults).
import { type Command, InvalidArgumentError, Option } from 'commander';
import { readBaseline } from '../baseline.js';
import { THRESHOLDS } from '../checks/index.js';
import type { Check } from '../checks/types.js';
import type { AuditOptions } from '../run/options.js';
import type { Config } from '../config.js';
import { type Tolerance, parseTolerance } from '../decimal.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_LOCK_TIMEOUT_MS, DEFAULT_STATEMENT_TIMEOUT_MS } from '../db/snapshot.js';
import { DEFAULT_ENDED_STATUSES, DEFAULT_OPEN_STATUSES, DEFAULT_SCHEMA, DEFAULT_TABLE_NAMES } from '../db/tables.js';
import { type ConfigOrigin, chooseTarget } from '../db/target.js';
import { DEFAULT_DUMP_MAX_BYTES, DEFAULT_DUMP_TIMEOUT_MS, sizeText } from '../dump/source.js';
import { formatSpan, parseDuration, timerProblem } from '../duration.js';
import { UsageError } from '../errors.js';
import { DEFAULT_FLUSH_MS } from '../journal/read.js';
import { type FailOn, SEVERITIES, isFailOn } from '../severity.js';
import { optionFlag } from '../thresholds.js';
import { parseZonedTime } from '../time.js';

export interface WatchFlags {
  dump?: string;
  all?: boolean;
  interval: number;
  metricsFile?: string;
  listen: string;
  dumpTimeout: number;
}

export function parseListen(value: string): { host: string; port: number } | undefined {
  if (value === 'off' || value === 'none') return undefined;
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(value);
  const port = Number(m?.[3]);
  if (!m || port < 0 || port > 65535) throw new UsageError(`--listen: expected host:port (e.g. 127.0.0.1:9464) or "off", got "${value}"`);
  return { host: m[1] ?? m[2] ?? '127.0.0.1', port };
}

export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function checkZone(zone: string, flag = '--display-timezone'): string {
  refuseAbbreviation(zone, flag);
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    throw new UsageError(`${flag}: unknown time zone "${zone}" (use an IANA zone such as Asia/Dubai)`);
  }
}

/** The IANA zone a person most likely means by an abbreviation (or a legacy zone name without a place). */
const ABBREVIATIONS: Record<string, string> = {
  EST: 'America/New_York',
  EDT: 'America/New_York',
  EST5EDT: 'America/New_York',
  CST: 'America/Chicago',
  CDT: 'America/Chicago',
  CST6CDT: 'America/Chicago',
  MST: 'America/Denver',
  MDT: 'America/Denver',
  MST7MDT: 'America/Denver',
  PST: 'America/Los_Angeles',
  PDT: 'America/Los_Angeles',
  PST8PDT: 'America/Los_Angeles',
  AKST: 'America/Anchorage',
  AKDT: 'America/Anchorage',
  HST: 'Pacific/Honolulu',
  MSK: 'Europe/Moscow',
  MSD: 'Europe/Moscow',
  GST: 'Asia/Dubai',
  CET: 'Europe/Berlin',
  CEST: 'Europe/Berlin',
  MET: 'Europe/Berlin',
  MEST: 'Europe/Berlin',
  EET: 'Europe/Athens',
  EEST: 'Europe/Athens',
  WET: 'Europe/Lisbon',
  WEST: 'Europe/Lisbon',
  BST: 'Europe/London',
  GB: 'Europe/London',
  IST: 'Asia/Kolkata',
  JST: 'Asia/Tokyo',
  KST: 'Asia/Seoul',
  ROK: 'Asia/Seoul',
  HKT: 'Asia/Hong_Kong',
  SGT: 'Asia/Singapore',
  PRC: 'Asia/Shanghai',
  ROC: 'Asia/Taipei',
  AEST: 'Australia/Sydney',
  AEDT: 'Australia/Sydney',
  NZ: 'Pacific/Auckland',
  NZST: 'Pacific/Auckland',
  NZDT: 'Pacific/Auckland',
};
/** Names without a place that are one zone whatever the date: nothing to get wrong. */
const UNIVERSAL = new Set(['UTC', 'GMT', 'UCT', 'ZULU', 'UNIVERSAL', 'GREENWICH']);

/** Where the zone of the naive columns came from, as the error names it: the flag, the environment or the config. */
function zoneSource(cmd: Command, fromConfig: boolean): string {
  if (fromConfig) return "the config file's database.timezone";
  return cmd.getOptionValueSource('dbTimezone') === 'env' ? 'TS_AUDIT_DB_TIMEZONE' : '--db-timezone';
}

/**
 * Refuses a zone abbreviation (EST, MSK): PostgreSQL and Intl take some of them as fixed offsets or
 * legacy zones, so timestamps of another season, or of a place that changed its rules, would be read
 * hours off, and the lags would turn negative without a word. The error names the IANA zone meant.
 */
export function refuseAbbreviation(zone: string, flag: string): void {
  const upper = zone.toUpperCase();
  if (zone.includes('/') || UNIVERSAL.has(upper)) return;
  const known = ABBREVIATIONS[upper];
  // Another capitalised name is an abbreviation when it names a zone at all (else it is just unknown).
  if (!known && !(/^[A-Z]{2,5}(\d{1,2}[A-Z]{3,4})?$/.test(zone) && isZone(zone))) return;
  throw new UsageError(
    `${flag}: "${zone}" is an abbreviation, not an IANA time zone (read as a fixed offset, times of another season are hours off): ` +
      `use ${known ? `the IANA zone ${known}` : 'an IANA zone such as Europe/Moscow or America/New_York'}`,
  );
}

function isZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A duration a timer will hold (timeouts, intervals): at least 1ms, at most about 24.8 days. */
export function duration(flag: string) {
  return (value: string): number => {
    const problem = timerProblem(value);
    if (problem) throw new InvalidArgumentError(`${problem} (${flag})`);
    return parseDuration(value) as number;
  };
}

/** A whole number >= 0. */
export function count(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`expected a whole number >= 0 (${flag})`);
    return n;
  };
}

export function list(value: string, previous: string[] = []): string[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new InvalidArgumentError('expected one or more comma-separated names');
  return [...previous, ...items];
}

export function tolerance(value: string): Tolerance {
  const t = parseTolerance(value);
  if (!t) throw new InvalidArgumentError('expected an absolute amount (0.0001) or a percentage (0.5%)');
  return t;
}

export function zonedTime(value: string): Date {
  const d = parseZonedTime(value);
  if (!d) throw new InvalidArgumentError('expected an ISO-8601 time with a zone, e.g. 2025-10-26T16:30:34Z');
  return d;
}

/** A severity in any case (`HIGH`, `High`): the value a tired person types is the one meant. */
export function failOn(value: string): FailOn {
  const lower = value.trim().toLowerCase();
  if (!isFailOn(lower)) throw new InvalidArgumentError(`expected one of ${[...SEVERITIES, 'none'].join(', ')}`);
  return lower;
}

export const REPORT_FORMATS = ['table', 'json', 'ndjson', 'markdown', 'junit', 'prometheus', 'compact', 'github', 'sarif'];

/** A default duration as its option's help shows it: 30000 -> "30s". */
const msText = (ms: number) => formatSpan(ms / 1000);

/** Defaults of the options the commands share; the demo runs with exactly these. */
export const DEFAULTS = {
  schema: DEFAULT_SCHEMA,
  statementTimeout: DEFAULT_STATEMENT_TIMEOUT_MS,
  connectTimeout: DEFAULT_CONNECT_TIMEOUT_MS,
  lockTimeout: DEFAULT_LOCK_TIMEOUT_MS,
  exchange: [] as string[],
  symbol: [] as string[],
  format: 'table',
  failOn: 'high' as FailOn,
};

export interface CommonFlags {
  config?: string;
  baseline?: string;
  writeBaseline?: string;
  priceTolerance?: Tolerance;
  db?: string;
  /** Set when db is a config file's database.url: which kind of file named it. */
  dbFrom?: ConfigOrigin;
  schema: string;
  dbTimezone?: string;
  statementTimeout: number;
  connectTimeout: number;
  lockTimeout?: number;
  exchange: string[];
  symbol: string[];
  since?: Date;
  asOf?: Date;
  /** The checks' thresholds, by name (see THRESHOLDS): one option each. */
  [threshold: string]: unknown;
  format: string;
  output?: string;
  maxRows?: number;
  failOn: FailOn;
  /** --color / --no-color; undefined: colour on a terminal that can show it. */
  color?: boolean;
  width?: number;
  quiet?: boolean;
  verbose?: boolean;
  debug?: boolean;
}

// Options several commands share, defined once.
export const failOnOption = () =>
  new Option('--fail-on <severity>', `exit 1 when a finding is at or above this (${[...SEVERITIES, 'none'].join('|')})`)
    .argParser(failOn)
    .env('TS_AUDIT_FAIL_ON')
    .default(DEFAULTS.failOn);
export const asOfOption = () =>
  new Option('--as-of <time>', 'evaluate as things stood at this moment (ISO-8601 with a zone); see the README for what can be known').argParser(zonedTime);
export const fromEventsOption = () => new Option('--from-events', "the memory side from the bot's event journal (monitoring.events) instead of a dump");
export const flushIntervalOption = () =>
  new Option('--flush-interval <duration>', 'with --from-events: how long the bot may hold events before writing them')
    .argParser(duration('--flush-interval'))
    .default(DEFAULT_FLUSH_MS, msText(DEFAULT_FLUSH_MS));

/** The memory side: at most one of --dump, --dump-log and --from-events (exactly one when `required`). */
export function memorySource(given: { dump?: string; dumpLog?: string[]; fromEvents?: boolean }, required: boolean): void {
  const named = [given.dump && '--dump', given.dumpLog && '--dump-log', given.fromEvents && '--from-events'].filter(Boolean);
  if (named.length > 1) throw new UsageError(`${named.join(' and ')} exclude each other: give one memory side`);
  if (required && named.length === 0) throw new UsageError('no memory side: give --dump <source>, --dump-log <files...> or --from-events');
}

export const dumpTimeoutOption = () =>
  new Option('--dump-timeout <duration>', 'give up reading a dump URL after')
    .argParser(duration('--dump-timeout'))
    .default(DEFAULT_DUMP_TIMEOUT_MS, msText(DEFAULT_DUMP_TIMEOUT_MS));

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30 };
/** A size in bytes: 1048576, 500MB, 1GiB (at least 1 KiB). */
export function size(flag: string) {
  return (value: string): number => {
    const m = /^(\d+(?:\.\d+)?)\s*([kmg]i?b|b)?$/i.exec(value.trim());
    const bytes = m ? Math.round(Number(m[1]) * (SIZE_UNITS[(m[2] ?? '').toLowerCase()] ?? NaN)) : NaN;
    if (!Number.isSafeInteger(bytes) || bytes < 1024) throw new InvalidArgumentError(`expected a size of at least 1KiB such as 500MB or 1GiB (${flag})`);
    return bytes;
  };
}
export const dumpMaxBytesOption = () =>
  new Option('--dump-max-bytes <size>', 'refuse a dump URL that sends more than this (500MB, 1GiB)')
    .argParser(size('--dump-max-bytes'))
    .default(DEFAULT_DUMP_MAX_BYTES, sizeText(DEFAULT_DUMP_MAX_BYTES).replace(' ', ''));
export const priceToleranceOption = () =>
  new Option('--price-tolerance <amount>', 'prices closer than this are equal: an amount (0.0001) or a percentage (0.5%)')
    .argParser(tolerance)
    .default(tolerance('0'), '0, exact at the column scale');

export function addDatabaseOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--config <file>', `configuration file (default: ./ts-audit.config.json if present)`).env('TS_AUDIT_CONFIG'))
    .option('--db <url>', 'database URL (default: $DATABASE_URL, else a config file named by --config, else the PG* variables, else ./ts-audit.config.json)')
    .addOption(new Option('--schema <name>', "schema holding the bot's tables").env('TS_AUDIT_SCHEMA').default(DEFAULTS.schema))
    .addOption(new Option('--db-timezone <zone>', "zone the bot wrote naive timestamp columns in (default: the server's TimeZone)").env('TS_AUDIT_DB_TIMEZONE'))
    .addOption(
      new Option('--statement-timeout <duration>', 'cancel any query running longer')
        .argParser(duration('--statement-timeout'))
        .default(DEFAULTS.statementTimeout, msText(DEFAULTS.statementTimeout)),
    )
    .addOption(
      new Option('--connect-timeout <duration>', 'give up connecting after')
        .argParser(duration('--connect-timeout'))
        .default(DEFAULTS.connectTimeout, msText(DEFAULTS.connectTimeout)),
    )
    .addOption(
      new Option('--lock-timeout <duration>', "give up waiting for a lock on the bot's tables after this, and say who holds it")
        .argParser(duration('--lock-timeout'))
        .env('TS_AUDIT_LOCK_TIMEOUT')
        .default(DEFAULTS.lockTimeout, msText(DEFAULTS.lockTimeout)),
    );
}

export function addOutputOptions(cmd: Command): Command {
  cmd
    .addOption(new Option('--format <format>', 'output format').choices(REPORT_FORMATS).default('table'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--max-rows <n>', 'table: show at most this many findings, the worst first (0: all)').argParser(count('--max-rows')).default(200))
    .addOption(failOnOption())
    .option('--baseline <file>', 'suppress the findings recorded in this baseline (they are counted in the summary)')
    .option('--write-baseline <file>', "record this run's findings as a baseline")
    .option('-q, --quiet', 'table: only the summary lines (counts, restart, what was not checked)')
    .addOption(widthOption());
  addColorOptions(cmd);
  return addLogOptions(cmd);
}

/** --verbose and --debug, which every command that connects has. */
export function addLogOptions(cmd: Command, debug = 'like --verbose, and show stack traces of errors'): Command {
  return cmd.option('-v, --verbose', 'log each query and its duration to stderr').option('--debug', debug);
}

/** A table's width in columns: a whole number, at least 40. */
export function columns(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 40 || n > 10_000) throw new InvalidArgumentError('expected a number of columns from 40 to 10000 (--width)');
  return n;
}

export const widthOption = () =>
  new Option('--width <columns>', "table: fit this many columns (default: the terminal's width, else $COLUMNS, else 80)").argParser(columns);

/** --color forces colour (into a pipe or a file too), --no-color turns it off; neither: a terminal decides. */
export function addColorOptions(cmd: Command): Command {
  return cmd.option('--color', 'colours even when not writing to a terminal').option('--no-color', 'no colours (also: NO_COLOR=1, TERM=dumb)');
}

export function addFilterOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--exchange <names>', 'only these exchanges (repeatable or comma-separated); also names the exchange of a single get_status() dump')
        .argParser(list)
        .default([], 'all'),
    )
    .addOption(new Option('--symbol <names>', 'only these symbols (repeatable or comma-separated)').argParser(list).default([], 'all'))
    .option('--since <time>', 'only positions opened at or after this time (ISO-8601 with a zone)', zonedTime);
}

/**
 * One option per threshold of the checks a command runs (every check's by default), as the registry
 * declares them. `heading`: the help groups them under it, for a command where they apply only with
 * another flag (diff's need --all).
 */
export function addThresholdOptions(cmd: Command, checks?: readonly Check[], heading?: string): Command {
  const wanted = checks ? new Set(checks.flatMap((c) => (c.thresholds ?? []).map((t) => t.name))) : undefined;
  for (const t of THRESHOLDS) {
    if (wanted && !wanted.has(t.name)) continue;
    const flag = optionFlag(t.name);
    const parse = (value: string) => {
      const parsed = t.parse(value);
      if (parsed === null) throw new InvalidArgumentError(`expected ${t.expected} (${flag})`);
      return parsed;
    };
    const option = new Option(`${flag} ${t.placeholder}`, t.help).argParser(parse).default(t.parse(t.default), t.default);
    cmd.addOption(heading ? option.helpGroup(heading) : option);
  }
  return cmd;
}

/** Values from the config file for options still at their default: flags > environment > file > defaults. */
export const FROM_CONFIG: (keyof Config & keyof CommonFlags)[] = ['schema', 'dbTimezone', 'statementTimeout', 'connectTimeout', 'lockTimeout', 'failOn'];

export async function withConfig<F extends CommonFlags>(cmd: Command, flags: F): Promise<{ flags: F; config: Config | null }> {
  const { loadConfig } = await import('../config.js');
  const config = loadConfig(flags.config);
  const merged = config ? mergeConfig(cmd, flags, config) : flags;
  // The zone naive columns are read in: checked here whether it came from the flag, the environment or
  // the file; the server then checks the name itself (an unknown name is its error).
  if (merged.dbTimezone) refuseAbbreviation(merged.dbTimezone, zoneSource(cmd, flags.dbTimezone !== merged.dbTimezone));
  await refuseUnwritable(merged);
  return { flags: merged, config };
}

/**
 * Files the run will write are checked before any database work: a bad path must not cost the run.
 * (watch's --metrics-file is not: a watch reports a file it cannot write after each run and goes on.)
 */
async function refuseUnwritable(flags: CommonFlags & { metricsFile?: string }): Promise<void> {
  const { whyUnwritable } = await import('../files.js');
  const targets: [string, string | undefined][] = [
    ['-o/--output', flags.output],
    ['--write-baseline', flags.writeBaseline],
  ];
  for (const [option, path] of targets) {
    if (!path) continue;
    const why = await whyUnwritable(path);
    if (why) throw new UsageError(`${option} ${path} cannot be written: ${why}`);
  }
}

function mergeConfig<F extends CommonFlags>(cmd: Command, flags: F, config: Config): F {
  const merged: Record<string, unknown> = { ...(flags as object) };
  const fromDefault = (key: string) => ['default', undefined].includes(cmd.getOptionValueSource(key));
  for (const key of FROM_CONFIG) if (config[key] !== undefined && fromDefault(key)) merged[key] = config[key];
  for (const t of THRESHOLDS) if (config.thresholds[t.name] !== undefined && fromDefault(t.name)) merged[t.name] = config.thresholds[t.name];
  if (config.priceTolerance !== undefined && fromDefault('priceTolerance')) merged.priceTolerance = tolerance(config.priceTolerance);
  // The file's database.url where the one precedence picks it (db/target.ts).
  const choice = chooseTarget({ db: flags.db, config: { url: config.db, discovered: config.discovered } }, process.env);
  if (choice?.origin === 'the config file' || choice?.origin === 'the config file found in the working directory') {
    merged.db = choice.url;
    merged.dbFrom = choice.origin;
  }
  return merged as F;
}

export function auditOptions(flags: CommonFlags, config: Config | null = null): AuditOptions {
  return {
    db: flags.db,
    dbOrigin: flags.dbFrom,
    schema: flags.schema,
    tables: { ...DEFAULT_TABLE_NAMES, ...config?.tables },
    openStatuses: config?.openStatuses ?? DEFAULT_OPEN_STATUSES,
    endedStatuses: config?.endedStatuses ?? DEFAULT_ENDED_STATUSES,
    dbTimezone: flags.dbTimezone,
    statementTimeoutMs: flags.statementTimeout,
    lockTimeoutMs: flags.lockTimeout,
    connectTimeoutMs: flags.connectTimeout,
    exchanges: flags.exchange,
    symbols: flags.symbol,
    since: flags.since,
    asOf: flags.asOf,
    thresholds: Object.fromEntries(THRESHOLDS.map((t) => [t.name, flags[t.name] ?? t.parse(t.default)])),
    disabled: config?.disabled ?? [],
    severity: config?.severity ?? {},
    suppress: suppression(flags, config),
    ...(flags.format === 'json' ? { prepare: 'json' as const } : {}),
  };
}

/** The baseline file and the config's allowlist: applied before any reporter, by every command. */
export function suppression(flags: CommonFlags, config: Config | null): AuditOptions['suppress'] {
  const baseline = flags.baseline ? readBaseline(flags.baseline) : undefined;
  const allowlist = config?.allowlist.length ? config.allowlist : undefined;
  return baseline || allowlist ? { ...(baseline ? { baseline } : {}), ...(allowlist ? { allowlist } : {}) } : undefined;
}

export interface MemoryFlags {
  dump?: string;
  dumpLog?: string[];
  fromEvents?: boolean;
  flushInterval?: number;
}

/** The diff part of `report` and `watch`: a dump or the journal, when either is given. */
export function diffMemory(flags: CommonFlags & MemoryFlags & { dumpTimeout?: number; dumpMaxBytes?: number }) {
  if (!flags.dump && !flags.fromEvents) return undefined;
  return {
    dump: flags.dump,
    fromEvents: flags.fromEvents,
    flushMs: flags.flushInterval,
    dumpTimeoutMs: flags.dumpTimeout ?? DEFAULT_DUMP_TIMEOUT_MS,
    dumpMaxBytes: flags.dumpMaxBytes,
    priceTolerance: flags.priceTolerance ?? tolerance('0'),
  };
}
