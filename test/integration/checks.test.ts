import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDbCommand } from '../../src/commands/db-commands.js';
import type { Finding } from '../../src/checks/types.js';
import type { Report } from '../../src/report/types.js';
import { type ScenarioDb, type Variant, createScenario, fixture } from '../support/db.js';
import { auditOptions, fixedNow } from '../support/options.js';

// invalid-stop-row and flag-mismatch name their reason: one finding per reason.
const line = (f: Finding) =>
  `${f.check} ${f.severity} ${f.exchange} ${f.symbol}${['invalid-stop-row', 'flag-mismatch'].includes(f.check) ? ` ${String(f.evidence.reason)}` : ''}`;

describe.each<Variant>(['naive', 'tz'])('database checks on every failure mode (%s timestamps)', (variant) => {
  let db: ScenarioDb;
  let report: Report;
  beforeAll(async () => {
    db = await createScenario(variant, fixture('failure-modes.sql'));
    report = await runDbCommand('check', auditOptions(db.url), fixedNow);
  });
  afterAll(async () => db?.drop());

  it('reports each failure mode with the intended check and severity, and nothing else', () => {
    expect([...report.findings].map(line).sort()).toEqual(
      [
        'entry-price-mismatch high binance MICROUSDT',
        'entry-price-mismatch high bybit REOPENUSDT',
        'entry-price-mismatch high bybit ZEROENTRYUSDT',
        'flag-mismatch low binance NOROWUSDT has-trailing-stop-without-row',
        'flag-mismatch low binance TSFALSEUSDT has-trailing-stop-false',
        'flag-mismatch low bybit TRAILACTUSDT trailing-activated-mismatch',
        'invalid-stop-row high binance LEGACYUSDT legacy-case',
        'invalid-stop-row high binance SENTINELUSDT sentinel-on-tracked-side',
        'invalid-stop-row high binance ZEROCBUSDT zero-callback',
        'invalid-stop-row high bybit FLAGACTUSDT activation-flag-mismatch',
        'invalid-stop-row high bybit STOPHIGHUSDT stop-beyond-peak',
        'invalid-stop-row high bybit ZEROENTRYUSDT entry-price-zero',
        'late-persisted medium binance LATEAUSDT',
        'late-persisted medium binance LATECUSDT',
        'late-persisted medium bybit LATEBUSDT',
        'orphaned-stop medium binance ORPHANUSDT',
        'recreated-position info binance MICROUSDT', // its first order belongs to the previous position
        'recreated-position info bybit REOPENUSDT',
        'restore-loss high binance NOROWUSDT',
        'restore-loss high bybit SIDEBADUSDT',
        'side-mismatch critical bybit SIDEBADUSDT',
        'stale-position-link medium binance MICROUSDT',
        'stale-position-link medium bybit REOPENUSDT',
        'stale-restore high binance MICROUSDT',
        'stale-restore high bybit REOPENUSDT',
        'stale-restore high bybit ZEROENTRYUSDT',
        'stale-stop low bybit STALEUSDT',
        'unprotected-position high binance NOROWUSDT',
      ].sort(),
    );
  });

  it('never reports the clean controls', () => {
    expect([...report.findings].filter((f) => f.symbol.startsWith('CLEAN'))).toEqual([]);
  });

  it('flags a micro-priced stop from an older position that the bot clean-up rule misses', () => {
    const micro = [...report.findings].find((f) => f.check === 'entry-price-mismatch' && f.symbol === 'MICROUSDT');
    expect(micro?.evidence).toMatchObject({
      positionEntryPrice: '0.00001234',
      stopEntryPrice: '0.00001111',
      absoluteDifference: '0.00000123',
      caughtByCleanupRule: false,
    });
    const reopen = [...report.findings].find((f) => f.check === 'entry-price-mismatch' && f.symbol === 'REOPENUSDT');
    expect(reopen?.evidence.caughtByCleanupRule).toBe(true);
  });

  it('predicts the restart by hand-countable rules: 16 of 18 open positions restored', async () => {
    expect(report.summary.restart).toEqual({ restored: 16, openPositions: 18, percent: 88, text: '16/18 open positions would get their stop back (88%)' });
    // check counts the restored in diff-summary and reads only the reportable rows; restore reads them all.
    expect((await runDbCommand('restore', auditOptions(db.url), fixedNow)).summary.restart).toEqual(report.summary.restart);
    expect(report.summary).toMatchObject({ openPositions: 18, stopsInDb: 18, stopsInMemory: null });
  });

  it('finds the restart burst in the timestamps', async () => {
    const ts = await runDbCommand('timestamps', { ...auditOptions(db.url), displayTimezone: 'Asia/Dubai' }, fixedNow);
    expect(ts.details?.burst).toMatchObject({ stops: 3, minute: new Date('2025-10-26T16:30:00Z') });
    expect(ts.details?.burst?.text).toMatch(/^3 stop rows were created within one minute \(2025-10-26 16:30 UTC\), 3h 24m to 3h 40m after/);
    const late = ts.details?.timestamps?.find((t) => t.symbol === 'LATECUSDT');
    expect(late).toMatchObject({ positionOpenedAt: new Date('2025-10-26T12:49:54Z'), late: true });
    expect(Math.round(late?.lagSeconds ?? 0)).toBe(3 * 3600 + 40 * 60 + 41);
  });

  it('restore lists every open position with its outcome and reason', async () => {
    const r = await runDbCommand('restore', auditOptions(db.url), fixedNow);
    const outcomes = Object.fromEntries((r.details?.restore ?? []).map((d) => [d.symbol, d.outcome]));
    expect(outcomes).toMatchObject({ NOROWUSDT: 'created-new', SIDEBADUSDT: 'deleted-and-recreated', CLEANSHORTUSDT: 'restored', LEGACYUSDT: 'restored' });
    expect(r.details?.restore?.find((d) => d.symbol === 'SIDEBADUSDT')?.reason).toBe("row side 'short' differs from position side 'long'");
    // In exchange, then symbol order (the query leaves its rows unsorted; the command sorts them).
    const keys = (r.details?.restore ?? []).map((d) => [d.exchange, d.symbol] as const);
    expect(keys.length).toBeGreaterThan(5);
    expect(new Set(keys.map(([e]) => e)).size).toBeGreaterThan(1);
    expect(keys).toEqual([...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)));
  });

  it('filters by exchange, symbol and since', async () => {
    const bybit = await runDbCommand('check', { ...auditOptions(db.url), exchanges: ['bybit'] }, fixedNow);
    expect(new Set([...bybit.findings].map((f) => f.exchange))).toEqual(new Set(['bybit']));
    const one = await runDbCommand('orphans', { ...auditOptions(db.url), symbols: ['ORPHANUSDT', 'NOROWUSDT'] }, fixedNow);
    expect([...one.findings].map((f) => `${f.check} ${f.symbol}`).sort()).toEqual(['orphaned-stop ORPHANUSDT', 'unprotected-position NOROWUSDT']);
    const since = await runDbCommand('timestamps', { ...auditOptions(db.url), since: new Date('2025-10-26T12:00:00Z') }, fixedNow);
    expect(since.details?.timestamps?.map((t) => t.symbol).sort()).toEqual(['LATEAUSDT', 'LATEBUSDT', 'LATECUSDT']);
  });
});
