// Reading the event journal in a snapshot: how far it goes (so that --as-of is checked against it) and
// the memory it replays (--from-events), as a memory source diff compares like a dump.
import type { Snapshot } from '../db/snapshot.js';
import type { OpenPositionRow, StopRow } from '../db/rows.js';
import type { DumpReader } from '../dump/types.js';
import { type Finding, stopKey } from '../finding.js';
import { DatabaseError, UsageError } from '../errors.js';
import { utcText } from '../time.js';
import { plural } from '../words.js';
import { type JournalRow, type JournalSpan, replayJournal } from './replay.js';

export const SPAN_QUERY = 'journal-span';
export const MEMORY_QUERY = 'journal-memory';
export const DELETED_QUERY = 'journal-deleted-since';
/** The journal queries a run needs: the span for either, the replay for --from-events, deletions for --as-of. */
export function journalQueries(o: { fromEvents?: boolean; asOf?: Date }): string[] {
  return [...(o.fromEvents || o.asOf ? [SPAN_QUERY] : []), ...(o.fromEvents ? [MEMORY_QUERY] : []), ...(o.asOf ? [DELETED_QUERY] : [])];
}

/** The bot's EventLogger flushes at least every 5 s: events younger than that may still be on their way. */
export const DEFAULT_FLUSH_MS = 5000;

/** The journal's span at the moment asked about; --as-of in the future or before the journal is refused. */
export async function journalSpan(snapshot: Snapshot, asOf: Date | undefined): Promise<JournalSpan> {
  if (!snapshot.catalog.hasTable('events')) {
    throw new DatabaseError(
      `table ${snapshot.catalog.schema}.${snapshot.catalog.names.events} not found: --from-events and --as-of read the bot's event journal`,
    );
  }
  const moment = asOf ?? snapshot.info.snapshotAt;
  const [span] = await snapshot.run<JournalSpan>(SPAN_QUERY, { moment });
  if (!span) throw new Error('journal-span returned no row');
  if (asOf) {
    if (asOf.getTime() > snapshot.info.snapshotAt.getTime()) {
      throw new UsageError(`--as-of ${utcText(asOf)} is in the future (the database's time is ${utcText(snapshot.info.snapshotAt)})`);
    }
    if (!span.first_at || asOf.getTime() < span.first_at.getTime()) {
      throw new UsageError(
        `--as-of ${utcText(asOf)} is before the event journal's first event (${span.first_at ? utcText(span.first_at) : 'the journal is empty'}): nothing can be known of memory then`,
      );
    }
  }
  return span;
}

export interface JournalMemory {
  reader: DumpReader;
  notes: string[];
  /** What each finding about a stop, and every finding, cannot be sure of. */
  uncertainty: Uncertainty;
  /** Rows to leave out of the moment: a later start-up wrote them (they are not this session's). */
  hiddenRows: Set<string>;
}

/** Why findings are uncertain: per (exchange, symbol), and for every finding of the run. */
export interface Uncertainty {
  byKey: Map<string, string[]>;
  all: string[];
  /** Evidence added to the findings of a key (rowDeletedAt). */
  evidence?: Map<string, Record<string, unknown>>;
}

const plainKey = (key: string) => key.replace('\u0000', ' ');
const listed = (keys: string[], max = 20) => `${keys.slice(0, max).map(plainKey).join(', ')}${keys.length > max ? ` and ${keys.length - max} more` : ''}`;

/**
 * How long a session may go without any event before its journal counts as failed: an open position
 * writes position_updated on every price tick, and events wait at most a flush interval.
 */
export const QUIET_MS = 60_000;

/** Whether the session has no event after its start, long enough after it that the logger should have written one. */
export function memoryUnknown(span: JournalSpan, moment: Date, flushMs: number): boolean {
  return (
    span.last_start_at !== null && !span.first_after_at && !span.stopped_at && moment.getTime() - span.last_start_at.getTime() > Math.max(flushMs, QUIET_MS)
  );
}

