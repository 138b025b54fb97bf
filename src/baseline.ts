// Baselines and allowlists: known findings that should not fail CI. A baseline records today's
// findings (check, exchange, symbol, reason); an allowlist entry in the config names one with a
// reason and an optional expiry. Suppressed findings are counted in the summary, never hidden
// silently, and an expired allowlist entry stops suppressing and is itself reported.
import { readFileSync } from 'node:fs';
import type { Finding } from './checks/types.js';
import type { AllowEntry } from './config.js';
import { UsageError } from './errors.js';
import { countFindings, sortFindings } from './report/build.js';
import type { Report } from './report/types.js';

export const BASELINE_FORMAT = 'ts-audit/baseline@1';

export interface BaselineEntry {
  check: string;
  exchange: string;
  symbol: string;
  reason?: string;
}

const reasonOf = (f: Finding) => (typeof f.evidence.reason === 'string' && ['invalid-stop-row', 'flag-mismatch'].includes(f.check) ? f.evidence.reason : undefined);
const keyOf = (e: BaselineEntry) => [e.check, e.exchange, e.symbol, e.reason ?? ''].join('\u0000');

export function baselineText(findings: Finding[], now: Date): string {
  const entries = findings.map((f): BaselineEntry => ({ check: f.check, exchange: f.exchange, symbol: f.symbol, ...(reasonOf(f) ? { reason: reasonOf(f) } : {}) }));
  const unique = [...new Map(entries.map((e) => [keyOf(e), e])).values()];
  return `${JSON.stringify({ format: BASELINE_FORMAT, createdAt: now.toISOString(), findings: unique }, null, 2)}\n`;
}

export function readBaseline(path: string): BaselineEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`cannot read baseline ${path}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  }
  const d = doc as { format?: unknown; findings?: unknown };
  if (d?.format !== BASELINE_FORMAT || !Array.isArray(d.findings)) {
    throw new UsageError(`${path}: not a ts-audit baseline (expected {"format": "${BASELINE_FORMAT}", "findings": [...]}; write one with --write-baseline)`);
  }
  return d.findings as BaselineEntry[];
}

export interface Suppression {
  baseline?: BaselineEntry[];
  allowlist?: AllowEntry[];
  now: Date;
}

/** The report without the suppressed findings, with counts recomputed and expired entries reported. */
export function applySuppression(report: Report, s: Suppression): Report {
  const baseline = new Set((s.baseline ?? []).map(keyOf));
  const active = (s.allowlist ?? []).filter((e) => !e.expires || e.expires.getTime() > s.now.getTime());
  const expired = (s.allowlist ?? []).filter((e) => e.expires && e.expires.getTime() <= s.now.getTime());
  const allowed = (f: Finding) => active.some((e) => e.check === f.check && e.symbol === f.symbol && (!e.exchange || e.exchange === f.exchange));
  let byBaseline = 0;
  let byAllowlist = 0;
  const kept = report.findings.filter((f) => {
    if (baseline.has(keyOf({ check: f.check, exchange: f.exchange, symbol: f.symbol, reason: reasonOf(f) }))) {
      byBaseline += 1;
      return false;
    }
    if (allowed(f)) {
      byAllowlist += 1;
      return false;
    }
    return true;
  });
  const expiredFindings: Finding[] = expired.map((e) => ({
    check: 'allowlist-expired',
    severity: 'low',
    exchange: e.exchange ?? '*',
    symbol: e.symbol,
    positionId: null,
    message: `allowlist entry for ${e.check} expired on ${e.expires?.toISOString().slice(0, 10)} and no longer suppresses it (reason was: ${e.reason})`,
    evidence: { check: e.check, reason: e.reason, expires: e.expires },
  }));
  if (!s.baseline && !s.allowlist?.length) return report;
  const findings = sortFindings([...kept, ...expiredFindings]);
  const counts = countFindings(findings, Object.keys(report.summary.byCheck));
  return { ...report, findings, summary: { ...report.summary, ...counts, suppressed: { baseline: byBaseline, allowlist: byAllowlist } } };
}
