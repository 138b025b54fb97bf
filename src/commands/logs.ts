// ts-audit logs FILE...: log forensics. The findings are the log checks' (src/checks, kind "logs").
import { LOG_CHECKS } from '../checks/index.js';
import type { Finding } from '../checks/types.js';
import { DumpError } from '../errors.js';
import { type LogAnalysis, analyzeLogs } from '../logs/analyze.js';
import { LOG_LINE_MAX_CHARS, readRecords } from '../logs/parse.js';
import { countFindings, restartInLogs, sortFindings } from '../report/build.js';
import { REPORT_VERSION, type Report } from '../report/types.js';
import { VERSION } from '../version.js';
import { suppressed } from '../run/assemble.js';
import { applySeverity } from '../run/evaluate.js';
import type { AuditOptions, RunContext } from '../run/options.js';

/** What the configuration says about checks: which are off, severity overrides, suppression. */
export type LogPolicy = Partial<Pick<AuditOptions, 'disabled' | 'severity' | 'suppress'>>;

export interface LogsOptions extends LogPolicy {
  files: string[];
  /** Zone of the host that wrote the log (its lines carry no zone). */
  logTimezone: string;
}

export async function readLogs(opts: LogsOptions): Promise<LogAnalysis> {
  const stats = { longLines: 0 };
  const analysis = await analyzeLogs(opts.files, readRecords(opts.files, opts.logTimezone, stats));
  analysis.longLines = stats.longLines;
  // A wrong file (a JSON dump, another program's log) must not read as "No findings".
  if (analysis.records === 0) {
    throw new DumpError(`${opts.files.join(', ')}: not a log of the bot: 0 records in its format ("2025-10-26 20:30:34,973 - logger - LEVEL - message")`);
  }
  return analysis;
}

/** The lines longer than the cap, said where the report's notes are: their rest was not read. */
export function longLinesNote(analysis: LogAnalysis): string[] {
  const n = analysis.longLines ?? 0;
  return n === 0
    ? []
    : [
        `${n.toLocaleString('en-US')} log line${n === 1 ? '' : 's'} longer than ${LOG_LINE_MAX_CHARS.toLocaleString('en-US')} characters: only the first ${LOG_LINE_MAX_CHARS.toLocaleString('en-US')} characters of ${n === 1 ? 'it were' : 'each were'} read, the rest skipped`,
      ];
}

/** Every log check's findings, with the configured severity overrides. */
export function logFindings(analysis: LogAnalysis, policy: LogPolicy = {}): Finding[] {
  const disabled = new Set(policy.disabled ?? []);
  return applySeverity(
    LOG_CHECKS.filter((c) => !disabled.has(c.id)).flatMap((c) => c.evaluate(analysis)),
    policy.severity ?? {},
  );
}

export async function runLogs(opts: LogsOptions, ctx: RunContext): Promise<Report> {
  const analysis = await readLogs(opts);
  const findings = logFindings(analysis, opts);
  const last = analysis.restarts.at(-1);
  return suppressed(opts, ctx.now(), {
    tool: 'ts-audit',
    version: VERSION,
    reportVersion: REPORT_VERSION,
    command: 'logs',
    generatedAt: ctx.now(),
    database: null,
    dump: null,
    summary: {
      openPositions: null,
      stopsInDb: null,
      stopsInMemory: null,
      matched: null,
      restart: last
        ? restartInLogs(
            last.counts.restored,
            Object.values(last.counts).reduce((a, b) => a + b, 0),
          )
        : null,
      ...countFindings(
        findings,
        LOG_CHECKS.filter((c) => !(opts.disabled ?? []).includes(c.id)).map((c) => c.id),
      ),
    },
    findings: sortFindings(findings),
    skipped: [],
    notes: longLinesNote(analysis),
    details: {
      logs: {
        files: analysis.files,
        records: analysis.records,
        firstAt: analysis.firstAt,
        lastAt: analysis.lastAt,
        logTimezone: opts.logTimezone,
        restartCount: analysis.restartCount,
        restartTotals: analysis.restartTotals,
        restarts: analysis.restarts,
        memory: analysis.memory,
      },
    },
  });
}
