// ts-audit.config.json: read once, validated once against its JSON Schema (derived from the registry,
// see config-schema.ts), every problem reported together (exit 2); a syntax error by line and column.
// Precedence is flags > environment > this file > defaults; the CLI applies a file value only where
// the option still holds its default.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readProblem, readRegularFile } from './files.js';
import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject } from 'ajv/dist/2020.js';
import { CHECKS, THRESHOLDS } from './checks/index.js';
import type { AllowEntry } from './checks/types.js';

export type { AllowEntry } from './checks/types.js';
import { configSchema } from './config-schema.js';
import { parseTolerance } from './decimal.js';
import type { TableNames } from './db/tables.js';
import { parseDuration, timerProblem } from './duration.js';
import { JsonNumber, JsonSyntaxError, type JsonValue, parseJson } from './json.js';
import { UsageError } from './errors.js';
import type { FailOn, Severity } from './severity.js';
import { didYouMean } from './suggest.js';

export const CONFIG_FILE = 'ts-audit.config.json';

/** The file's settings, already parsed into the types the options use. */
export interface Config {
  path: string;
  /** Found in the working directory, not named by --config or TS_AUDIT_CONFIG: it may come with the
   * checkout (a pull request in CI), so the database it names is trusted less (db/target.ts). */
  discovered?: boolean;
  db?: string;
  schema?: string;
  tables?: Partial<TableNames>;
  dbTimezone?: string;
  statementTimeout?: number;
  connectTimeout?: number;
  lockTimeout?: number;
  openStatuses?: string[];
  endedStatuses?: string[];
  /** Each check threshold the file sets, by name, parsed. */
  thresholds: Record<string, unknown>;
  priceTolerance?: string;
  severity: Record<string, Severity>;
  disabled: string[];
  failOn?: FailOn;
  allowlist: AllowEntry[];
}

type Json = Record<string, unknown>;

/** The file named by --config or TS_AUDIT_CONFIG, else ts-audit.config.json in the working directory if present. */
/** The config file a run reads: the one named, else ./ts-audit.config.json. */
export function configPath(explicit: string | undefined, cwd = process.cwd()): string {
  return explicit ? resolve(cwd, explicit) : resolve(cwd, CONFIG_FILE);
}

export function loadConfig(explicit: string | undefined, cwd = process.cwd()): Config | null {
  const path = explicit ? resolve(cwd, explicit) : resolve(cwd, CONFIG_FILE);
  if (!explicit && !existsSync(path)) return null;
  let text: string;
  try {
    text = readRegularFile(path);
  } catch (err) {
    throw new UsageError(`cannot read config ${explicit ?? path}: ${readProblem(err)}`);
  }
  let raw: unknown;
  try {
    raw = plain(parseJson(text));
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw new UsageError(`${path}:${err.line}:${err.column}: not valid JSON: ${err.reason}`);
    throw err;
  }
  const config = parseConfig(raw, path);
  if (!explicit) config.discovered = true;
  return config;
}

