// ts-audit timeline [SYMBOL...]: per (exchange, symbol), what the database and the bot's event journal
// show in time order (positions, orders, the stop row, every trailing-stop event, and the bot's
// sessions: each start, stop and crash), and the lags between them, e.g. a stop created in memory
// hours before its row.
import { formatSpan } from '../duration.js';
import { utcText } from '../time.js';
import type { Timeline, TimelineEntry, TimelineSession, TimelineSymbol } from '../report/types.js';
import { refuseUnmatched, unmatchedFilters } from '../run/filters.js';
import { type AuditOptions, type RunContext, queryParams } from '../run/options.js';
import { inSnapshot } from '../run/snapshot.js';
import { pushAll } from '../arrays.js';

export interface TimelineOptions extends AuditOptions {
  /** Only entries at or after this time (--since) and at or before --until. */
  from?: Date;
  until?: Date;
  /**
   * The symbols are not the user's filter but the ones another command found something about (the
   * incident report): one with no position and no row (a lifecycle row alone) is no typo to refuse.
   */
  symbolsFromFindings?: boolean;
}

interface Row {
  exchange: string | null;
  symbol: string | null;
  at: Date;
  kind: string;
  detail: Record<string, unknown>;
}

const SEP = '\u001f';

export async function runTimeline(opts: TimelineOptions, ctx: RunContext): Promise<Timeline> {
  const now = ctx.now();
  const params = { ...queryParams({ ...opts, since: undefined }, now), since: opts.from ?? null, until: opts.until ?? null };
  const notes: string[] = [];
  const { snapshot, read } = await inSnapshot(opts, ctx, ['timeline', 'filter-matches', 'timeline-events', 'journal-sessions'], async (snapshot) => {
    const unmatched = await unmatchedFilters(snapshot, opts, params);
    const rows = await snapshot.run<Row>('timeline', params);
    const keys = [...new Set(rows.map((r) => `${r.exchange}${SEP}${r.symbol}`))];
    if (!snapshot.catalog.hasTable('events')) {
      notes.push(`The database has no table ${snapshot.catalog.schema}.${snapshot.catalog.names.events}: the timeline shows no event of the bot's journal.`);
      return { unmatched, rows, events: [] as Row[], sessionRows: [] as SessionRow[] };
    }
    const events = await snapshot.run<Row>('timeline-events', { ...params, keys });
    const sessionRows = await snapshot.run<SessionRow>('journal-sessions', params);
    return { unmatched, rows, events, sessionRows };
  });
  const { unmatched, rows, events, sessionRows } = read;
  const info = snapshot.info;
  if (!opts.symbolsFromFindings) refuseUnmatched(unmatched, 'the database');

  const sessions: TimelineSession[] = sessionRows.map((r) => ({
    startedAt: r.started_at,
    marker: r.marker,
    stoppedAt: r.stopped_at,
    crashed: r.crashed,
    lastEventAt: r.last_event_at,
    firstEventAt: r.first_event_at,
  }));
  const inWindow = (at: Date) => (!opts.from || at.getTime() >= opts.from.getTime()) && (!opts.until || at.getTime() <= opts.until.getTime());
  const sessionEntries = sessionRows.flatMap((r, i) => sessionEntriesOf(r, sessionRows[i - 1])).filter((e) => inWindow(e.at));
  const bySymbol = new Map<string, TimelineSymbol>();
  for (const r of [...rows, ...events.filter((e) => e.symbol !== null)]) {
    const key = `${r.exchange}${SEP}${r.symbol}`;
    let s = bySymbol.get(key);
    if (!s) bySymbol.set(key, (s = { exchange: r.exchange ?? '', symbol: r.symbol ?? '', entries: [], lags: [] }));
    s.entries.push({ at: r.at, kind: r.kind, summary: summarize(r.kind, r.detail), detail: r.detail });
  }
  const symbols = [...bySymbol.values()].sort((a, b) => a.exchange.localeCompare(b.exchange) || a.symbol.localeCompare(b.symbol));
  for (const s of symbols) {
    pushAll(s.entries, sessionEntries);
    s.entries.sort((a, b) => a.at.getTime() - b.at.getTime() || a.kind.localeCompare(b.kind));
    s.lags = lags(s.entries);
  }
  const restarts = sessions.map((x) => x.startedAt).filter(inWindow);
  return {
    tool: 'ts-audit',
    command: 'timeline',
    generatedAt: now,
    database: info,
    from: opts.from ?? null,
    until: opts.until ?? null,
    restarts,
    sessions,
    symbols,
    notes,
  };
}

