// The memory side from the bot's event journal (--from-events) and any past moment (--as-of), on a
// journal in the order the bot writes it: sessions opened by bot_started after a start-up that leaves
// no event, a crash between them, a stop the start-up recreated, and a dropped batch.
import { describe, expect, it } from 'vitest';
import { runDbCommand } from '../../src/commands/db-commands.js';
import { runDiff } from '../../src/commands/diff.js';
import { UsageError } from '../../src/errors.js';
import type { Finding } from '../../src/checks/types.js';
import type { Report } from '../../src/report/types.js';
import { fixture, useScenario } from '../support/db.js';
import { auditOptions, diffOptions, onlyChecks } from '../support/options.js';

const line = (f: Finding) => `${f.check} ${f.severity} ${f.exchange} ${f.symbol}${f.uncertain?.length ? ' uncertain' : ''}`;
const ctx = { env: {}, now: () => new Date() };
/** After session 1's last event (11:00), before the start-up of session 2 wrote its rows (11:59:58). */
const END_OF_SESSION_1 = new Date('2026-03-01T11:30:00Z');
/** After the start-up wrote its rows, a second before bot_started. */
const BEFORE_BOT_STARTED = new Date('2026-03-01T11:59:59Z');
const JUST_AFTER_START = new Date('2026-03-01T12:00:01Z');
const atOrAbove = (level: 'high' | 'medium') => (f: Finding) => (level === 'high' ? ['critical', 'high'] : ['critical', 'high', 'medium']).includes(f.severity);

