// ts-audit logs FILE...: log forensics. Findings: save-failure (critical) for each symbol whose stop
// failed to save, restore-loss (high) for each symbol a restart did not restore.
import type { Finding } from '../checks/types.js';
import { type LogAnalysis, analyzeLogs } from '../logs/analyze.js';
import { readRecords } from '../logs/parse.js';
import { countFindings, restartInLogs, sortFindings } from '../report/build.js';
import { REPORT_VERSION, type Report } from '../report/types.js';
import { utcText } from '../time.js';
import { VERSION } from '../version.js';
import type { RunContext } from './audit.js';

export interface LogsOptions {
  files: string[];
  /** Zone of the host that wrote the log (its lines carry no zone). */
  logTimezone: string;
}

const KIND_TEXT: Record<string, string> = {
  'pool-not-initialized': 'pool not initialized',
  'save-failed': 'save failed',
  'position-not-found': 'position not found',
  retrying: 'retrying',
  'delete-failed': 'delete failed',
};

export async function readLogs(opts: LogsOptions): Promise<LogAnalysis> {
  return analyzeLogs(opts.files, readRecords(opts.files, opts.logTimezone));
}

export function logFindings(analysis: LogAnalysis): Finding[] {
  const exchangeOf = (symbol: string) => analysis.memory.find((m) => m.symbols.includes(symbol))?.exchange ?? '-';
  const at = (d: Date) => utcText(d);
  return [
    ...analysis.saveFailures.map(
      (f): Finding => ({
        check: 'save-failure',
        severity: 'critical',
        exchange: exchangeOf(f.symbol),
        symbol: f.symbol,
        positionId: null,
        message:
          `${f.count} failed save${f.count === 1 ? '' : 's'} (${Object.entries(f.kinds).map(([k, n]) => `${KIND_TEXT[k] ?? k} ${n}`).join(', ')}) ` +
          `between ${at(f.first)} and ${at(f.last)}${f.recoveredAt ? `; saved on retry at ${at(f.recoveredAt)}` : ': the stop may exist only in memory'}`,
        evidence: { count: f.count, kinds: f.kinds, first: f.first, last: f.last, recoveredAt: f.recoveredAt, example: f.example },
      }),
    ),
    ...analysis.restoreLosses.map(
      (l): Finding => ({
        check: 'restore-loss',
        severity: 'high',
        exchange: exchangeOf(l.symbol),
        symbol: l.symbol,
        positionId: null,
        message: `not restored at ${l.restarts} restart${l.restarts === 1 ? '' : 's'}; at the last one (${at(l.lastAt)}): ${l.lastOutcome.replace(/([A-Z])/g, ' $1').toLowerCase()}`,
        evidence: { restarts: l.restarts, lastAt: l.lastAt, lastOutcome: l.lastOutcome },
      }),
    ),
  ];
}

export async function runLogs(opts: LogsOptions, ctx: RunContext): Promise<Report> {
  const analysis = await readLogs(opts);
  const findings = logFindings(analysis);
  const last = analysis.restarts.at(-1);
  return {
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
      restart: last ? restartInLogs(last.counts.restored, Object.values(last.counts).reduce((a, b) => a + b, 0)) : null,
      ...countFindings(findings, ['save-failure', 'restore-loss']),
    },
    findings: sortFindings(findings),
    skipped: [],
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
  };
}