/** Memory at the moment, replayed from the journal since the start of the session the moment falls in. */
export async function journalMemory(
  snapshot: Snapshot,
  params: Record<string, unknown>,
  span: JournalSpan,
  asOf: Date | undefined,
  rows: StopRow[],
  positions: OpenPositionRow[],
  flushMs: number,
): Promise<JournalMemory> {
  const moment = asOf ?? snapshot.info.snapshotAt;
  if (!span.first_at || span.first_at.getTime() > moment.getTime()) {
    throw new UsageError(
      `${snapshot.catalog.names.events} holds no event at or before ${utcText(moment)}: nothing says what memory held (give --dump instead)`,
    );
  }
  const hiddenRows = new Set(laterStartupRows(span, rows, moment).map((r) => stopKey(r.exchange, r.symbol)));
  const sessionRows = hiddenRows.size ? rows.filter((r) => !hiddenRows.has(stopKey(r.exchange, r.symbol))) : rows;
  const journal = await snapshot.run<JournalRow>(MEMORY_QUERY, { ...params, since: span.last_start_at, moment });
  const replay = replayJournal(journal, sessionRows, positions, span);
  const name = `${snapshot.catalog.schema}.${snapshot.catalog.names.events}`;
  const start = span.last_start_at;
  const marker = span.start_kind === 'positions_loaded' ? 'its positions_loaded event' : 'its bot_started event';
  const since = start ? `the session started at ${utcText(start)} (${marker})` : 'its first event (no session start before the moment)';
  const dumpedAt = new Date(moment.getTime() - flushMs);
  const all: string[] = [];
  const notes: string[] = [
    `Memory replayed from ${name} since ${since}: stops created and not removed, and what the session's start-up left, brought up to date by later events; events are never carried across a session's start. ` +
      'Prices from the journal are JSON floats: they equal the row within one unit of the column scale. ' +
      `Events of the last ${flushMs / 1000}s may still be unflushed: rows and positions newer than ${utcText(dumpedAt)} are info, not findings.`,
  ];
  if (start) {
    const count = (origin: string) => replay.stops.filter((s) => s.origin === origin).length;
    notes.push(
      `The bot writes bot_started only after its start-up, so nothing the start-up did has an event: memory at ${utcText(start)} is taken as the ${plural(count('journal-restored'), 'row')} it restored, ` +
        `the ${plural(count('startup-written'), 'row')} it wrote itself${replay.writtenByStartup.length ? ` (created after the previous session's last event: ${listed(replay.writtenByStartup)})` : ''} ` +
        `and ${plural(count('startup-fresh'), 'fresh stop')} for open positions it found no usable row for. A row on the other side from its position was deleted and recreated without an event.`,
    );
    if (span.previous_event_at && span.previous_stopped === false) {
      notes.push(`The session before ended without bot_stopped: the bot crashed after its last event, at ${utcText(span.previous_event_at)}.`);
    }
    if (span.stopped_at)
      notes.push(
        `The bot stopped at ${utcText(span.stopped_at)} (bot_stopped): memory is what it held when it stopped; it holds nothing until its next start.`,
      );
    if (memoryUnknown(span, moment, flushMs)) {
      all.push(
        `memory unknown: the session that started at ${utcText(start)} has no event since (the EventLogger failed, or lost every batch), so nothing says what the bot holds, not even that it holds nothing`,
      );
      notes.push(
        `Memory unknown: the session that started at ${utcText(start)} has no event in the journal since. What the start-up left is shown, and every finding is uncertain.`,
      );
    }
  } else {
    all.push('the journal holds no session start before the moment: the stops the bot started with are unknown');
    notes.push(
      "No bot_started (nor positions_loaded) at or before the moment: the replay starts at the journal's first event, and what the bot held before it is unknown.",
    );
  }
  if (span.next_start_at && span.last_event_at && !span.stopped_at && moment.getTime() > span.last_event_at.getTime() + flushMs) {
    notes.push(
      `The moment is after this session's last event (${utcText(span.last_event_at)}) and the next session started at ${utcText(span.next_start_at)}: the bot may already have been down, or in its start-up, then.`,
    );
  }
  if (hiddenRows.size)
    notes.push(
      `Rows written by the start-up of the next session (${utcText(span.next_start_at ?? moment)}) are left out of the moment: ${listed([...hiddenRows])}.`,
    );
  if (replay.gaps.length)
    notes.push(
      `The journal itself shows gaps: ${replay.gaps.slice(0, 10).join('; ')}${replay.gaps.length > 10 ? `; and ${replay.gaps.length - 10} more` : ''}.`,
    );
  return {
    reader: {
      source: `${name}, replayed from ${since} to ${utcText(moment)}`,
      header: () => ({ format: 'journal', dumpedAt }),
      stops: async function* () {
        yield* replay.stops;
      },
    },
    notes,
    uncertainty: { byKey: replay.uncertain, all },
    hiddenRows,
  };
}

/** Rows created after the moment's session ended and before the next session's start: that start-up wrote them. */
function laterStartupRows(span: JournalSpan, rows: StopRow[], moment: Date): StopRow[] {
  const next = span.next_start_at?.getTime();
  if (next === undefined) return [];
  const after = Math.max(span.next_previous_event_at?.getTime() ?? Number.NEGATIVE_INFINITY, span.last_start_at?.getTime() ?? Number.NEGATIVE_INFINITY);
  return rows.filter((r) => r.created_at.getTime() > after && r.created_at.getTime() <= Math.min(next, moment.getTime()));
}

export interface DeletedRow {
  exchange: string;
  symbol: string;
  /** removed: deleted after the moment; startup: written by the next session's start-up. */
  kind: 'removed' | 'startup';
  at: Date;
}

/**
 * As of a past moment, the rows deleted since (trailing_stop_removed after it), which cannot be seen,
 * and the rows the next session's start-up wrote, which may have replaced one.
 */
export function deletedSince(snapshot: Snapshot, params: Record<string, unknown>, span?: JournalSpan): Promise<DeletedRow[]> {
  const until = span?.next_start_at ?? null;
  return snapshot.run<DeletedRow>(DELETED_QUERY, { ...params, startup_after: until ? (span?.next_previous_event_at ?? null) : null, startup_until: until });
}

/**
 * What an --as-of run cannot see: rows deleted after the moment, rows that changed after it (compared
 * as they are now), and rows a later start-up wrote (it may have replaced one that existed then).
 */
export function asOfUncertainty(
  asOf: Date | undefined,
  deleted: DeletedRow[],
  rows: StopRow[],
  span: JournalSpan | undefined,
): { uncertainty: Uncertainty; notes: string[] } {
  const byKey = new Map<string, string[]>();
  const notes: string[] = [];
  if (!asOf) return { uncertainty: { byKey, all: [] }, notes };
  const add = (key: string, reason: string) => byKey.set(key, [...(byKey.get(key) ?? []), reason]);
  const removed = deleted.filter((d) => d.kind === 'removed');
  for (const d of removed) add(stopKey(d.exchange, d.symbol), `its row was deleted later, at ${utcText(d.at)}, so it may still have had one then`);
  if (removed.length)
    notes.push(
      `Rows deleted after the moment cannot be seen as they were: ${removed.map((d) => `${d.exchange} ${d.symbol} (${utcText(d.at)})`).join(', ')}. Findings about them are marked uncertain.`,
    );
  const changed: string[] = [];
  for (const r of rows) {
    if (r.created_at.getTime() > asOf.getTime() || !r.last_update_time || r.last_update_time.getTime() <= asOf.getTime()) continue;
    const key = stopKey(r.exchange, r.symbol);
    changed.push(key);
    add(key, `its row is compared as it is now: it was saved again after the moment (${utcText(r.last_update_time)})`);
  }
  if (changed.length)
    notes.push(`Rows saved again after the moment are compared as they are now: ${listed(changed)}. Findings about them are marked uncertain.`);
  const replaced = deleted.filter((d) => d.kind === 'startup').map((d) => stopKey(d.exchange, d.symbol));
  const next = span?.next_start_at;
  for (const key of replaced) {
    add(
      key,
      `its row now was written by the start-up of the session at ${utcText(next ?? asOf)}, which may have replaced (deleted for a side mismatch, without an event) a row that existed at the moment`,
    );
  }
  if (replaced.length)
    notes.push(
      `Rows written by the next session's start-up (${utcText(next ?? asOf)}) may have replaced rows that existed at the moment, without an event: ${listed(replaced)}.`,
    );
  const evidence = new Map(removed.map((d) => [stopKey(d.exchange, d.symbol), { rowDeletedAt: d.at }]));
  return { uncertainty: { byKey, all: [], evidence }, notes };
}

/** The reasons of several sources together. */
export function mergeUncertainty(...parts: Uncertainty[]): Uncertainty {
  const byKey = new Map<string, string[]>();
  const evidence = new Map<string, Record<string, unknown>>();
  for (const p of parts) {
    for (const [k, v] of p.byKey) byKey.set(k, [...(byKey.get(k) ?? []), ...v]);
    for (const [k, v] of p.evidence ?? []) evidence.set(k, { ...evidence.get(k), ...v });
  }
  return { byKey, all: parts.flatMap((p) => p.all), evidence };
}

/** A finding with its reasons for doubt: in its message, in `uncertain`, and (row deletions) in its evidence. */
export function uncertaintyMarker(u: Uncertainty): (f: Finding) => Finding {
  if (u.byKey.size === 0 && u.all.length === 0) return (f) => f;
  return (f) => {
    const key = stopKey(f.exchange, f.symbol);
    const reasons = [...(u.byKey.get(key) ?? []), ...u.all].filter((r) => !f.uncertain?.includes(r));
    if (reasons.length === 0) return f;
    const extra = u.evidence?.get(key);
    return withUncertainty(extra ? { ...f, evidence: { ...f.evidence, ...extra } } : f, reasons);
  };
}

export function withUncertainty(f: Finding, reasons: string[]): Finding {
  return { ...f, message: `${f.message} (uncertain: ${reasons.join('; ')})`, uncertain: [...(f.uncertain ?? []), ...reasons] };
}
