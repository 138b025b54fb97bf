// Reading the event journal in a snapshot: how far it goes (so that --as-of is checked against it) and
// the memory it replays (--from-events), as a memory source diff compares like a dump.
import type { Snapshot } from '../db/snapshot.js';
import type { OpenPositionRow, StopRow } from '../db/rows.js';
import type { DumpReader } from '../dump/types.js';
import { type Finding, stopKey } from '../checks/types.js';
import { DatabaseError, UsageError } from '../errors.js';
import { utcText } from '../time.js';
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
    throw new DatabaseError(`table ${snapshot.catalog.schema}.${snapshot.catalog.names.events} not found: --from-events and --as-of read the bot's event journal`);
  }
  const moment = asOf ?? snapshot.info.snapshotAt;
  const [span] = await snapshot.run<JournalSpan>(SPAN_QUERY, { moment });
  if (!span) throw new Error('journal-span returned no row');
  if (asOf) {
    if (asOf.getTime() > snapshot.info.snapshotAt.getTime()) {
      throw new UsageError(`--as-of ${utcText(asOf)} is in the future (the database's time is ${utcText(snapshot.info.snapshotAt)})`);
    }
    if (!span.first_at || asOf.getTime() < span.first_at.getTime()) {
      throw new UsageError(`--as-of ${utcText(asOf)} is before the event journal's first event (${span.first_at ? utcText(span.first_at) : 'the journal is empty'}): nothing can be known of memory then`);
    }
  }
  return span;
}

export interface JournalMemory {
  reader: DumpReader;
  notes: string[];
}

/** Memory at the moment, replayed from the journal since the last restart before it. */
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
    throw new UsageError(`${snapshot.catalog.names.events} holds no event at or before ${utcText(moment)}: nothing says what memory held (give --dump instead)`);
  }
  const journal = await snapshot.run<JournalRow>(MEMORY_QUERY, { ...params, since: span.last_start_at, moment });
  const stops = replayJournal(journal, rows, positions, span.last_start_at);
  const name = `${snapshot.catalog.schema}.${snapshot.catalog.names.events}`;
  const since = span.last_start_at ? `the restart at ${utcText(span.last_start_at)} (its positions_loaded event)` : 'its first event (no positions_loaded event before the moment)';
  const dumpedAt = new Date(moment.getTime() - flushMs);
  return {
    reader: {
      source: `${name}, replayed from ${since} to ${utcText(moment)}`,
      header: () => ({ format: 'journal', dumpedAt }),
      stops: async function* () {
        yield* stops;
      },
    },
    notes: [
      `Memory replayed from ${name} since ${since}: stops created and not removed, and rows that restart restored, brought up to date by later events. ` +
        'Prices from the journal are JSON floats: they equal the row within one unit of the column scale. ' +
        `Events of the last ${flushMs / 1000}s may still be unflushed: rows and positions newer than ${utcText(dumpedAt)} are info, not findings.`,
    ],
  };
}

export interface DeletedRow {
  exchange: string;
  symbol: string;
  removed_at: Date;
}

/** As of a past moment, the rows deleted since (trailing_stop_removed after it), which cannot be seen. */
export function deletedSince(snapshot: Snapshot, params: Record<string, unknown>): Promise<DeletedRow[]> {
  return snapshot.run<DeletedRow>(DELETED_QUERY, params);
}

/** Findings about a row deleted after the moment say that it may still have existed then; a note lists them. */
export function markUncertain(findings: Finding[], deleted: DeletedRow[]): { findings: Finding[]; notes: string[] } {
  const { mark, notes } = uncertainMarker(deleted);
  return { findings: findings.map(mark), notes };
}

/** The same, one finding at a time: for a run whose findings are not all held at once. */
export function uncertainMarker(deleted: DeletedRow[]): { mark: (f: Finding) => Finding; notes: string[] } {
  if (deleted.length === 0) return { mark: (f) => f, notes: [] };
  const byKey = new Map(deleted.map((d) => [stopKey(d.exchange, d.symbol), d.removed_at]));
  const mark = (f: Finding): Finding => {
    const removedAt = byKey.get(stopKey(f.exchange, f.symbol));
    if (!removedAt) return f;
    return {
      ...f,
      message: `${f.message} (uncertain: its row was deleted later, at ${utcText(removedAt)}, so it may still have had one then)`,
      evidence: { ...f.evidence, rowDeletedAt: removedAt },
    };
  };
  const list = deleted.map((d) => `${d.exchange} ${d.symbol} (${utcText(d.removed_at)})`).join(', ');
  return { mark, notes: [`Rows deleted after the moment cannot be seen as they were: ${list}. Findings about them are marked uncertain.`] };
}
