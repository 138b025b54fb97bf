import { CHECKS } from '../../src/checks/index.js';
import { type AuditOptions, defaultThresholds } from '../../src/run/options.js';
import type { DiffOptions } from '../../src/commands/diff.js';
import { parseTolerance } from '../../src/decimal.js';
import { DEFAULT_ENDED_STATUSES, DEFAULT_OPEN_STATUSES, DEFAULT_TABLE_NAMES } from '../../src/db/tables.js';

export function diffOptions(url: string, dump: string, extra: Partial<DiffOptions> = {}): DiffOptions {
  return {
    db: url,
    schema: 'monitoring',
    tables: DEFAULT_TABLE_NAMES,
    openStatuses: DEFAULT_OPEN_STATUSES,
    endedStatuses: DEFAULT_ENDED_STATUSES,
    statementTimeoutMs: 30_000,
    connectTimeoutMs: 10_000,
    dump,
    dumpTimeoutMs: 10_000,
    exchanges: [],
    symbols: [],
    priceTolerance: parseTolerance('0')!,
    thresholds: defaultThresholds(),
    disabled: [],
    severity: {},
    ...extra,
  };
}

export const fixedNow = { env: {}, now: () => new Date('2025-10-26T16:40:00Z') };

export function auditOptions(url: string, extra: Partial<AuditOptions> = {}): AuditOptions {
  const { dump: _dump, dumpTimeoutMs: _t, priceTolerance: _p, ...base } = diffOptions(url, '');
  return { ...base, ...extra };
}

/** Options that run only these checks (every other one disabled); an id that is no check throws. */
export function onlyChecks(...ids: string[]): Pick<AuditOptions, 'disabled'> {
  const unknown = ids.filter((id) => !CHECKS.some((c) => c.id === id));
  if (unknown.length) throw new Error(`no such check: ${unknown.join(', ')}`);
  return { disabled: CHECKS.map((c) => c.id).filter((id) => !ids.includes(id)) };
}
