// ts-audit report: the incident report, from one snapshot: diff (with --dump), every database check,
// the restart simulation and, with --log, the log forensics. This module gathers the data and infers
// suspected causes from the pattern of findings; src/report/incident.ts writes the Markdown.
import { filterSuppressed } from '../baseline.js';
import { journalQueries } from '../journal/read.js';
import { DB_CHECKS, findCheck } from '../checks/index.js';
import type { CauseKey } from '../checks/types.js';
import type { LogAnalysis } from '../logs/analyze.js';
import type { Cause, IncidentReport, Report } from '../report/types.js';
import { type AuditOptions, type RunContext, openAuditSnapshot } from './audit.js';
import { runDbCommand } from './db-commands.js';
import { type DiffOptions, runDiff } from './diff.js';
import { runTimeline } from './timeline.js';

/** Symbols whose timeline the report shows, at most. */
const TIMELINE_SYMBOLS = 20;
import { logFindings, longLinesNote, readLogs } from './logs.js';
import { mdCode } from '../report/escape.js';
import { utcText as utc } from '../time.js';

export interface ReportOptions extends AuditOptions {
  title: string;
  displayTimezone: string;
  diff?: Omit<DiffOptions, keyof AuditOptions>;
  logs?: { files: string[]; logTimezone: string };
}

export async function runIncidentReport(opts: ReportOptions, ctx: RunContext): Promise<IncidentReport> {
  const logs = opts.logs ? await readLogs(opts.logs) : null;
  const journal = journalQueries({ fromEvents: opts.diff?.fromEvents, asOf: opts.asOf });
  const queries = ['counts', 'open-positions', 'stop-rows', 'filter-matches', 'timeline', 'timeline-events', ...journal, ...new Set(DB_CHECKS.map((c) => c.query))];
  const snapshot = await openAuditSnapshot(opts, ctx, queries);
  try {
    const shared = { ...ctx, snapshot };
    const main = opts.diff ? await runDiff({ ...opts, ...opts.diff, all: true }, shared) : await runDbCommand('check', opts, shared);
    if (logs) main.notes.push(...longLinesNote(logs));
    const timestamps = await runDbCommand('timestamps', { ...opts, displayTimezone: opts.displayTimezone }, shared);
    const restore = await runDbCommand('restore', opts, shared);
    // The log findings pass the same baseline and allowlist as the database's.
    const logged = logs ? logFindings(logs, opts) : [];
    const findings = [...main.findings, ...(opts.suppress ? filterSuppressed(logged, { ...opts.suppress, now: ctx.now() }).kept.finish() : logged)];
    // The history of each symbol the database found something about.
    const symbols = [...new Set([...main.findings].filter((f) => f.exchange !== '-' && f.exchange !== '*').map((f) => f.symbol))].slice(0, TIMELINE_SYMBOLS);
    const timeline = symbols.length ? await runTimeline({ ...opts, symbols, since: undefined }, shared) : null;
    const moment = opts.asOf ? { label: 'as of', at: opts.asOf } : main.dump?.dumpedAt ? { label: main.dump.format === 'journal' ? 'journal replayed to' : 'dump taken', at: main.dump.dumpedAt } : null;
    return {
      title: opts.title,
      // Made after its snapshot, whatever the two clocks say.
      generatedAt: new Date(Math.max(ctx.now().getTime(), snapshot.info.snapshotAt.getTime())),
      displayTimezone: opts.displayTimezone,
      database: snapshot.info,
      main,
      timestamps,
      restore,
      logs,
      logTimezone: opts.logs?.logTimezone ?? null,
      findings,
      causes: suspectedCauses(main, timestamps, restore, logs),
      queries: snapshot.executed,
      timeline,
      moment,
    };
  } finally {
    await snapshot.close();
  }
}


