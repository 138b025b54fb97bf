// ts-audit report: the incident report, from one snapshot: diff (with --dump), every database check,
// the restart simulation and, with --log, the log forensics. This module gathers the data and infers
// suspected causes from the pattern of findings; src/report/incident.ts writes the Markdown.
import { filterSuppressed } from '../baseline.js';
import { journalQueries } from '../journal/read.js';
import type { JournalSpan } from '../journal/replay.js';
import type { Snapshot } from '../db/snapshot.js';
import { DB_CHECKS, findCheck, hasFact } from '../checks/index.js';
import type { CauseKey } from '../checks/types.js';
import type { LogAnalysis } from '../logs/analyze.js';
import type { Cause, IncidentReport, Report } from '../report/types.js';
import type { AuditOptions, RunContext } from '../run/options.js';
import { openAuditSnapshot } from '../run/snapshot.js';
import { runDbCommand } from './db-commands.js';
import { type DiffOptions, runDiff } from './diff.js';
import { runTimeline } from './timeline.js';

/** Symbols whose timeline the report shows, at most. */
const TIMELINE_SYMBOLS = 20;
import { logFindings, longLinesNote, readLogs } from './logs.js';
import { mdCode } from '../report/escape.js';
import { utcText as utc } from '../time.js';
import { plural, rescueMemory } from '../words.js';

export interface ReportOptions extends AuditOptions {
  title: string;
  displayTimezone: string;
  diff?: Omit<DiffOptions, keyof AuditOptions>;
  logs?: { files: string[]; logTimezone: string };
}

