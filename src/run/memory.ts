// Stage 3: the memory side, what the bot holds. A dump or a log is opened before the snapshot (a bad
// file is the run's error, and the connection made meanwhile is dropped unused); the journal is
// replayed inside the snapshot, after the rows it starts from.
import { statSync } from 'node:fs';
import type { Finding } from '../checks/types.js';
import { stopKey } from '../checks/types.js';
import type { OpenPositionRow, StopRow } from '../db/rows.js';
import type { Snapshot } from '../db/snapshot.js';
import { openDump } from '../dump/read.js';
import type { DumpReader, MemoryStop } from '../dump/types.js';
import {
  DEFAULT_FLUSH_MS,
  type DeletedRow,
  type JournalMemory,
  asOfUncertainty,
  deletedSince,
  journalMemory,
  journalSpan,
  mergeUncertainty,
  uncertaintyMarker,
} from '../journal/read.js';
import { DEFAULT_DUMP_TIMEOUT_MS } from '../dump/source.js';
import type { JournalSpan } from '../journal/replay.js';
import type { MemoryLifecycles } from '../lifecycles/judge.js';

export interface MemoryOptions {
  /** A state dump: a file, - for stdin, or an http(s) URL. */
  dump?: string;
  /** Instead of a dump: the bot's logs, whose [TS_DEBUG] lines say which symbols memory held. */
  dumpLog?: string[];
  logTimezone?: string;
  /** The memory side from the bot's event journal, replayed in the snapshot. */
  fromEvents?: boolean;
  /** With fromEvents: how long the bot may hold events before writing them. */
  flushMs?: number;
  dumpTimeoutMs?: number;
  dumpMaxBytes?: number;
  /** A single --exchange names the exchange of a get_status() dump. */
  exchanges: string[];
}

/** The memory side read before the snapshot: a dump (stdin without --dump) or the logs; undefined with --from-events. */
export async function openMemory(opts: MemoryOptions): Promise<DumpReader | undefined> {
  if (opts.fromEvents) return undefined;
  if (opts.dumpLog) return (await import('../logs/memory.js')).logMemoryReader(opts.dumpLog, opts.logTimezone ?? 'UTC');
  return openDump(opts.dump ?? '-', {
    exchange: opts.exchanges.length === 1 ? opts.exchanges[0] : undefined,
    timeoutMs: opts.dumpTimeoutMs ?? DEFAULT_DUMP_TIMEOUT_MS,
    maxBytes: opts.dumpMaxBytes,
  });
}

/**
 * Whether the memory side opens at once (the journal, read in the snapshot, or a dump that is a
 * regular file), so that a run may connect and begin its transaction before it (see connectEarly):
 * standard input, a URL, a FIFO or the logs may take any time.
 */
export function memoryOpensAtOnce(opts: Pick<MemoryOptions, 'dump' | 'dumpLog' | 'fromEvents'>): boolean {
  if (opts.fromEvents) return true;
  if (opts.dumpLog || opts.dump === undefined || opts.dump === '-' || /^https?:\/\//i.test(opts.dump)) return false;
  try {
    return statSync(opts.dump).isFile();
  } catch {
    return false;
  }
}

/** Runs with the memory side open, and closes it (a file, a connection to a dump URL) whatever happens. */
export async function withMemory<T>(reader: DumpReader | undefined, use: (reader: DumpReader | undefined) => Promise<T>): Promise<T> {
  try {
    return await use(reader);
  } finally {
    await reader?.close?.();
  }
}

/** Every stop of a memory side by its key, and its lifecycles: for commands that look stops up rather than stream them. */
export async function memoryByKey(reader: DumpReader): Promise<{ stops: Map<string, MemoryStop>; lifecycles?: MemoryLifecycles }> {
  const stops = new Map<string, MemoryStop>();
  for await (const stop of reader.stops()) stops.set(stopKey(stop.exchange, stop.symbol), stop);
  return { stops, lifecycles: reader.lifecycles?.() };
}

export interface JournalSide {
  /** With --as-of: rows deleted since the moment, and rows a later start-up wrote. */
  deleted: DeletedRow[];
  /** With --from-events: the memory replayed from the journal. */
  replay?: JournalMemory;
}

/**
 * The journal's part of a run, read last in the snapshot: with --as-of the rows deleted since the
 * moment, with --from-events the memory replayed from the stop rows and open positions (read only
 * then, when the command has not read them already). span: the journal's span if read already.
 */
export async function readJournal(
  snapshot: Snapshot,
  params: Record<string, unknown>,
  opts: { fromEvents?: boolean; asOf?: Date; flushMs?: number },
  span: JournalSpan | undefined,
  sides: { rows: () => Promise<StopRow[]>; positions: () => Promise<OpenPositionRow[]> },
): Promise<JournalSide> {
  const deleted = opts.asOf ? await deletedSince(snapshot, params, span) : [];
  if (!opts.fromEvents) return { deleted };
  const rows = await sides.rows();
  const positions = await sides.positions();
  const replay = await journalMemory(
    snapshot,
    params,
    span ?? (await journalSpan(snapshot, opts.asOf)),
    opts.asOf,
    rows,
    positions,
    opts.flushMs ?? DEFAULT_FLUSH_MS,
  );
  return { deleted, replay };
}

/**
 * What the journal makes uncertain (the replay's doubts, and under --as-of rows deleted or saved again
 * since the moment): a marker for each finding, and the notes that say so once.
 */
export function journalDoubts(
  asOf: Date | undefined,
  side: JournalSide,
  rows: StopRow[],
  span: JournalSpan | undefined,
): { mark: (f: Finding) => Finding; notes: string[] } {
  const past = asOfUncertainty(asOf, side.deleted, rows, span);
  return { mark: uncertaintyMarker(mergeUncertainty(side.replay?.uncertainty ?? { byKey: new Map(), all: [] }, past.uncertainty)), notes: past.notes };
}

/** A one-time query's rows, read at most once however often asked (a stage that may or may not need them). */
export function once<T>(read: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= read());
}
