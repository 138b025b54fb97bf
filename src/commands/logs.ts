// ts-audit logs FILE...: log forensics. Findings: save-failure (critical or high, by what was lost),
// delete-failure, creation-failure, and restore-loss for each symbol a restart did not restore.
import type { Finding } from '../checks/types.js';
import { DumpError } from '../errors.js';
import { type LogAnalysis, type SaveLoss, analyzeLogs } from '../logs/analyze.js';
import type { Severity } from '../severity.js';
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
};

const LOSS_TEXT: Record<SaveLoss, string> = {
  'never-saved': 'the stop never got a row: it exists only in memory',
  activated: 'the stop was activated in memory: a restart loses the activation and the peak',
  unknown: 'the logs do not show whether the stop ever got a row: it may exist only in memory',
  'updates-only': 'only updates of an existing row failed: the row lags memory',
};

export async function readLogs(opts: LogsOptions): Promise<LogAnalysis> {
  const analysis = await analyzeLogs(opts.files, readRecords(opts.files, opts.logTimezone));
  // A wrong file (a JSON dump, another program's log) must not read as "No findings".
  if (analysis.records === 0) {
    throw new DumpError(
      `${opts.files.join(', ')}: not a log of the bot: 0 records in its format ("2025-10-26 20:30:34,973 - logger - LEVEL - message")`,
    );
  }
  return analysis;
}

export function logFindings(analysis: LogAnalysis): Finding[] {
  const exchangeOf = (symbol: string) => analysis.memory.find((m) => m.symbols.includes(symbol))?.exchange ?? '-';
  const unknownExchange = (symbol: string) => (exchangeOf(symbol) === '-' ? ' (exchange unknown from the log: no [TS_DEBUG] line lists the symbol)' : '');
  const at = (d: Date) => utcText(d);
  const finding = (check: string, severity: Severity, symbol: string, message: string, evidence: Record<string, unknown>): Finding => ({
    check,
    severity,
    exchange: exchangeOf(symbol),
    symbol,
    positionId: null,
    message: `${message}${unknownExchange(symbol)}`,
    evidence,
  });
  return [
    ...analysis.saveFailures.map((f) =>
      finding(
        'save-failure',
        f.recoveredAt || f.loss === 'updates-only' ? 'high' : 'critical',
        f.symbol,
        `${f.count} failed save${f.count === 1 ? '' : 's'} (${Object.entries(f.kinds).map(([k, n]) => `${KIND_TEXT[k] ?? k} ${n}`).join(', ')}) ` +
          `between ${at(f.first)} and ${at(f.last)}: ${f.recoveredAt ? `saved on retry at ${at(f.recoveredAt)}` : LOSS_TEXT[f.loss]}`,
        { count: f.count, kinds: f.kinds, loss: f.loss, first: f.first, last: f.last, recoveredAt: f.recoveredAt, example: f.example },
      ),
    ),
    ...analysis.deleteFailures.map((d) =>
      finding(
        'delete-failure',
        'medium',
        d.symbol,
        `deleting the row failed when the position closed (${at(d.last)})${d.falseSuccess ? ', although the bot then logged it removed from memory AND database' : ''}: the row stays, and a restart restores it onto a reopened position or deletes it for a side mismatch`,
        { count: d.count, last: d.last, falseSuccess: d.falseSuccess, example: d.example },
      ),
    ),
    ...analysis.creationFailures.map((c) =>
      finding(
        'creation-failure',
        'high',
        c.symbol,
        `the bot ${c.kind === 'timed-out' ? 'timed out creating' : 'failed to create'} the stop at ${at(c.last)} and continued without it: the position trails nothing`,
        { count: c.count, last: c.last, kind: c.kind, example: c.example },
      ),
    ),
    ...analysis.restoreLosses.map((l) =>
      finding(
        'restore-loss',
        'high',
        l.symbol,
        `not restored at ${l.restarts} restart${l.restarts === 1 ? '' : 's'}; at the last one (${at(l.lastAt)}): ${l.lastOutcome.replace(/([A-Z])/g, ' $1').toLowerCase()}`,
        { restarts: l.restarts, lastAt: l.lastAt, lastOutcome: l.lastOutcome },
      ),
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
      ...countFindings(findings, ['save-failure', 'delete-failure', 'creation-failure', 'restore-loss']),
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
