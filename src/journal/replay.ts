// The bot's memory from its event journal, for one session: what the start-up left (the rows it
// restored or wrote, and a fresh stop for each open position it found no usable row for, none of which
// has an event), brought up to date by the session's events. The SQL (queries/journal-memory.sql) reads
// the journal set-based; this module only assembles the stops and says, per stop, what it cannot know.
import type { OpenPositionRow, StopRow } from '../db/rows.js';
import { rowActivated } from '../db/rows.js';
import { Decimal } from '../decimal.js';
import { type MemoryStop, normalizeSide } from '../dump/types.js';
import { stopKey } from '../finding.js';
import { utcText } from '../time.js';

/** One (exchange, symbol) of queries/journal-memory.sql. */
export interface JournalRow {
  exchange: string;
  symbol: string;
  created_at: Date | null;
  side: string | null;
  entry_price: string | null;
  activation_price: string | null;
  removed_at: Date | null;
  activated_at: Date | null;
  activation_stop: string | null;
  moved_at: Date | null;
  new_stop: string | null;
  highest_price: string | null;
  lowest_price: string | null;
  sl_moved_at: Date | null;
  new_sl_price: string | null;
  update_count: string | null;
  mismatch_deleted_at: Date | null;
  first_move_at?: Date | null;
  first_old_stop?: string | null;
  first_move_highest?: string | null;
  first_move_lowest?: string | null;
  prior_stop?: string | null;
}

/** queries/journal-span.sql: the journal's extent and the session the moment falls in. */
export interface JournalSpan {
  first_at: Date | null;
  last_at: Date | null;
  last_start_at: Date | null;
  start_kind?: string | null;
  stopped_at?: Date | null;
  previous_event_at?: Date | null;
  previous_stopped?: boolean | null;
  first_after_at?: Date | null;
  last_event_at?: Date | null;
  next_start_at?: Date | null;
  next_previous_event_at?: Date | null;
}

/** What the replay could not be sure of, per (exchange, symbol), and the gaps the journal itself shows. */
export interface Replay {
  stops: MemoryStop[];
  uncertain: Map<string, string[]>;
  /** Stops whose row the start-up wrote (created between the previous session's last event and its start). */
  writtenByStartup: string[];
  /** "bybit AUSDT: ..." for each stop whose first update of the session contradicts the replay. */
  gaps: string[];
}

const num = (text: string | null | undefined): Decimal | undefined => (text == null ? undefined : (Decimal.parse(text) ?? undefined));
const dec = (text: string | null) => (text === null ? null : (Decimal.parse(text) ?? undefined));

/** The stop's latest stop price among its activation, its moves and its exchange stop moves. */
function latestStop(j: JournalRow): Decimal | undefined {
  const candidates: [Date | null, string | null][] = [
    [j.activated_at, j.activation_stop],
    [j.moved_at, j.new_stop],
    [j.sl_moved_at, j.new_sl_price],
  ];
  const [, text] = candidates.filter(([at, v]) => at && v != null).sort((a, b) => (b[0]?.getTime() ?? 0) - (a[0]?.getTime() ?? 0))[0] ?? [null, null];
  return num(text);
}

/** The events' later values over a stop, whatever it came from. */
function overlay(stop: MemoryStop, j: JournalRow | undefined): MemoryStop {
  if (!j) return stop;
  const out: MemoryStop = { ...stop };
  if (j.activated_at) {
    out.isActivated = true;
    out.state = 'active';
  }
  const stopPrice = latestStop(j);
  if (stopPrice) out.currentStopPrice = stopPrice;
  if (j.moved_at) {
    if (j.highest_price != null) out.highestPrice = num(j.highest_price);
    if (j.lowest_price != null) out.lowestPrice = num(j.lowest_price);
  }
  if (j.update_count != null && /^\d+$/.test(j.update_count)) out.updateCount = Number(j.update_count);
  if (j.activated_at || stopPrice || j.moved_at || j.update_count != null) out.approximate = true;
  return out;
}