/** Causes that the pattern of findings points to, each with the evidence that supports it. */
export function suspectedCauses(main: Report, timestamps: Report, restore: Report, logs: LogAnalysis | null): Cause[] {
  const causes: Cause[] = [];
  // Findings are evidence of the cause their check names (src/checks: `cause`).
  const of = (cause: CauseKey) => [...main.findings].filter((f) => findCheck(f.check)?.cause === cause);
  const perCheck = (cause: CauseKey) =>
    [...new Set(of(cause).map((f) => f.check))].map((id) => `${of(cause).filter((f) => f.check === id).length} × \`${id}\`: ${findCheck(id)?.summary ?? ''}`);
  const burst = timestamps.details?.burst;
  const failures = logs?.saveFailures ?? [];

  if (burst) {
    const before = failures.filter((f) => f.first.getTime() < burst.minute.getTime());
    const restartThen = logs?.restarts.find((r) => Math.abs(r.at.getTime() - burst.minute.getTime()) < 120_000);
    causes.push({
      title: 'Stops were recreated at a restart, not saved when their positions opened',
      evidence: [
        burst.text + '.',
        ...(before.length ? [`The logs show ${before.length} symbols whose saves failed before it (first at ${utc(before[0]?.first ?? burst.minute)}).`] : []),
        ...(restartThen ? [`The logs show a restart at ${utc(restartThen.at)} that created ${restartThen.counts.createdNew} stops anew.`] : []),
      ],
      actions: ['Find why saves failed at open (the logs\' "Failed to save TS state" lines) and make a failed save fail loudly instead of keeping the stop in memory only.'],
    });
  }
  const missing = of('saves-failing').length;
  if (missing > 0 || failures.length > 0) {
    const evidence: string[] = [];
    if (missing > 0) evidence.push(`${missing} stops exist only in memory${main.summary.restart ? `; a restart now: ${main.summary.restart.text}` : ''}.`);
    if (failures.length > 0) {
      const kinds = [...new Set(failures.flatMap((f) => Object.keys(f.kinds)))].join(', ');
      evidence.push(`The logs show failed saves for ${failures.length} symbols (${kinds}), e.g. ${mdCode(failures[0]?.example ?? '')}.`);
    }
    causes.push({
      title: 'Saves of trailing stops are failing silently',
      evidence,
      actions: [
        'Do not restart the bot until its stops are persisted: a restart now recreates them from scratch.',
        'Check the repository pool is initialised before trailing stops are created; retry failed saves and alert on them.',
      ],
    });
  }
  const believed = of('believed-stop').filter((f) => f.evidence.hasTrailingStop === true).length;
  if (believed > 0) {
    causes.push({
      title: 'The bot believes stops exist that were never saved',
      evidence: [`${believed} open positions have has_trailing_stop = true and no row.`],
      actions: ['Compare with memory (`ts-audit diff --dump ...`) before restarting.'],
    });
  }
  if (of('carried-over').length > 0) {
    const escaped = of('carried-over').filter((f) => f.evidence.caughtByCleanupRule === false).length;
    causes.push({
      title: 'Reopened symbols kept the rows of earlier positions (the upsert does not update entry, side or quantity)',
      evidence: [...perCheck('carried-over'), ...(escaped ? [`${escaped} entry differences are too small for the bot's own clean-up rule (|diff| > 0.00001).`] : [])],
      actions: ['Delete those rows while the bot is stopped, or correct them from the open positions; make the upsert update entry_price, side and quantity.'],
    });
  }
  if (of('wrong-side').length > 0) {
    causes.push({
      title: 'Rows on the wrong side of their positions',
      evidence: [`${of('wrong-side').length} rows are on the other side from their open position: every stop update for them is rejected.`],
      actions: ['Delete those rows while the bot is stopped so that fresh stops are created from the positions.'],
    });
  }
  if (of('close-skips-delete').length > 0) {
    causes.push({
      title: 'Close paths skip deleting the stop row',
      evidence: [`${of('close-skips-delete').length} rows belong to symbols with no open position.`],
      actions: ["Call the bot's orphan clean-up, and make every close path delete its row."],
    });
  }
  const deleted = logs?.restarts.filter((r) => r.counts.deleted > 0) ?? [];
  if (deleted.length > 0) {
    causes.push({
      title: 'A restart deleted rows (the exchange was not ready, or their side did not match the position)',
      evidence: deleted.slice(-3).map((r) => `The restart at ${utc(r.at)} deleted ${r.counts.deleted} rows.`),
      actions: ['Make restore wait for the exchange before treating rows as stale; fix the write that gave rows the wrong side.'],
    });
  }
  if (restore.summary.restart && restore.summary.restart.restored < restore.summary.restart.openPositions) {
    causes.push({
      title: 'A restart now would lose stops',
      evidence: [`Restore simulation: ${restore.summary.restart.text}.`],
      actions: ['Fix the above before restarting; run `ts-audit restore` again until every open position would be restored.'],
    });
  }
  return causes;
}