/** Our JSON parser keeps number text; the config wants plain numbers. */
function plain(v: JsonValue): unknown {
  if (v instanceof JsonNumber) return Number(v.raw);
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

let validator: ReturnType<Ajv2020['compile']> | undefined;

// Ajv is required on first use: loading it is a noticeable part of a start-up, which every run
// without a config file (most of them, and every --help) would otherwise pay.
const loadAjv = (): typeof Ajv2020 => (createRequire(import.meta.url)('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 }).Ajv2020;

/** Every problem of the file in one error: schema violations first, then values the schema cannot judge. */
export function parseConfig(raw: unknown, path: string): Config {
  validator ??= new (loadAjv())({ allErrors: true, strict: true, verbose: true }).compile(configSchema());
  const problems = validator(raw) ? [] : describe(validator.errors ?? []);
  if (problems.length === 0 && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) problems.push('expected a JSON object');
  const r = (problems.length === 0 ? raw : typeof raw === 'object' && raw !== null ? raw : {}) as Json;
  const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
  const database = obj(r.database);
  const statuses = obj(r.statuses);
  const thresholdValues = obj(r.thresholds);

  const duration = (v: unknown, where: string): number | undefined => {
    if (typeof v !== 'string') return undefined;
    const problem = timerProblem(v);
    if (problem) problems.push(`${where}: ${problem}, got ${JSON.stringify(v)}`);
    return problem ? undefined : (parseDuration(v) ?? undefined);
  };
  const config: Config = {
    path,
    db: database.url as string | undefined,
    schema: database.schema as string | undefined,
    tables: database.tables as Partial<TableNames> | undefined,
    dbTimezone: database.timezone as string | undefined,
    statementTimeout: duration(database.statementTimeout, 'database.statementTimeout'),
    connectTimeout: duration(database.connectTimeout, 'database.connectTimeout'),
    lockTimeout: duration(database.lockTimeout, 'database.lockTimeout'),
    openStatuses: statuses.open as string[] | undefined,
    endedStatuses: statuses.ended as string[] | undefined,
    thresholds: {},
    severity: (obj(r.severity) as Record<string, Severity>) ?? {},
    disabled: Array.isArray(r.disabled) ? (r.disabled as string[]) : [],
    failOn: r.failOn as FailOn | undefined,
    allowlist: [],
  };
  for (const t of THRESHOLDS) {
    const v = thresholdValues[t.name];
    if (v === undefined || (typeof v !== 'string' && typeof v !== 'number')) continue;
    const parsed = t.parse(String(v));
    if (parsed === null) problems.push(`thresholds.${t.name}: expected ${t.expected}, got ${JSON.stringify(v)}`);
    else config.thresholds[t.name] = parsed;
  }
  const price = thresholdValues.priceTolerance;
  if (price !== undefined) {
    if (parseTolerance(String(price))) config.priceTolerance = String(price);
    else problems.push(`thresholds.priceTolerance: expected an amount or a percentage, got ${JSON.stringify(price)}`);
  }
  if (Array.isArray(r.allowlist)) {
    r.allowlist.forEach((e: Json, i) => {
      const expires = typeof e.expires === 'string' ? new Date(e.expires) : undefined;
      if (expires && Number.isNaN(expires.getTime())) problems.push(`allowlist[${i}].expires: expected a date such as 2026-12-31`);
      config.allowlist.push({
        check: e.check as string,
        symbol: e.symbol as string,
        reason: e.reason as string,
        ...(typeof e.exchange === 'string' ? { exchange: e.exchange } : {}),
        ...(expires && !Number.isNaN(expires.getTime()) ? { expires } : {}),
      });
    });
  }
  if (problems.length > 0) throw new UsageError(`${path}: ${problems.length} problem${problems.length > 1 ? 's' : ''}: ${problems.join('; ')}`);
  return config;
}

/** Ajv's errors as the one-line problems ts-audit prints: `where: what was expected`. */
function describe(errors: ErrorObject[]): string[] {
  const ids = CHECKS.map((c) => c.id);
  const where = (e: ErrorObject, extra?: string) =>
    `${e.instancePath
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((a, p) => (/^\d+$/.test(p) ? `${a}[${p}]` : a ? `${a}.${p}` : p), '')}${extra ? (e.instancePath ? `.${extra}` : extra) : ''}`;
  const out: string[] = [];
  for (const e of errors) {
    const at = where(e, e.propertyName);
    switch (e.keyword) {
      case 'additionalProperties': {
        const key = String(e.params.additionalProperty);
        const known = Object.keys(((e.parentSchema as Json)?.properties as Json) ?? {});
        out.push(`${where(e, key)}: unknown setting${didYouMean(key, known)}`);
        break;
      }
      case 'required':
        out.push(`${where(e, String(e.params.missingProperty))}: required`);
        break;
      case 'enum': {
        const allowed = (e.params.allowedValues as unknown[]).map(String);
        const value = e.propertyName ?? (e.data as string);
        if (allowed.length === ids.length && allowed.every((a, i) => a === ids[i]))
          out.push(`${at}: unknown check ${JSON.stringify(value)}${didYouMean(String(value), ids)}`);
        else out.push(`${at}: expected one of ${allowed.join(', ')}`);
        break;
      }
      case 'propertyNames':
        break; // its enum error names the key
      case 'minLength':
        out.push(`${at}: expected a non-empty string`);
        break;
      case 'minItems':
        out.push(`${at}: expected a non-empty array`);
        break;
      case 'oneOf':
      case 'anyOf':
        break; // its branches' errors say what was expected
      default:
        out.push(`${at}: ${e.message ?? e.keyword}`);
    }
  }
  return [...new Set(out)];
}
