// Baselines and allowlists: known findings that should not fail CI. A baseline records today's
// findings (check, exchange, symbol, reason); an allowlist entry in the config names one with a
// reason and an optional expiry. Suppressed findings are counted in the summary, never hidden
// silently, and an expired allowlist entry stops suppressing and is itself reported.
import { CONFIG_CHECKS, type FindingIdentity, identityKey, identityOf } from './checks/index.js';
import type { Finding } from './checks/types.js';
import type { AllowEntry } from './config.js';
import { UsageError } from './errors.js';
import { countFindings } from './report/build.js';
import { readProblem, readRegularFile } from './files.js';
import { FindingStore, type Findings } from './report/findings.js';
import type { Report } from './report/types.js';

export const BASELINE_FORMAT = 'ts-audit/baseline@1';

/** A baseline records each finding's identity (check, exchange, symbol and, where it tells findings apart, reason). */
export type BaselineEntry = FindingIdentity;

export function baselineText(findings: Iterable<Finding>, now: Date): string {
  const unique = new Map<string, FindingIdentity>();
  for (const f of findings) unique.set(identityKey(f), identityOf(f));
  return `${JSON.stringify({ format: BASELINE_FORMAT, createdAt: now.toISOString(), findings: [...unique.values()] }, null, 2)}\n`;
}

export function readBaseline(path: string): BaselineEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(readRegularFile(path));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`cannot read baseline ${path}: ${e.code ? readProblem(e) : `not valid JSON (${e.message})`}`);
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

/** The findings neither the baseline nor an active allowlist entry covers, and how many each left out. */
export function filterSuppressed(findings: Iterable<Finding>, s: Suppression): { kept: FindingStore; byBaseline: number; byAllowlist: number } {
  const baseline = new Set((s.baseline ?? []).map(identityKey));
  const active = (s.allowlist ?? []).filter((e) => !e.expires || e.expires.getTime() > s.now.getTime());
  // An allowlist entry names a finding's identity, its exchange optional.
  const allowed = (f: Finding) => {
    const id = identityOf(f);
    return active.some((e) => e.check === id.check && e.symbol === id.symbol && (!e.exchange || e.exchange === id.exchange));
  };
  let byBaseline = 0;
  let byAllowlist = 0;
  const kept = new FindingStore();
  for (const f of findings) {
    if (baseline.has(identityKey(f))) byBaseline += 1;
    else if (allowed(f)) byAllowlist += 1;
    else kept.add(f);
  }
  return { kept, byBaseline, byAllowlist };
}

/** The report without the suppressed findings, with counts recomputed and expired entries reported. */
export function applySuppression(report: Report, s: Suppression): Report {
  if (!s.baseline && !s.allowlist?.length) return report;
  const { kept, byBaseline, byAllowlist } = filterSuppressed(report.findings, s);
  const expired = (s.allowlist ?? []).filter((e) => e.expires && e.expires.getTime() <= s.now.getTime());
  for (const f of CONFIG_CHECKS.flatMap((c) => c.evaluate(expired))) kept.add(f);
  const findings = kept.finish();
  const counts = countFindings(findings, Object.keys(report.summary.byCheck));
  // The uncertain count is the kept findings' (absent when none is), not the run's.
  const { uncertain: _, ...summary } = report.summary;
  const out: Report = { ...report, findings, summary: { ...summary, ...counts, suppressed: { baseline: byBaseline, allowlist: byAllowlist } } };
  unsuppressed.set(out, unsuppressedFindings(report));
  return out;
}

/** Every finding of the run, suppressed ones included: what --write-baseline records. */
const unsuppressed = new WeakMap<Report, Findings>();
export function unsuppressedFindings(report: Report): Findings {
  return unsuppressed.get(report) ?? report.findings;
}