const hasLaterEvent = (j: JournalRow) => j.activated_at || j.moved_at || j.sl_moved_at || j.update_count != null;
/** Equal at the columns' 8 digits: the journal's numbers are JSON floats. */
const sameStop = (a: Decimal | null | undefined, b: Decimal | null | undefined) =>
  a == null || b == null ? a == null && b == null : a.round(8).equals(b.round(8));

/**
 * Memory at the moment, for the session that started at `span.last_start_at`: stops created (journal)
 * since then and not removed; the rows the start-up restored (rows created by then, for positions open
 * then), or wrote itself; and a fresh stop for each open position it had no usable row for. Events are
 * never carried across the session's start.
 */
export function replayJournal(journal: JournalRow[], rows: StopRow[], positions: OpenPositionRow[], span: JournalSpan): Replay {
  const startAt = span.last_start_at;
  const byKey = new Map(journal.map((j) => [stopKey(j.exchange, j.symbol), j]));
  const rowByKey = new Map(rows.map((r) => [stopKey(r.exchange, r.symbol), r]));
  const stops: MemoryStop[] = [];
  const uncertain = new Map<string, string[]>();
  const doubt = (key: string, reason: string) => uncertain.set(key, [...(uncertain.get(key) ?? []), reason]);
  const writtenByStartup: string[] = [];
  const origins = new Map<string, MemoryStop['origin']>();

  for (const j of journal) {
    if (!j.created_at || j.removed_at) continue;
    const key = stopKey(j.exchange, j.symbol);
    const row = rowByKey.get(key);
    origins.set(key, 'journal-created');
    if (!hasLaterEvent(j) && !(row?.last_update_time && row.last_update_time.getTime() >= j.created_at.getTime())) {
      doubt(
        key,
        `its trailing_stop_created (${utcText(j.created_at)}) is its only event and no row was saved since: the creation may have failed after it was journaled, and the current bot then holds no stop`,
      );
    }
    stops.push(
      overlay(
        {
          entry: 0,
          exchange: j.exchange,
          symbol: j.symbol,
          state: '',
          isActivated: false,
          side: normalizeSide(j.side) ?? undefined,
          entryPrice: num(j.entry_price),
          activationPrice: num(j.activation_price),
          createdAt: j.created_at,
          approximate: true,
          origin: 'journal-created',
        },
        j,
      ),
    );
  }

  if (startAt) {
    const start = startAt.getTime();
    const startText = utcText(startAt);
    const previous = span.previous_event_at?.getTime();
    for (const position of positions) {
      const key = stopKey(position.exchange, position.symbol);
      const j = byKey.get(key);
      if (j?.created_at || j?.removed_at || j?.mismatch_deleted_at) continue;
      if (!position.opened_at || position.opened_at.getTime() > start) continue;
      const row = rowByKey.get(key);
      const positionSide = normalizeSide(position.side);
      const usable = row && row.created_at.getTime() <= start;
      const rowSide = row ? (normalizeSide(row.side) ?? 'long') : null;
      if (usable && row && positionSide === rowSide) {
        const byStartup = previous !== undefined && row.created_at.getTime() > previous;
        if (byStartup) writtenByStartup.push(key);
        const origin = byStartup ? 'startup-written' : 'journal-restored';
        origins.set(key, origin);
        stops.push(
          overlay(
            {
              entry: 0,
              exchange: row.exchange,
              symbol: row.symbol,
              state: row.state.trim().toLowerCase(),
              isActivated: rowActivated(row),
              side: rowSide ?? 'long',
              entryPrice: dec(row.entry_price),
              highestPrice: dec(row.highest_price),
              lowestPrice: dec(row.lowest_price),
              currentStopPrice: dec(row.current_stop_price),
              activationPrice: dec(row.activation_price),
              quantity: dec(row.quantity),
              updateCount: row.update_count,
              createdAt: row.created_at,
              origin,
            },
            j,
          ),
        );
        continue;
      }
      // No usable row: the start-up created a fresh stop from the position, without an event.
      origins.set(key, 'startup-fresh');
      if (usable && row) {
        doubt(
          key,
          `its row (${row.side}, created ${utcText(row.created_at)}) is on the other side from its position (${position.side}): the start-up at ${startText} deletes such a row and creates a fresh stop without an event, so memory is taken as that fresh stop; the row is still there, which the journal cannot explain`,
        );
      } else {
        doubt(
          key,
          `no row existed at the start-up of ${startText}: it created a fresh stop without an event and could not save it; the incident-era bot keeps such a stop in memory, the current one holds none (then the position trails nothing)`,
        );
      }
      stops.push(
        overlay(
          {
            entry: 0,
            exchange: position.exchange,
            symbol: position.symbol,
            state: '',
            isActivated: false,
            side: positionSide ?? undefined,
            entryPrice: dec(position.entry_price),
            origin: 'startup-fresh',
          },
          j,
        ),
      );
    }
  }

  const gaps: string[] = [];
  for (const j of journal) {
    if (!j.first_move_at) continue;
    const key = stopKey(j.exchange, j.symbol);
    const origin = origins.get(key);
    if (!origin) continue;
    const row = rowByKey.get(key);
    const old = num(j.first_old_stop) ?? null;
    // What the replay held just before that first move: the session's activation or exchange move
    // before it; else what the stop started the session with.
    let replayed: Decimal | null | undefined;
    if (j.prior_stop != null) replayed = num(j.prior_stop) ?? null;
    else if (origin === 'journal-created' || origin === 'startup-fresh') replayed = null;
    else if (row && startAt) {
      const activatedAt = row.activated_at;
      if (activatedAt === null || (activatedAt !== undefined && activatedAt.getTime() > startAt.getTime())) replayed = null;
      else if (row.last_update_time && row.last_update_time.getTime() < j.first_move_at.getTime()) replayed = dec(row.current_stop_price);
    }
    // A peak only moves forward: a first move whose peak is behind the row it was restored from (the
    // row unchanged since before it) shows that memory did not start from that row.
    if (
      (replayed === undefined || sameStop(old, replayed)) &&
      row &&
      (origin === 'journal-restored' || origin === 'startup-written') &&
      row.last_update_time &&
      row.last_update_time.getTime() < j.first_move_at.getTime()
    ) {
      const long = (normalizeSide(row.side) ?? 'long') === 'long';
      const moved = num(long ? j.first_move_highest : j.first_move_lowest);
      const rowPeak = dec(long ? row.highest_price : row.lowest_price);
      if (moved && rowPeak && (long ? moved.round(8).compare(rowPeak) < 0 : moved.round(8).compare(rowPeak) > 0)) {
        const text =
          `the journal shows a gap: its first update of the session (${utcText(j.first_move_at)}) had the peak at ${moved.toString()}, behind its row's ${rowPeak.toString()}: ` +
          'memory did not start from that row (the start-up replaced it, or events are missing)';
        doubt(key, text);
        gaps.push(`${j.exchange} ${j.symbol}: ${text}`);
      }
      continue;
    }
    if (replayed === undefined || sameStop(old, replayed)) continue;
    const text =
      `the journal shows a gap: its first update of the session (${utcText(j.first_move_at)}) moved the stop from ${old?.toString() ?? 'none'}, ` +
      `but the replay held ${replayed ? replayed.toString() : 'no stop (not activated)'} then: events are missing (a dropped batch) or the start-up changed the stop`;
    doubt(key, text);
    gaps.push(`${j.exchange} ${j.symbol}: ${text}`);
  }

  stops.sort((a, b) => a.exchange.localeCompare(b.exchange) || a.symbol.localeCompare(b.symbol));
  stops.forEach((s, i) => (s.entry = i + 1));
  return { stops, uncertain, writtenByStartup, gaps };
}
