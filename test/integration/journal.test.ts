// The memory side from the bot's event journal (--from-events) and any past moment (--as-of), on a
// journal written with the payloads of docs/bot.md#the-event-journal around a restart.
import { describe, expect, it } from 'vitest';
import { runDbCommand } from '../../src/commands/db-commands.js';
import { runDiff } from '../../src/commands/diff.js';
import { UsageError } from '../../src/errors.js';
import type { Report } from '../../src/report/types.js';
import { fixture, useScenario } from '../support/db.js';
import { auditOptions, diffOptions } from '../support/options.js';

const line = (f: Report['findings'][number]) => `${f.check} ${f.severity} ${f.exchange} ${f.symbol}`;
const ctx = { env: {}, now: () => new Date() };
const BEFORE_RESTART = new Date('2026-03-01T11:59:59Z');

describe('the event journal', () => {
  const db = useScenario('current', fixture('journal.sql'));
  const fromEvents = (extra = {}) => ({ ...diffOptions(db.url, ''), dump: undefined, fromEvents: true, ...extra });

  it('shows what memory held and the table lacked one second before the restart', async () => {
    const report = await runDiff(fromEvents({ asOf: BEFORE_RESTART }), ctx);
    expect(report.findings.map(line).sort()).toEqual([
      'field-drift high bybit BUSDT',
      'missing-in-db critical binance CUSDT',
      'missing-in-db high binance DUSDT',
      'missing-in-db high bybit EUSDT',
      'missing-in-db high bybit FUSDT',
    ]);
    const drift = report.findings.find((f) => f.symbol === 'BUSDT');
    expect(drift?.evidence.restartLoses).toEqual({ highest_price: '0.1', current_stop_price: '0.1' });
    expect(report.findings.find((f) => f.symbol === 'FUSDT')?.message).toMatch(/journal cannot tell it from a creation that failed.*trails nothing/);
    expect(report.dump).toMatchObject({ format: 'journal', stops: 6 });
    expect(report.dump?.source).toMatch(/monitoring\.events, replayed from the restart at 2026-03-01 08:00:00 UTC/);
    expect(report.summary.restart).toMatchObject({ restored: 2, openPositions: 7 - 1 });
    expect(report.notes.join(' ')).toMatch(/As of 2026-03-01 11:59:59 UTC.*cannot be known/);
  });

  it('finds nothing missing after the restart recreated the stops', async () => {
    const report = await runDiff(fromEvents(), ctx);
    expect(report.findings.map(line)).toEqual([]);
    expect(report.dump).toMatchObject({ format: 'journal', stops: 6 });
    expect(report.dump?.source).toMatch(/replayed from the restart at 2026-03-01 12:00:00 UTC/);
  });

  it('weighs the restart simulation with the journal: the stop activated only in memory is critical', async () => {
    const report = await runDbCommand('restore', { ...auditOptions(db.url), fromEvents: true, asOf: BEFORE_RESTART }, ctx);
    expect(report.findings.filter((f) => f.check === 'restore-loss').map(line).sort()).toEqual([
      'restore-loss critical binance CUSDT',
      'restore-loss high binance DUSDT',
      'restore-loss high bybit EUSDT',
      'restore-loss high bybit FUSDT',
    ]);
  });

  it('judges checks as of a past moment, skipping those that read values as they are now', async () => {
    const report = await runDbCommand('check', auditOptions(db.url, { asOf: BEFORE_RESTART }), ctx);
    expect(report.skipped.map((s) => s.check).sort()).toEqual(['flag-mismatch', 'lifecycle-missing', 'lifecycle-orphaned', 'lifecycle-reentry-peak', 'lifecycle-reset', 'stale-stop']);
    expect(report.summary.openPositions).toBe(6);
    expect(report.findings.filter((f) => f.check === 'unprotected-position').map((f) => f.symbol).sort()).toEqual(['CUSDT', 'DUSDT', 'EUSDT', 'FUSDT']);
    // GUSDT was open at 10:30 and had a row then.
    const earlier = await runDbCommand('orphans', auditOptions(db.url, { asOf: new Date('2026-03-01T10:30:00Z') }), ctx);
    expect(earlier.summary.openPositions).toBe(7);
    const unprotected = earlier.findings.filter((f) => f.check === 'unprotected-position');
    expect(unprotected.map((f) => f.symbol).sort()).toEqual(['CUSDT', 'DUSDT', 'EUSDT', 'FUSDT', 'GUSDT']);
    // Its row was deleted at 11:00: as of 10:30 that finding cannot be certain, and says so.
    expect(unprotected.find((f) => f.symbol === 'GUSDT')?.message).toMatch(/uncertain: its row was deleted later, at 2026-03-01 11:00:00 UTC/);
    expect(earlier.notes.join(' ')).toMatch(/Rows deleted after the moment cannot be seen as they were: binance GUSDT/);
  });

  it('finds the stops not saved at creation from the database alone, before and after the restart', async () => {
    const after = await runDbCommand('check', auditOptions(db.url, { checks: ['unsaved-at-creation'] }), ctx);
    expect(after.findings.map((f) => `${f.severity} ${f.symbol}`).sort()).toEqual(['medium CUSDT', 'medium DUSDT', 'medium EUSDT', 'medium FUSDT']);
    expect(after.findings[0]?.evidence.savedByRestartAt).toEqual(new Date('2026-03-01T12:00:00Z'));
    const before = await runDbCommand('check', auditOptions(db.url, { checks: ['unsaved-at-creation'], asOf: BEFORE_RESTART }), ctx);
    expect(before.findings.map((f) => `${f.severity} ${f.symbol}`).sort()).toEqual(['high CUSDT', 'high DUSDT', 'high EUSDT', 'high FUSDT']);
  });

  it('shows a symbol\'s timeline: position, journal events, restarts, row, and the lag between memory and row', async () => {
    const { runTimeline } = await import('../../src/commands/timeline.js');
    const t = await runTimeline(auditOptions(db.url, { symbols: ['cusdt'] }), ctx);
    expect(t.symbols.map((s) => `${s.exchange} ${s.symbol}`)).toEqual(['binance CUSDT']);
    const [c] = t.symbols;
    expect(c?.entries.map((e) => `${e.at.toISOString().slice(11, 19)} ${e.kind}`)).toEqual([
      '08:00:00 restart',
      '10:00:00 position-opened',
      '10:00:01 trailing_stop_created',
      '10:30:00 trailing_stop_activated',
      '12:00:00 restart',
      '12:00:01 row-created',
      '12:00:01 row-updated',
      '12:00:01 trailing_stop_created',
    ]);
    expect(c?.entries.find((e) => e.kind === 'trailing_stop_activated')?.summary).toBe('activated at 3.03, stop 3.015');
    expect(c?.lags).toEqual(['created in memory 2026-03-01 10:00:01 UTC per the journal, row created 2026-03-01 12:00:01 UTC: not saved for 2h']);
    const window = await runTimeline({ ...auditOptions(db.url), from: new Date('2026-03-01T10:59:00Z'), until: new Date('2026-03-01T11:01:00Z') }, ctx);
    expect(window.symbols.flatMap((s) => s.entries.map((e) => `${s.symbol} ${e.kind}`))).toEqual([]);
    const closed = await runTimeline({ ...auditOptions(db.url, { symbols: ['GUSDT'] }), from: new Date('2026-03-01T10:59:00Z'), until: new Date('2026-03-01T11:01:00Z') }, ctx);
    expect(closed.symbols[0]?.entries.map((e) => e.kind)).toEqual(['position-closed', 'trailing_stop_removed']);
  });

  it('refuses a moment in the future or before the journal', async () => {
    const future = await runDiff(fromEvents({ asOf: new Date('2099-01-01T00:00:00Z') }), ctx).catch((e: unknown) => e);
    expect(future).toBeInstanceOf(UsageError);
    expect((future as Error).message).toMatch(/--as-of 2099-01-01 00:00:00 UTC is in the future/);
    const early = await runDbCommand('check', auditOptions(db.url, { asOf: new Date('2026-02-01T00:00:00Z') }), ctx).catch((e: unknown) => e);
    expect((early as Error).message).toMatch(/before the event journal's first event \(2026-03-01 08:00:00 UTC\)/);
  });
});

describe('a database without the journal', () => {
  const db = useScenario('tz', fixture('failure-modes.sql'), 'DROP TABLE monitoring.events;');

  it('skips the checks that read it, says so, and refuses --from-events with the table named', async () => {
    const report = await runDbCommand('check', auditOptions(db.url), ctx);
    expect(report.skipped).toContainEqual({ check: 'unsaved-at-creation', reason: 'the database has no table monitoring.events' });
    expect(report.findings.length).toBeGreaterThan(0);
    const refused = await runDiff({ ...diffOptions(db.url, ''), dump: undefined, fromEvents: true }, ctx).catch((e: unknown) => e);
    expect((refused as Error).message).toBe("table monitoring.events not found: --from-events and --as-of read the bot's event journal");
  });
});