export async function runIncidentReport(opts: ReportOptions, ctx: RunContext): Promise<IncidentReport> {
  const logs = opts.logs ? await readLogs(opts.logs) : null;
  const journal = journalQueries({ fromEvents: opts.diff?.fromEvents, asOf: opts.asOf });
  const queries = [
    'counts',
    'open-positions',
    'stop-rows',
    'filter-matches',
    'timeline',
    'timeline-events',
    'journal-sessions',
    ...journal,
    ...new Set(DB_CHECKS.map((c) => c.query)),
  ];
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
    const timeline = symbols.length ? await runTimeline({ ...opts, symbols, since: undefined, symbolsFromFindings: true }, shared) : null;
    if (logs && opts.diff?.fromEvents) main.notes.push(...(await journalLossNotes(snapshot, logs, opts.asOf ?? snapshot.info.snapshotAt)));
    const moment = opts.asOf
      ? { label: 'as of', at: opts.asOf }
      : main.dump?.dumpedAt
        ? { label: main.dump.format === 'journal' ? 'journal replayed to' : 'dump taken', at: main.dump.dumpedAt }
        : null;
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

/** With the logs alongside a replay: the journal's losses the logs show over the replayed session, said as such. */
async function journalLossNotes(snapshot: Snapshot, logs: LogAnalysis, moment: Date): Promise<string[]> {
  const [span] = await snapshot.run<JournalSpan>('journal-span', { moment });
  const from = span?.last_start_at?.getTime() ?? Number.NEGATIVE_INFINITY;
  // A logger that failed to start after the replayed session began means a later session has no journal.
  const losses = logs.journalLosses.filter((l) => l.last.getTime() >= from && l.first.getTime() <= moment.getTime());
  if (losses.length === 0) return [];
  const what = losses.map((l) =>
    l.kind === 'init-failed'
      ? `the EventLogger failed to start at ${utc(l.first)} (a session with no journal)`
      : `${l.events ?? 'some'} events dropped at ${utc(l.first)}`,
  );
  return [
    `The journal is incomplete over the replayed span, the logs show: ${what.slice(0, 10).join('; ')}${what.length > 10 ? `; and ${what.length - 10} more` : ''}. The replayed memory may lack what those events said.`,
  ];
}

/** Causes that the pattern of findings points to, each with the evidence that supports it. */
export function suspectedCauses(main: Report, timestamps: Report, restore: Report, logs: LogAnalysis | null): Cause[] {
  const causes: Cause[] = [];
  // The open positions that have a stop row: a row of an earlier position can only be carried over there.
  const withRow = new Set((timestamps.details?.timestamps ?? []).filter((t) => t.stopCreatedAt !== null).map((t) => `${t.exchange}\u0000${t.symbol}`));
  const hasRow = (f: { exchange: string; symbol: string }) => withRow.has(`${f.exchange}\u0000${f.symbol}`);
  // Findings are evidence of the cause their check names (src/checks: `cause`).
  const of = (cause: CauseKey) =>
    [...main.findings].filter((f) => findCheck(f.check)?.cause === cause && (cause !== 'carried-over' || hasRow(f) || f.positionId === null));
  // The repair, with the memory the report read (rescue needs one).
  const memory = rescueMemory(main.dump);
  const rescue = (flags = '') => `\`ts-audit rescue ${memory}${flags} -o rescue.sql\``;
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
        ...(before.length
          ? [`The logs show ${plural(before.length, 'symbol')} whose saves failed before it (first at ${utc(before[0]?.first ?? burst.minute)}).`]
          : []),
        ...(restartThen ? [`The logs show a restart at ${utc(restartThen.at)} that created ${restartThen.counts.createdNew} stops anew.`] : []),
      ],
      actions: [
        'Find why saves failed at open (the logs\' "Failed to save TS state" lines) and make a failed save fail loudly instead of keeping the stop in memory only.',
      ],
    });
  }
  const missing = of('saves-failing').length;
  if (missing > 0 || failures.length > 0) {
    const evidence: string[] = [];
    if (missing > 0)
      evidence.push(
        `${plural(missing, 'stop')} ${missing === 1 ? 'exists' : 'exist'} only in memory${main.summary.restart ? `; a restart now: ${main.summary.restart.text}` : ''}.`,
      );
    if (failures.length > 0) {
      const kinds = [...new Set(failures.flatMap((f) => Object.keys(f.kinds)))].join(', ');
      evidence.push(`The logs show failed saves for ${plural(failures.length, 'symbol')} (${kinds}), e.g. ${mdCode(failures[0]?.example ?? '')}.`);
    }
    causes.push({
      title: 'Saves of trailing stops are failing silently',
      evidence,
      actions: [
        `Do not restart the bot until its stops are persisted: a restart now recreates them from scratch. ${rescue()} writes the rows memory holds; review the script, apply it with psql, then run \`ts-audit restore\`.`,
        'Check the repository pool is initialised before trailing stops are created; retry failed saves and alert on them.',
      ],
    });
  }
  const believed = of('believed-stop').filter((f) => hasFact(f, 'flag-claims-stop')).length;
  if (believed > 0) {
    causes.push({
      title: 'The bot believes stops exist that were never saved',
      evidence: [`${plural(believed, 'open position')} ${believed === 1 ? 'has' : 'have'} has_trailing_stop = true and no row.`],
      actions: [`Compare with memory (\`ts-audit diff ${memory}\`) before restarting; ${rescue()} writes the rows memory holds.`],
    });
  }
  if (of('carried-over').length > 0) {
    const escaped = of('carried-over').filter((f) => hasFact(f, 'escapes-cleanup-rule')).length;
    causes.push({
      title: 'Reopened symbols kept the rows of earlier positions (the upsert does not update entry, side or quantity)',
      evidence: [
        ...perCheck('carried-over'),
        ...(escaped
          ? [`${plural(escaped, 'entry difference')} ${escaped === 1 ? 'is' : 'are'} too small for the bot's own clean-up rule (|diff| > 0.00001).`]
          : []),
      ],
      actions: [
        `Delete those rows while the bot is stopped (${rescue(' --delete-stale')} writes the DELETEs), or correct them from the open positions; make the upsert update entry_price, side and quantity.`,
      ],
    });
  }
  if (of('wrong-side').length > 0) {
    causes.push({
      title: 'Rows on the wrong side of their positions',
      evidence: [
        `${plural(of('wrong-side').length, 'row')} ${of('wrong-side').length === 1 ? 'is' : 'are'} on the other side from ${of('wrong-side').length === 1 ? 'its' : 'their'} open position: every stop update for ${of('wrong-side').length === 1 ? 'it' : 'them'} is rejected.`,
      ],
      actions: [
        `${rescue()} corrects a row's side where memory agrees; delete the others while the bot is stopped so that fresh stops are created from the positions.`,
      ],
    });
  }
  if (of('close-skips-delete').length > 0) {
    causes.push({
      title: 'Close paths skip deleting the stop row',
      evidence: [
        `${plural(of('close-skips-delete').length, 'row')} ${of('close-skips-delete').length === 1 ? 'belongs to a symbol' : 'belong to symbols'} with no open position.`,
      ],
      actions: [
        `${rescue(' --delete-stale')} writes the DELETE of rows of no open position; call the bot's orphan clean-up, and make every close path delete its row.`,
      ],
    });
  }
  const deleted = logs?.restarts.filter((r) => r.counts.deleted > 0) ?? [];
  if (deleted.length > 0) {
    causes.push({
      title: 'A restart deleted rows (the exchange was not ready, or their side did not match the position)',
      evidence: deleted.slice(-3).map((r) => `The restart at ${utc(r.at)} deleted ${plural(r.counts.deleted, 'row')}.`),
      actions: ['Make restore wait for the exchange before treating rows as stale; fix the write that gave rows the wrong side.'],
    });
  }
  if (restore.summary.restart && restore.summary.restart.restored < restore.summary.restart.openPositions) {
    causes.push({
      title: 'A restart now would lose stops',
      evidence: [`Restore simulation: ${restore.summary.restart.text}.`],
      actions: [
        `Fix the above before restarting (${rescue()} writes the repair memory allows); run \`ts-audit restore\` again until every open position would be restored.`,
      ],
    });
  }
  return causes;
}
