// The registry: every module in this folder but this one, types.ts and generated-index.ts is a check,
// src/checks/<id>.ts, whose default export is the check (its id must be the file's name). Adding a
// check is adding its module (and, for a database check, its query file): the build writes the static
// index of the modules (generated-index.ts, by scripts/check-index.mjs), and explain, help, the
// threshold options, the config keys and schema, the README table and the report schema's ids all
// come from here.
import { CHECK_MODULES } from './generated-index.js';
import type { AnyDbCheck, Check, CheckKind, ConfigCheck, DiffCheck, Finding, FindingFact, LogCheck, Threshold } from './types.js';

const KIND_ORDER: CheckKind[] = ['diff', 'database', 'logs', 'config'];

function registry(): Check[] {
  const checks = CHECK_MODULES.map(([name, check]) => {
    if (!check || check.id !== name) throw new Error(`src/checks/${name}.ts: its default export must be the check "${name}"`);
    return check;
  });
  // Ids are lower-case ASCII words and hyphens, which code-unit order sorts as the locale does, without
  // loading ICU's collation on every start (a test holds the two orders equal).
  return checks.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Every check ts-audit knows, diff checks first, then database, log and configuration checks. */
export const CHECKS: readonly Check[] = registry();

export const DIFF_CHECKS = CHECKS.filter((c): c is DiffCheck => c.kind === 'diff');
export const DB_CHECKS = CHECKS.filter((c): c is AnyDbCheck => c.kind === 'database');
export const LOG_CHECKS = CHECKS.filter((c): c is LogCheck => c.kind === 'logs');
export const CONFIG_CHECKS = CHECKS.filter((c): c is ConfigCheck => c.kind === 'config');

/** Every check's thresholds, once each (checks reading the same setting share it). */
export const THRESHOLDS: readonly Threshold[] = [...new Map(CHECKS.flatMap((c) => c.thresholds ?? []).map((t) => [t.name, t])).values()];

const BY_ID = new Map(CHECKS.map((c) => [c.id, c]));

export function findCheck(id: string): Check | undefined {
  return BY_ID.get(id);
}

/**
 * What a finding shows under its message, as its check words it from its evidence (plain text, to
 * escape where it is shown): reporters ask here and never read the evidence themselves.
 */
export function detailsOf(f: Finding): string[] {
  return findCheck(f.check)?.details?.(f.evidence) ?? [];
}

/** Whether a finding's check says this fact of it, from its evidence. */
export function hasFact(f: Finding, fact: FindingFact): boolean {
  return findCheck(f.check)?.facts?.(f.evidence).includes(fact) ?? false;
}

/** The database checks an investigation command runs (`check` runs them all). */
export function checksOfCommand(command: string): AnyDbCheck[] {
  return command === 'check' ? [...DB_CHECKS] : DB_CHECKS.filter((c) => (c.commands as readonly string[]).includes(command));
}

/** What tells two findings apart: the same identity is the same finding (baselines, allowlists, watch). */
export interface FindingIdentity {
  check: string;
  exchange: string;
  symbol: string;
  reason?: string;
}

export function identityOf(f: Finding): FindingIdentity {
  const reason = identityReason(f);
  return { check: f.check, exchange: f.exchange, symbol: f.symbol, ...(reason ? { reason } : {}) };
}

/** The reason that is part of a finding's identity (its check's identityByReason), if any. */
export function identityReason(f: Finding): string | undefined {
  return findCheck(f.check)?.identityByReason && typeof f.evidence.reason === 'string' ? f.evidence.reason : undefined;
}

export function identityKey(f: Finding | FindingIdentity): string {
  const id = 'evidence' in f ? identityOf(f) : f;
  return [id.check, id.exchange, id.symbol, id.reason ?? ''].join('\u0000');
}
