// Stages 6 and 7: suppress and assemble. Findings flow one way: evaluate -> severity overrides ->
// baseline and allowlist suppression -> report -> reporters.
import { applySuppression } from '../baseline.js';
import type { Finding } from '../checks/types.js';
import type { SnapshotInfo } from '../db/snapshot.js';
import { countFindings } from '../report/build.js';
import { FindingStore, prepareJson } from '../report/findings.js';
import { attachProblems } from '../report/problems.js';
import { REPORT_VERSION, type Report, type SkippedCheck } from '../report/types.js';
import type { Severity } from '../severity.js';
import { VERSION } from '../version.js';
import type { AuditOptions, CountsRow } from './options.js';

export interface ReportParts {
  command: string;
  database: SnapshotInfo;
  dump?: Report['dump'];
  counts: CountsRow;
  memory?: Pick<Report['summary'], 'stopsInMemory' | 'matched'>;
  restart?: Report['summary']['restart'];
  /** An array, or the store the command added them to as it went (diff of a large dump). */
  findings: Finding[] | FindingStore;
  checks: string[];
  skipped?: SkippedCheck[];
  notes?: string[];
  details?: Report['details'];
}

/** What an as-of report must say once: the past is reconstructed, and not every value can be. */
export function asOfNotes(asOf: Date | undefined): string[] {
  if (!asOf) return [];
  return [
    `As of ${asOf
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' UTC')}: positions open then (opened by then, not closed by then) and rows created by then. ` +
      'Values a row changed after that moment cannot be known: rows are compared as they are now, and a row deleted since is not seen.',
  ];
}

/** Where a command puts its findings: the configured severity applied, sorted, in bounded memory (spilling to disk past spillAt). */
export function findingStore(opts: Pick<AuditOptions, 'severity' | 'prepare'>, spillAt?: number): FindingStore {
  const overrides = opts.severity;
  return new FindingStore(spillAt, (f) => (overrides[f.check] ? { ...f, severity: overrides[f.check] as Severity } : f), undefined, opts.prepare);
}

/**
 * The findings, each made ready for the report's format now (see AuditOptions.prepare): for findings
 * found while the server still works on the next query, so that their text is not all made at the end.
 */
export function prepared(opts: Pick<AuditOptions, 'prepare'>, findings: Finding[]): Finding[] {
  if (opts.prepare === 'json') prepareJson(findings);
  return findings;
}

export function assembleReport(parts: ReportParts, opts: AuditOptions, now: Date): Report {
  let store = parts.findings;
  if (!(store instanceof FindingStore)) {
    const s = findingStore(opts);
    for (const f of store) s.add(f);
    store = s;
  }
  const findings = store.finish();
  return suppressed(opts, now, {
    tool: 'ts-audit',
    version: VERSION,
    reportVersion: REPORT_VERSION,
    command: parts.command,
    // The report is made after its snapshot: never stamped earlier, whatever the two clocks say.
    generatedAt: parts.database && parts.database.snapshotAt.getTime() > now.getTime() ? new Date(parts.database.snapshotAt.getTime()) : now,
    database: parts.database,
    dump: parts.dump ?? null,
    summary: {
      openPositions: Number(parts.counts.open_positions),
      stopsInDb: Number(parts.counts.stops_in_db),
      stopsInMemory: parts.memory?.stopsInMemory ?? null,
      matched: parts.memory?.matched ?? null,
      restart: parts.restart ?? null,
      ...countFindings(findings, parts.checks),
    },
    findings,
    skipped: parts.skipped ?? [],
    notes: parts.notes ?? [],
    ...(parts.details ? { details: parts.details } : {}),
  });
}

/** The last step before any reporter: the baseline and the allowlist, so every command and format honours them. */
export function suppressed(opts: Pick<AuditOptions, 'suppress'>, now: Date, report: Report): Report {
  // Problems are counted on what is left: a consequence whose root cause was suppressed is a problem of its own.
  return attachProblems(opts.suppress ? applySuppression(report, { ...opts.suppress, now }) : report);
}
