// replayJournal on rows and journal rows as the SQL returns them: what the start-up left, and the gaps
// the journal itself shows.
import { describe, expect, it } from 'vitest';
import { type JournalRow, type JournalSpan, replayJournal } from '../../src/journal/replay.js';
import { position, row } from '../support/checks.js';

const START = new Date('2025-10-26T16:30:34Z');
const span: JournalSpan = {
  first_at: new Date('2025-10-26T08:00:00Z'),
  last_at: null,
  last_start_at: START,
  previous_event_at: new Date('2025-10-26T16:00:00Z'),
};
const journalRow = (extra: Partial<JournalRow> = {}): JournalRow => ({
  exchange: 'bybit',
  symbol: 'RADUSDT',
  created_at: null,
  side: null,
  entry_price: null,
  activation_price: null,
  removed_at: null,
  activated_at: null,
  activation_stop: null,
  moved_at: null,
  new_stop: null,
  highest_price: null,
  lowest_price: null,
  sl_moved_at: null,
  new_sl_price: null,
  update_count: null,
  mismatch_deleted_at: null,
  ...extra,
});

describe('replayJournal', () => {
  it('gives an open position with no row at the start a fresh stop from the position, marked uncertain', () => {
    const r = replayJournal([], [], [position()], span);
    expect(r.stops).toMatchObject([{ symbol: 'RADUSDT', origin: 'startup-fresh', side: 'long', isActivated: false }]);
    expect(r.uncertain.get('bybit\u0000RADUSDT')?.[0]).toMatch(
      /^no row existed at the start-up of 2025-10-26 16:30:34 UTC: it created a fresh stop without an event/,
    );
  });

  it("tells a row the start-up wrote (after the previous session's last event) from a restored one", () => {
    const written = replayJournal([], [row({ created_at: new Date('2025-10-26T16:30:30Z') })], [position()], span);
    expect(written.stops[0]?.origin).toBe('startup-written');
    expect(written.writtenByStartup).toEqual(['bybit\u0000RADUSDT']);
    const restored = replayJournal([], [row()], [position()], span);
    expect(restored.stops[0]?.origin).toBe('journal-restored');
    expect(restored.uncertain.size).toBe(0);
  });

  it('shows a gap when the first move of the session has a peak behind the row it was restored from', () => {
    const restoredRow = row({
      state: 'active',
      is_activated: true,
      highest_price: '1.20000000',
      current_stop_price: '1.10000000',
      activated_at: new Date('2025-10-26T14:00:00Z'),
      last_update_time: new Date('2025-10-26T15:00:00Z'),
    });
    const move = journalRow({
      moved_at: new Date('2025-10-26T17:00:00Z'),
      new_stop: '1.11',
      highest_price: '1.12',
      first_move_at: new Date('2025-10-26T17:00:00Z'),
      first_old_stop: '1.1',
      first_move_highest: '1.12',
    });
    const r = replayJournal([move], [restoredRow], [position()], span);
    expect(r.gaps).toEqual([
      "bybit RADUSDT: the journal shows a gap: its first update of the session (2025-10-26 17:00:00 UTC) had the peak at 1.12, behind its row's 1.2: memory did not start from that row (the start-up replaced it, or events are missing)",
    ]);
    // The same move with the row's peak behind it is continuous.
    expect(replayJournal([{ ...move, first_move_highest: '1.25' }], [restoredRow], [position()], span).gaps).toEqual([]);
  });

  it('shows a gap when a stop created in the session moves with no activation before it', () => {
    const created = journalRow({
      created_at: new Date('2025-10-26T16:40:00Z'),
      side: 'long',
      entry_price: '1.0',
      moved_at: new Date('2025-10-26T17:00:00Z'),
      new_stop: '1.05',
      first_move_at: new Date('2025-10-26T17:00:00Z'),
      first_old_stop: '1.04',
    });
    const r = replayJournal([created], [], [position({ opened_at: new Date('2025-10-26T16:39:59Z') })], span);
    expect(r.gaps[0]).toMatch(/moved the stop from 1\.04, but the replay held no stop \(not activated\) then/);
    expect(replayJournal([{ ...created, prior_stop: '1.04' }], [], [position({ opened_at: new Date('2025-10-26T16:39:59Z') })], span).gaps).toEqual([]);
  });
});
