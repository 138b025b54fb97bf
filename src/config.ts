// ts-audit.config.json: read once, validated once, every problem reported together (exit 2).
// Precedence is flags > environment > this file > defaults; the CLI applies a file value only where
// the option still holds its default.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { findCheck } from './checks/index.js';
import { parseTolerance } from './decimal.js';
import { LOGICAL_TABLES, type TableNames } from './db/tables.js';
import { parseDuration } from './duration.js';
import { UsageError } from './errors.js';
import { type FailOn, type Severity, SEVERITIES, isFailOn } from './severity.js';

export const CONFIG_FILE = 'ts-audit.config.json';

export interface AllowEntry {
  check: string;
  exchange?: string;
  symbol: string;
  reason: string;
  expires?: Date;
}

/** The file's settings, already parsed into the types the options use. */
export interface Config {
  path: string;
  db?: string;
  schema?: string;
  tables?: Partial<TableNames>;
  dbTimezone?: string;
  statementTimeout?: number;
  connectTimeout?: number;
  openStatuses?: string[];
  endedStatuses?: string[];
  lateAfter?: number;
  staleAfter?: number;
  recreatedAfter?: number;
  entryTolerance?: string;
  entryTolerancePct?: string;
  priceTolerance?: string;
  severity: Record<string, Severity>;
  disabled: string[];
  failOn?: FailOn;
  allowlist: AllowEntry[];
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The file named by --config or TS_AUDIT_CONFIG, else ts-audit.config.json in the working directory if present. */
export function loadConfig(explicit: string | undefined, cwd = process.cwd()): Config | null {
  const path = explicit ? resolve(cwd, explicit) : resolve(cwd, CONFIG_FILE);
  if (!explicit && !existsSync(path)) return null;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read config ${explicit}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${path}: not valid JSON: ${(err as Error).message}`);
  }
  return parseConfig(raw, path);
}

export function parseConfig(raw: unknown, path: string): Config {
  const problems: string[] = [];
  const config: Config = { path, severity: {}, disabled: [], allowlist: [] };
  if (!isObj(raw)) throw new UsageError(`${path}: expected a JSON object`);

  const known = (obj: Json, where: string, keys: string[]) => {
    for (const k of Object.keys(obj)) if (!keys.includes(k)) problems.push(`${where}${k}: unknown setting (expected one of ${keys.join(', ')})`);
  };
  const str = (v: unknown, where: string): string | undefined => {
    if (v === undefined) return undefined;
    if (typeof v === 'string' && v.trim() !== '') return v;
    problems.push(`${where}: expected a non-empty string`);
    return undefined;
  };
  const strings = (v: unknown, where: string): string[] | undefined => {
    if (v === undefined) return undefined;
    if (Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && s !== '')) return v as string[];
    problems.push(`${where}: expected a non-empty array of strings`);
    return undefined;
  };
  const duration = (v: unknown, where: string, unit: 1 | 1000): number | undefined => {
    const s = str(v, where);
    if (s === undefined) return undefined;
    const ms = parseDuration(s);
    if (ms === null) problems.push(`${where}: expected a duration such as 30s, 5m, 6h or 1d, got ${JSON.stringify(v)}`);
    return ms === null ? undefined : ms / unit;
  };
  const amount = (v: unknown, where: string, percent: boolean): string | undefined => {
    if (v === undefined) return undefined;
    const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v : '';
    const t = parseTolerance(percent && !text.trim().endsWith('%') ? `${text}%` : text);
    if (!t || (!percent && t.kind === 'percent')) {
      problems.push(`${where}: expected ${percent ? 'a percentage such as "0.01%"' : 'an amount such as "0.00000001"'}, got ${JSON.stringify(v)}`);
      return undefined;
    }
    return (t.kind === 'percent' ? t.percent : t.amount).toString();
  };
  const checkId = (id: unknown, where: string): id is string => {
    if (typeof id === 'string' && findCheck(id)) return true;
    problems.push(`${where}: unknown check ${JSON.stringify(id)}`);
    return false;
  };

  known(raw, '', ['$schema', 'database', 'statuses', 'thresholds', 'severity', 'disabled', 'failOn', 'allowlist']);
  if (raw.database !== undefined) {
    if (!isObj(raw.database)) problems.push('database: expected an object');
    else {
      const d = raw.database;
      known(d, 'database.', ['url', 'schema', 'tables', 'timezone', 'statementTimeout', 'connectTimeout']);
      config.db = str(d.url, 'database.url');
      config.schema = str(d.schema, 'database.schema');
      config.dbTimezone = str(d.timezone, 'database.timezone');
      config.statementTimeout = duration(d.statementTimeout, 'database.statementTimeout', 1);
      config.connectTimeout = duration(d.connectTimeout, 'database.connectTimeout', 1);
      if (d.tables !== undefined) {
        if (!isObj(d.tables)) problems.push('database.tables: expected an object');
        else {
          known(d.tables, 'database.tables.', [...LOGICAL_TABLES]);
          config.tables = {};
          for (const t of LOGICAL_TABLES) {
            const name = str(d.tables[t], `database.tables.${t}`);
            if (name) config.tables[t] = name;
          }
        }
      }
    }
  }
  if (raw.statuses !== undefined) {
    if (!isObj(raw.statuses)) problems.push('statuses: expected an object');
    else {
      known(raw.statuses, 'statuses.', ['open', 'ended']);
      config.openStatuses = strings(raw.statuses.open, 'statuses.open');
      config.endedStatuses = strings(raw.statuses.ended, 'statuses.ended');
    }
  }
  if (raw.thresholds !== undefined) {
    if (!isObj(raw.thresholds)) problems.push('thresholds: expected an object');
    else {
      const t = raw.thresholds;
      known(t, 'thresholds.', ['lateAfter', 'staleAfter', 'recreatedAfter', 'entryTolerance', 'entryTolerancePct', 'priceTolerance']);
      config.lateAfter = duration(t.lateAfter, 'thresholds.lateAfter', 1000);
      config.staleAfter = duration(t.staleAfter, 'thresholds.staleAfter', 1000);
      config.recreatedAfter = duration(t.recreatedAfter, 'thresholds.recreatedAfter', 1000);
      config.entryTolerance = amount(t.entryTolerance, 'thresholds.entryTolerance', false);
      config.entryTolerancePct = amount(t.entryTolerancePct, 'thresholds.entryTolerancePct', true);
      if (t.priceTolerance !== undefined) {
        const text = typeof t.priceTolerance === 'number' ? String(t.priceTolerance) : String(t.priceTolerance);
        if (parseTolerance(text)) config.priceTolerance = text;
        else problems.push(`thresholds.priceTolerance: expected an amount or a percentage, got ${JSON.stringify(t.priceTolerance)}`);
      }
    }
  }
  if (raw.severity !== undefined) {
    if (!isObj(raw.severity)) problems.push('severity: expected an object of check -> severity');
    else {
      for (const [id, sev] of Object.entries(raw.severity)) {
        if (!checkId(id, `severity.${id}`)) continue;
        if (typeof sev === 'string' && (SEVERITIES as readonly string[]).includes(sev)) config.severity[id] = sev as Severity;
        else problems.push(`severity.${id}: expected one of ${SEVERITIES.join(', ')}`);
      }
    }
  }
  if (raw.disabled !== undefined) {
    if (!Array.isArray(raw.disabled)) problems.push('disabled: expected an array of check ids');
    else raw.disabled.forEach((id, i) => checkId(id, `disabled[${i}]`) && config.disabled.push(id));
  }
  if (raw.failOn !== undefined) {
    if (typeof raw.failOn === 'string' && isFailOn(raw.failOn)) config.failOn = raw.failOn;
    else problems.push(`failOn: expected one of ${[...SEVERITIES, 'none'].join(', ')}`);
  }
  if (raw.allowlist !== undefined) {
    if (!Array.isArray(raw.allowlist)) problems.push('allowlist: expected an array');
    else {
      raw.allowlist.forEach((e, i) => {
        const where = `allowlist[${i}]`;
        if (!isObj(e)) return problems.push(`${where}: expected an object`);
        known(e, `${where}.`, ['check', 'exchange', 'symbol', 'reason', 'expires']);
        const ok = checkId(e.check, `${where}.check`);
        const symbol = str(e.symbol ?? '', `${where}.symbol`);
        const reason = str(e.reason ?? '', `${where}.reason`);
        const exchange = str(e.exchange, `${where}.exchange`);
        let expires: Date | undefined;
        if (e.expires !== undefined) {
          const d = typeof e.expires === 'string' && /^\d{4}-\d{2}-\d{2}/.test(e.expires) ? new Date(e.expires) : null;
          if (!d || Number.isNaN(d.getTime())) problems.push(`${where}.expires: expected a date such as 2026-12-31`);
          else expires = d;
        }
        if (ok && symbol && reason) config.allowlist.push({ check: e.check as string, symbol, reason, ...(exchange ? { exchange } : {}), ...(expires ? { expires } : {}) });
        return undefined;
      });
    }
  }
  if (problems.length > 0) throw new UsageError(`${path}: ${problems.length} problem${problems.length > 1 ? 's' : ''}: ${problems.join('; ')}`);
  return config;
}
