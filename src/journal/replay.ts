// The bot's memory from its event journal (monitoring.events): the stops created since the last
// restart and not removed since, plus the stops that restart restored from their rows, each brought up
// to date by the events that followed. The SQL (queries/journal-memory.sql) reads the journal set-based;
// this module only assembles the stops.
import type { OpenPositionRow, StopRow } from '../db/rows.js';
import { rowActivated } from '../db/rows.js';
import { Decimal } from '../decimal.js';
import { type MemoryStop, normalizeSide } from '../dump/types.js';
import { stopKey } from '../checks/types.js';

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
}

export interface JournalSpan {
  first_at: Date | null;
  last_at: Date | null;
  last_start_at: Date | null;
}

const num = (text: string | null | undefined): Decimal | undefined => (text == null ? undefined : (Decimal.parse(text) ?? undefined));

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

/**
 * Memory at `moment`: stops created (journal) since `startAt` and not removed, and stops the restart at
 * `startAt` restored: rows that existed then for positions open then, unless the restart deleted them
 * for a side mismatch or a later creation replaced them.
 */
export function replayJournal(journal: JournalRow[], rows: StopRow[], positions: OpenPositionRow[], startAt: Date | null): MemoryStop[] {
  const byKey = new Map(journal.map((j) => [stopKey(j.exchange, j.symbol), j]));
  const open = new Map(positions.map((p) => [stopKey(p.exchange, p.symbol), p]));
  const stops: MemoryStop[] = [];
  for (const j of journal) {
    if (!j.created_at || j.removed_at) continue;
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
    for (const row of rows) {
      const key = stopKey(row.exchange, row.symbol);
      const j = byKey.get(key);
      const position = open.get(key);
      if (j?.created_at || j?.removed_at || j?.mismatch_deleted_at) continue;
      if (row.created_at.getTime() > startAt.getTime() || !position?.opened_at || position.opened_at.getTime() > startAt.getTime()) continue;
      const dec = (text: string | null) => (text === null ? null : (Decimal.parse(text) ?? undefined));
      stops.push(
        overlay(
          {
            entry: 0,
            exchange: row.exchange,
            symbol: row.symbol,
            state: row.state.trim().toLowerCase(),
            isActivated: rowActivated(row),
            side: normalizeSide(row.side) ?? 'long',
            entryPrice: dec(row.entry_price),
            highestPrice: dec(row.highest_price),
            lowestPrice: dec(row.lowest_price),
            currentStopPrice: dec(row.current_stop_price),
            activationPrice: dec(row.activation_price),
            quantity: dec(row.quantity),
            updateCount: row.update_count,
            createdAt: row.created_at,
            origin: 'journal-restored',
          },
          j,
        ),
      );
    }
  }
  stops.sort((a, b) => a.exchange.localeCompare(b.exchange) || a.symbol.localeCompare(b.symbol));
  stops.forEach((s, i) => (s.entry = i + 1));
  return stops;
}