describe('the event journal, as the bot writes it', () => {
  const db = useScenario('current', fixture('journal.sql'));
  const fromEvents = (extra = {}) => ({ ...diffOptions(db.url, ''), dump: undefined, fromEvents: true, ...extra });
  // The diff of the whole journal, which two tests only read: run once, at its first use (before the
  // gap test changes a row).
  let wholeRun: Promise<Report> | undefined;
  const wholeJournal = () => (wholeRun ??= runDiff(fromEvents(), ctx));

  it('at the end of session 1, finds the activated stop that lived only in memory, and says which findings it cannot be sure of', async () => {
    const report = await runDiff(fromEvents({ asOf: END_OF_SESSION_1 }), ctx);
    expect([...report.findings].map(line).sort()).toEqual([
      // AUSDT's row was activated later (12:30): compared as it is now, so uncertain.
      'field-drift high bybit BUSDT',
      'field-drift medium bybit AUSDT uncertain',
      // Its row now was written by the start-up of session 2: it may have replaced one of the moment.
      'missing-in-db critical binance CUSDT uncertain',
      // Their creation is their only event and no row followed: the creation may have failed.
      'missing-in-db high binance DUSDT uncertain',
      'missing-in-db high bybit HUSDT uncertain',
    ]);
    expect([...report.findings].find((f) => f.symbol === 'BUSDT')?.evidence.restartLoses).toEqual({ highest_price: '0.1', current_stop_price: '0.1' });
    expect([...report.findings].find((f) => f.symbol === 'DUSDT')?.uncertain?.[0]).toMatch(/creation may have failed after it was journaled/);
    // HUSDT's row now was written by the start-up of session 2: it may have replaced the row of the moment.
    expect([...report.findings].find((f) => f.symbol === 'HUSDT')?.message).toMatch(
      /written by the start-up of the session at 2026-03-01 12:00:00 UTC, which may have replaced/,
    );
    expect(report.summary.uncertain).toBe(4);
    expect(report.dump?.source).toMatch(/replayed from the session started at 2026-03-01 08:00:00 UTC \(its bot_started event\)/);
  });

  it('leaves out the rows the next start-up wrote before bot_started, and still finds the stop only memory held', async () => {
    const report = await runDiff(fromEvents({ asOf: BEFORE_BOT_STARTED }), ctx);
    const c = [...report.findings].find((f) => f.symbol === 'CUSDT');
    expect(c).toMatchObject({ check: 'missing-in-db', severity: 'critical' });
    expect(c?.uncertain?.join(' ')).toMatch(/written by the start-up of the session at 2026-03-01 12:00:00 UTC/);
    expect(
      [...report.findings]
        .filter((f) => f.check === 'field-drift')
        .map((f) => f.symbol)
        .sort(),
    ).toEqual(['AUSDT', 'BUSDT']);
    expect(report.notes.join(' ')).toMatch(
      /Rows written by the start-up of the next session \(2026-03-01 12:00:00 UTC\) are left out of the moment: binance CUSDT, binance DUSDT, bybit HUSDT/,
    );
    expect(report.notes.join(' ')).toMatch(/after this session's last event \(2026-03-01 11:00:00 UTC\)/);
  });

  it('just after bot_started: memory is what the start-up left, and nothing at or above medium is invented', async () => {
    const report = await runDiff(fromEvents({ asOf: JUST_AFTER_START }), ctx);
    expect([...report.findings].filter(atOrAbove('medium')).map(line)).toEqual([]);
    expect(report.dump).toMatchObject({ format: 'journal', stops: 5 });
    const notes = report.notes.join(' ');
    expect(notes).toMatch(
      /memory at 2026-03-01 12:00:00 UTC is taken as the 2 rows it restored, the 3 rows it wrote itself \(created after the previous session's last event: binance CUSDT, binance DUSDT, bybit HUSDT\) and 0 fresh stops/,
    );
    expect(notes).toMatch(/The session before ended without bot_stopped: the bot crashed after its last event, at 2026-03-01 11:00:00 UTC/);
    const restore = await runDbCommand('restore', { ...auditOptions(db.url), fromEvents: true, asOf: JUST_AFTER_START }, ctx);
    expect([...restore.findings].filter(atOrAbove('medium')).map(line)).toEqual([]);
  });

  it('at the end of session 2 carries nothing across the restart: diff and restore invent nothing at or above high', async () => {
    const report = await wholeJournal();
    // CUSDT's activation of session 1 is not in memory: the start-up recreated it fresh, and it activated again.
    expect([...report.findings].filter(atOrAbove('high')).map(line)).toEqual([]);
    expect([...report.findings].map(line)).toEqual([]);
    expect(report.dump).toMatchObject({ format: 'journal', stops: 6 });
    expect(report.dump?.source).toMatch(/replayed from the session started at 2026-03-01 12:00:00 UTC/);
    const restore = await runDbCommand('restore', { ...auditOptions(db.url), fromEvents: true }, ctx);
    expect([...restore.findings].filter(atOrAbove('high')).map(line)).toEqual([]);
  });

  it('says where the journal itself shows a gap: a first update whose old stop the replay never held', async () => {
    const report = await wholeJournal();
    expect(report.notes.join(' ')).toMatch(
      /The journal itself shows gaps: bybit AUSDT: the journal shows a gap: its first update of the session \(2026-03-01 12:40:00 UTC\) moved the stop from 1\.005, but the replay held no stop \(not activated\) then/,
    );
    // A finding about AUSDT carries it: its row made to disagree with memory.
    await db.exec("UPDATE monitoring.trailing_stop_state SET update_count = 7 WHERE symbol = 'AUSDT'");
    try {
      const drift = [...(await runDiff(fromEvents(), ctx)).findings].find((f) => f.symbol === 'AUSDT');
      expect(drift).toMatchObject({ check: 'field-drift', severity: 'low' });
      expect(drift?.uncertain?.[0]).toMatch(/^the journal shows a gap/);
    } finally {
      await db.exec("UPDATE monitoring.trailing_stop_state SET update_count = 1 WHERE symbol = 'AUSDT'");
    }
  });

  it("weighs the restart simulation with session 1's memory: the stop activated only in memory is critical", async () => {
    const report = await runDbCommand('restore', { ...auditOptions(db.url), fromEvents: true, asOf: END_OF_SESSION_1 }, ctx);
    expect(
      [...report.findings]
        .filter((f) => f.check === 'restore-loss')
        .map(line)
        .sort(),
    ).toEqual(['restore-loss critical binance CUSDT uncertain', 'restore-loss high binance DUSDT uncertain', 'restore-loss high bybit HUSDT uncertain']);
  });

  it('judges checks as of a past moment, skipping those that read values as they are now', async () => {
    const report = await runDbCommand('check', auditOptions(db.url, { asOf: END_OF_SESSION_1 }), ctx);
    expect(report.skipped.map((s) => s.check).sort()).toEqual([
      'flag-mismatch',
      'lifecycle-missing',
      'lifecycle-orphaned',
      'lifecycle-reentry-peak',
      'lifecycle-reset',
      'stale-stop',
    ]);
    expect(report.summary.openPositions).toBe(5);
    expect(
      [...report.findings]
        .filter((f) => f.check === 'unprotected-position')
        .map((f) => f.symbol)
        .sort(),
    ).toEqual(['CUSDT', 'DUSDT', 'HUSDT']);
    // GUSDT was open at 10:30 and had a row then.
    const earlier = await runDbCommand('orphans', auditOptions(db.url, { asOf: new Date('2026-03-01T10:30:00Z') }), ctx);
    const unprotected = [...earlier.findings].filter((f) => f.check === 'unprotected-position');
    expect(unprotected.map((f) => f.symbol).sort()).toEqual(['CUSDT', 'DUSDT', 'GUSDT', 'HUSDT']);
    // Its row was deleted at 11:00: as of 10:30 that finding cannot be certain, and says so.
    const g = unprotected.find((f) => f.symbol === 'GUSDT');
    expect(g?.message).toMatch(/uncertain: its row was deleted later, at 2026-03-01 11:00:00 UTC/);
    expect(g?.evidence.rowDeletedAt).toEqual(new Date('2026-03-01T11:00:00Z'));
    expect(earlier.notes.join(' ')).toMatch(/Rows deleted after the moment cannot be seen as they were: binance GUSDT/);
  });

  it('finds the stops not saved at creation, and knows the rows a start-up wrote before its bot_started', async () => {
    const after = await runDbCommand('check', auditOptions(db.url, onlyChecks('unsaved-at-creation')), ctx);
    expect([...after.findings].map((f) => `${f.severity} ${f.symbol}`).sort()).toEqual(['medium CUSDT', 'medium DUSDT', 'medium HUSDT']);
    const c = [...after.findings].find((f) => f.symbol === 'CUSDT');
    expect(c?.evidence.savedByRestartAt).toEqual(new Date('2026-03-01T12:00:00Z'));
    expect(c?.message).toMatch(/written by the start-up of the session that began at 2026-03-01 12:00:00 UTC/);
    const before = await runDbCommand('check', auditOptions(db.url, { ...onlyChecks('unsaved-at-creation'), asOf: END_OF_SESSION_1 }), ctx);
    expect([...before.findings].map((f) => `${f.severity} ${f.symbol}`).sort()).toEqual(['high CUSDT', 'high DUSDT', 'high HUSDT']);
  });

  it("shows each session start, and the crash before the second, in every symbol's timeline", async () => {
    const { runTimeline } = await import('../../src/commands/timeline.js');
    const t = await runTimeline(auditOptions(db.url, { symbols: ['cusdt'] }), ctx);
    const [c] = t.symbols;
    expect(c?.entries.map((e) => `${e.at.toISOString().slice(11, 19)} ${e.kind}`)).toEqual([
      '08:00:00 session-start',
      '10:00:00 position-opened',
      '10:00:01 trailing_stop_created',
      '10:30:00 trailing_stop_activated',
      '11:00:00 session-crashed',
      '11:59:58 row-created',
      '12:00:00 session-start',
      '13:00:00 row-activated',
      '13:00:00 row-updated',
      '13:00:00 trailing_stop_activated',
    ]);
    expect(c?.entries.find((e) => e.kind === 'session-crashed')?.summary).toBe(
      "the bot crashed after this, its session's last event: the next session started at 2026-03-01 12:00:00 UTC without a bot_stopped",
    );
    expect(c?.entries.filter((e) => e.kind === 'session-start').map((e) => e.summary)).toEqual([
      'the bot started (bot_started)',
      'the bot started (bot_started) after a crash; its start-up left no event',
    ]);
    expect(t.sessions).toEqual([
      {
        startedAt: new Date('2026-03-01T08:00:00Z'),
        marker: 'bot_started',
        stoppedAt: null,
        crashed: true,
        lastEventAt: new Date('2026-03-01T11:00:00Z'),
        firstEventAt: new Date('2026-03-01T09:00:01Z'),
      },
      {
        startedAt: new Date('2026-03-01T12:00:00Z'),
        marker: 'bot_started',
        stoppedAt: null,
        crashed: false,
        lastEventAt: new Date('2026-03-01T13:00:00Z'),
        firstEventAt: new Date('2026-03-01T12:10:01Z'),
      },
    ]);
    expect(t.restarts).toEqual([new Date('2026-03-01T08:00:00Z'), new Date('2026-03-01T12:00:00Z')]);
    expect(c?.lags).toEqual(['created in memory 2026-03-01 10:00:01 UTC per the journal, row created 2026-03-01 11:59:58 UTC: not saved for 1h 59m']);
    const closed = await runTimeline(
      { ...auditOptions(db.url, { symbols: ['GUSDT'] }), from: new Date('2026-03-01T10:59:00Z'), until: new Date('2026-03-01T11:01:00Z') },
      ctx,
    );
    expect(closed.symbols[0]?.entries.map((e) => e.kind)).toEqual(['position-closed', 'session-crashed', 'trailing_stop_removed']);
  });

  it('refuses a moment in the future or before the journal', async () => {
    const future = await runDiff(fromEvents({ asOf: new Date('2099-01-01T00:00:00Z') }), ctx).catch((e: unknown) => e);
    expect(future).toBeInstanceOf(UsageError);
    expect((future as Error).message).toMatch(/--as-of 2099-01-01 00:00:00 UTC is in the future/);
    const early = await runDbCommand('check', auditOptions(db.url, { asOf: new Date('2026-02-01T00:00:00Z') }), ctx).catch((e: unknown) => e);
    expect((early as Error).message).toMatch(/before the event journal's first event \(2026-03-01 08:00:00 UTC\)/);
  });
});

describe('a row on the other side from its position, still there after a start-up', () => {
  // HUSDT's stale short row survived session 2's start-up (it should have been deleted and recreated).
  const db = useScenario(
    'current',
    fixture('journal.sql'),
    "UPDATE monitoring.trailing_stop_state SET side = 'short', entry_price = 8.5, position_id = 9, highest_price = 999999, lowest_price = 8.5, created_at = '2026-03-01 05:00:01+00' WHERE symbol = 'HUSDT';",
  );

  it("is taken as replaced by a fresh stop on the position's side, and its finding says that is assumed, not seen", async () => {
    const report = await runDiff({ ...diffOptions(db.url, ''), dump: undefined, fromEvents: true }, ctx);
    const h = [...report.findings].filter((f) => f.symbol === 'HUSDT');
    expect(h.map(line)).toEqual(['field-drift critical bybit HUSDT uncertain']);
    expect(h[0]?.message).toMatch(/the row is short but the position is long/);
    expect(h[0]?.uncertain?.[0]).toMatch(
      /^its row \(short, created 2026-03-01 05:00:01 UTC\) is on the other side from its position \(long\): the start-up at 2026-03-01 12:00:00 UTC deletes such a row/,
    );
  });
});

describe('a session that journals nothing after its start', () => {
  // Session 2 stops cleanly at 14:00; session 3 starts at 14:05 and its logger writes nothing more.
  const db = useScenario(
    'current',
    fixture('journal.sql'),
    "INSERT INTO monitoring.events (event_type, created_at, event_data) VALUES ('bot_stopped', '2026-03-01 14:00:00+00', '{}'), ('bot_started', '2026-03-01 14:05:00+00', '{}');",
  );
  const fromEvents = (extra = {}) => ({ ...diffOptions(db.url, ''), dump: undefined, fromEvents: true, ...extra });

  it('is memory unknown, never memory empty nor a clean diff: every open position says so, and every finding is uncertain', async () => {
    const report = await runDiff(fromEvents(), ctx);
    expect([...report.findings].map(line)).toEqual([
      'journal-gap high binance CUSDT uncertain',
      'journal-gap high binance DUSDT uncertain',
      'journal-gap high binance KUSDT uncertain',
      'journal-gap high bybit AUSDT uncertain',
      'journal-gap high bybit BUSDT uncertain',
      'journal-gap high bybit HUSDT uncertain',
    ]);
    expect(report.summary.uncertain).toBe(6);
    expect(report.notes.join(' ')).toMatch(/Memory unknown: the session that started at 2026-03-01 14:05:00 UTC has no event in the journal since/);
    // It stopped cleanly: no crash is claimed.
    expect(report.notes.join(' ')).not.toMatch(/crashed/);
    const check = await runDbCommand('check', auditOptions(db.url, onlyChecks('journal-gap')), ctx);
    expect(check.findings).toHaveLength(6);
  });

  it('rescue --from-events names every open position whose memory is unknown as left out, and writes nothing for them', async () => {
    const { planRescue } = await import('../../src/commands/rescue.js');
    const plan = await planRescue({ ...fromEvents(), deleteStale: false }, ctx);
    const gaps = plan.leftOut.filter((l) => l.check === 'journal-gap');
    expect(gaps.map((l) => `${l.exchange} ${l.symbol}`).sort()).toEqual([
      'binance CUSDT',
      'binance DUSDT',
      'binance KUSDT',
      'bybit AUSDT',
      'bybit BUSDT',
      'bybit HUSDT',
    ]);
    expect(gaps[0]?.reason).toMatch(/^diff reports journal-gap \(high\): memory unknown: .*; not repaired by the script: /);
    expect(plan.statements.filter((st) => gaps.some((g) => g.symbol === st.symbol && g.exchange === st.exchange))).toEqual([]);
  });

  it('between a bot_stopped and the next start, memory is what the bot held when it stopped', async () => {
    const report = await runDiff(fromEvents({ asOf: new Date('2026-03-01T14:02:00Z') }), ctx);
    expect(report.notes.join(' ')).toMatch(/The bot stopped at 2026-03-01 14:00:00 UTC \(bot_stopped\): memory is what it held when it stopped/);
    expect([...report.findings].filter((f) => f.check === 'journal-gap')).toEqual([]);
  });
});

describe('an older journal, whose sessions start at positions_loaded', () => {
  const db = useScenario('current', fixture('journal.sql'), "UPDATE monitoring.events SET event_type = 'positions_loaded' WHERE event_type = 'bot_started';");

  it('still takes positions_loaded as the session marker', async () => {
    const report = await runDiff({ ...diffOptions(db.url, ''), dump: undefined, fromEvents: true }, ctx);
    expect([...report.findings].map(line)).toEqual([]);
    expect(report.dump?.source).toMatch(/replayed from the session started at 2026-03-01 12:00:00 UTC \(its positions_loaded event\)/);
  });
});

describe('a database without the journal', () => {
  const db = useScenario('tz', fixture('failure-modes.sql'), 'DROP TABLE monitoring.events;');

  it('skips the checks that read it, says so, and refuses --from-events with the table named', async () => {
    const report = await runDbCommand('check', auditOptions(db.url), ctx);
    expect(report.skipped).toContainEqual({ check: 'unsaved-at-creation', reason: 'the database has no table monitoring.events' });
    expect(report.skipped).toContainEqual({ check: 'journal-gap', reason: 'the database has no table monitoring.events' });
    expect(report.findings.length).toBeGreaterThan(0);
    const refused = await runDiff({ ...diffOptions(db.url, ''), dump: undefined, fromEvents: true }, ctx).catch((e: unknown) => e);
    expect((refused as Error).message).toBe("table monitoring.events not found: --from-events and --as-of read the bot's event journal");
  });
});