interface SessionRow {
  started_at: Date;
  marker: string;
  stopped_at: Date | null;
  crashed: boolean;
  last_event_at: Date | null;
  first_event_at: Date | null;
  next_at: Date | null;
}

/** A session's start, its stop, and its crash (after its last event) when the next one began without a stop. */
function sessionEntriesOf(r: SessionRow, previous: SessionRow | undefined): TimelineEntry[] {
  const detail = { marker: r.marker };
  const silent = r.first_event_at === null ? '; no event since: what memory held in this session is unknown' : '';
  const after = previous?.crashed ? ' after a crash; its start-up left no event' : '';
  const out: TimelineEntry[] = [{ at: r.started_at, kind: 'session-start', summary: `the bot started (${r.marker})${after}${silent}`, detail }];
  if (r.stopped_at) out.push({ at: r.stopped_at, kind: 'session-stop', summary: 'the bot stopped (bot_stopped)', detail });
  if (r.crashed && r.last_event_at && r.next_at) {
    out.push({
      at: r.last_event_at,
      kind: 'session-crashed',
      summary: `the bot crashed after this, its session's last event: the next session started at ${utcText(r.next_at)} without a bot_stopped`,
      detail,
    });
  }
  return out;
}

const num = (v: unknown) => (v === null || v === undefined ? '-' : String(v));

/** One line for an entry: the payload's fields that matter for a stop. */
export function summarize(kind: string, d: Record<string, unknown>): string {
  switch (kind) {
    case 'position-opened':
      return `position #${num(d.positionId)} opened (${num(d.side)}, entry ${num(d.entryPrice)}; now ${num(d.status)})`;
    case 'position-closed':
      return `position #${num(d.positionId)} ${num(d.status)}${d.exitReason ? ` (${String(d.exitReason)})` : ''}`;
    case 'first-order':
      return `first order (${num(d.orders)} in all)`;
    case 'last-order':
      return 'last order';
    case 'row-created':
      return `stop row created (position_id ${num(d.positionId)}, ${num(d.side)}, entry ${num(d.entryPrice)})`;
    case 'row-activated':
      return 'stop row activated';
    case 'row-updated':
      return `stop row last updated (update_count ${num(d.updateCount)})`;
    case 'trailing_stop_created':
      return `created in memory: ${num(d.side)}, entry ${num(d.entry_price)}, activation ${num(d.activation_price)}`;
    case 'trailing_stop_activated':
      return `activated at ${num(d.activation_price)}, stop ${num(d.stop_price)}`;
    case 'trailing_stop_updated':
      return d.action === 'skipped'
        ? `update skipped (${num(d.skip_reason)}), update_count ${num(d.update_count)}`
        : `stop moved ${num(d.old_stop)} -> ${num(d.new_stop)}, peak ${num(d.highest_price ?? d.lowest_price)}, update_count ${num(d.update_count)}`;
    case 'trailing_stop_sl_updated':
      return `exchange stop moved ${num(d.old_sl_price)} -> ${num(d.new_sl_price)}`;
    case 'trailing_stop_sl_update_failed':
      return 'exchange stop move failed';
    case 'trailing_stop_removed':
      return `removed from memory (${num(d.reason)}; was ${num(d.state)})`;
    case 'warning_raised':
      return d.warning_type === 'ts_side_mismatch_on_restore'
        ? `the restart deleted its row: row side ${num(d.ts_side_db)}, position side ${num(d.position_side_exchange)}`
        : `warning: ${num(d.warning_type)}`;
    default:
      return kind;
  }
}

/** The lags an incident report wants: memory creation against the row, position opening against both. */
function lags(entries: TimelineEntry[]): string[] {
  const out: string[] = [];
  const opened = [...entries].reverse().find((e) => e.kind === 'position-opened');
  const created = entries.find((e) => e.kind === 'trailing_stop_created' && (!opened || e.at.getTime() >= opened.at.getTime() - 60_000));
  const row = entries.find((e) => e.kind === 'row-created');
  if (created && row) {
    const seconds = (row.at.getTime() - created.at.getTime()) / 1000;
    if (seconds > 1) out.push(`created in memory ${utcText(created.at)} per the journal, row created ${utcText(row.at)}: not saved for ${formatSpan(seconds)}`);
  } else if (created && !row) {
    out.push(`created in memory ${utcText(created.at)} per the journal, and no row: it lives only in memory, or its creation failed`);
  }
  if (opened && row && !created) {
    const seconds = (row.at.getTime() - opened.at.getTime()) / 1000;
    if (seconds > 60) out.push(`position opened ${utcText(opened.at)}, row created ${utcText(row.at)}: ${formatSpan(seconds)} later`);
  }
  return out;
}
