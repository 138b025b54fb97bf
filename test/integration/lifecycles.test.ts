// The current bot's signal lifecycles against a real server: what check, restore and diff say about
// the exit a restart would reset, on rows written as the bot writes them (test/fixtures/lifecycles.sql).
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { runDbCommand } from '../../src/commands/db-commands.js';
import { showQuery } from '../../src/commands/queries.js';
import { runDiff } from '../../src/commands/diff.js';
import type { Finding } from '../../src/checks/types.js';
import type { Report } from '../../src/report/types.js';
import { DatabaseError } from '../../src/errors.js';
import { LIFECYCLE_QUERY, type LifecyclePositionRow } from '../../src/lifecycles/judge.js';
import { queryParams } from '../../src/run/options.js';
import { openAuditSnapshot } from '../../src/run/snapshot.js';
import { fixture, useScenario, withClient } from '../support/db.js';
import { stopsDump, writeDump } from '../support/dumps.js';
import { BEFORE_RESTART, writeLifecycleLog } from '../support/lifecycle-logs.js';
import { auditOptions, diffOptions } from '../support/options.js';

const line = (f: Finding) => `${f.check} ${f.severity} ${f.exchange} ${f.symbol}`;
const lifecycleLines = (r: Report) =>
  [...r.findings]
    .filter((f) => f.check.startsWith('lifecycle-'))
    .map(line)
    .sort();
const ctx = { env: {}, now: () => new Date('2026-03-02T12:00:00Z') };
const PERCENTS = 'UPDATE monitoring.positions SET trailing_activation_percent = 10, trailing_callback_percent = 3 WHERE signal_id IS NOT NULL;';

const EXPECTED = [
  'lifecycle-missing high binance NOLCUSDT',
  'lifecycle-orphaned info bybit GHOSTUSDT',
  'lifecycle-reentry-peak info binance REENTRYUSDT',
  'lifecycle-reset critical binance PEAKAUSDT',
  'lifecycle-reset critical binance PEAKBUSDT',
  'lifecycle-reset high bybit ARMEDUSDT',
  'lifecycle-reset info binance LOWUSDT',
];

describe.each(['current', 'naive'] as const)('signal lifecycles (%s positions)', (variant) => {
  const db =
    variant === 'current'
      ? useScenario('current', fixture('lifecycles.sql'), PERCENTS)
      : useScenario('naive', fixture('signal-lifecycles.sql'), fixture('lifecycles.sql'));
  // The tests below only read these reports: each audit runs once for them all, at its first use.
  let checkRun: Promise<Report> | undefined;
  let diffRun: Promise<Report> | undefined;
  const check = () => (checkRun ??= runDbCommand('check', auditOptions(db.url), ctx));
  const diffFromEvents = () => (diffRun ??= runDiff({ ...diffOptions(db.url, ''), dump: undefined, fromEvents: true }, ctx));

  it('check flags the exits a restart resets and the position without a lifecycle, and nothing at high or above below activation', async () => {
    const report = await check();
    expect(lifecycleLines(report)).toEqual(EXPECTED);
    expect([...report.findings].filter((f) => f.symbol === 'CLEANUSDT')).toEqual([]);
    const a = [...report.findings].find((f) => f.check === 'lifecycle-reset' && f.symbol === 'PEAKAUSDT');
    // The peak since the open from the mark prices (the event before the open and the non-number left out).
    expect(a?.evidence).toMatchObject({ peak: expect.objectContaining({}), rowMaxPrice: expect.objectContaining({}), reason: 'latch-reset' });
    expect(String(a?.evidence.peak)).toBe('1.155');
    expect(String(a?.evidence.exitFromPeak)).toBe('1.12035');
    expect(String(a?.evidence.exitFromRow)).toBe('0.97');
    expect(String(a?.evidence.activationPrice)).toBe('1.1');
    expect(a?.message).toMatch(/disarms an armed exit.*stop row is activated.*positions\.trailing_activated.*1\.155/);
    expect(a?.evidence.onRestart).toBe('exit peak 1.155 -> 1, latch armed -> disarmed');
    const b = [...report.findings].find((f) => f.symbol === 'PEAKBUSDT');
    expect(b?.evidence.armedBy).toEqual([
      'the price since the open reached 2.31 (position_updated events since the open), at or above the activation price 2.2',
    ]);
    const armed = [...report.findings].find((f) => f.symbol === 'ARMEDUSDT');
    expect(String(armed?.evidence.exitFromPeak)).toBe('5.432');
    expect(String(armed?.evidence.exitFromRow)).toBe('5.335');
    const missing = [...report.findings].find((f) => f.check === 'lifecycle-missing');
    expect(missing?.message).toMatch(/no lifecycle row: after a restart it has no trailing exit.*7 lifecycle rows in the table/);
    if (variant === 'current') expect(missing?.message).toMatch(/strategy's percents \(activation 10\.0000%, callback 3\.0000%\)/);
  });

  it('the restart line is not 100% while lifecycles would be reset', async () => {
    const report = await check();
    // Six open positions, each with its stop row: the rows alone would read 6/6.
    expect(report.summary.restart).toMatchObject({ openPositions: 6, restored: 2, lifecycles: { reset: 3, missing: 1 } });
    expect(report.summary.restart?.text).toBe(
      '2/6 open positions would get their stop back (33%): 6/6 stop rows restored, but 3 lifecycle exits reset (peak and latch), 1 position with no lifecycle (no trailing exit)',
    );
  });

  it('restore shows both mechanisms per open position', async () => {
    const report = await runDbCommand('restore', auditOptions(db.url), ctx);
    const byName = Object.fromEntries((report.details?.restore ?? []).map((r) => [r.symbol, `${r.outcome}; ${r.lifecycle}`]));
    expect(byName).toEqual({
      ARMEDUSDT: 'restored; exit peak 5.6 -> 5.5, latch stays armed',
      CLEANUSDT: 'restored; restored as written (peak 6, latch disarmed)',
      LOWUSDT: 'restored; peak 3.12 -> 3 (below activation: no exit changes)',
      NOLCUSDT: 'restored; no lifecycle: no trailing exit',
      PEAKAUSDT: 'restored; exit peak 1.155 -> 1, latch armed -> disarmed',
      PEAKBUSDT: 'restored; exit peak 2.31 -> 2, latch armed -> disarmed',
    });
    expect(report.summary.restart?.percent).toBe(33);
    expect(lifecycleLines(report)).toEqual(EXPECTED.filter((l) => !/orphaned|reentry/.test(l)));
  });

  it('diff --from-events flags them, and its restart line is not 100%', async () => {
    const report = await diffFromEvents();
    expect(lifecycleLines(report)).toEqual(EXPECTED.filter((l) => !/orphaned|reentry/.test(l)));
    expect(report.summary.restart?.percent).toBe(33);
  });

  it('rescue lists every lifecycle finding at or above high that diff reports as left out, with why it cannot repair it', async () => {
    const { planRescue } = await import('../../src/commands/rescue.js');
    const diff = await diffFromEvents();
    const plan = await planRescue({ ...diffOptions(db.url, ''), dump: undefined, fromEvents: true, deleteStale: false }, ctx);
    const serious = [...diff.findings]
      .filter((f) => f.check.startsWith('lifecycle-') && ['critical', 'high'].includes(f.severity))
      .map(line)
      .sort();
    expect(serious).toHaveLength(4);
    const left = plan.leftOut.filter((l) => l.check?.startsWith('lifecycle-'));
    expect(left.map((l) => `${l.check} ${l.severity} ${l.exchange} ${l.symbol}`).sort()).toEqual(serious);
    expect(left.find((l) => l.symbol === 'NOLCUSDT')?.reason).toMatch(
      /not repaired by the script: rescue writes stop rows only; a lifecycle row needs the strategy parameters/,
    );
    // The lost peak below activation (info) changes no exit: not listed.
    expect(plan.leftOut.some((l) => l.symbol === 'LOWUSDT' && l.check === 'lifecycle-reset')).toBe(false);
  });
});

describe('diff with memory of the lifecycles', () => {
  const db = useScenario('current', fixture('lifecycles.sql'), PERCENTS);
  const open = ['PEAKAUSDT', 'PEAKBUSDT', 'LOWUSDT', 'NOLCUSDT'].map((symbol) => ({ exchange: 'binance', symbol, state: 'waiting' }));
  const stops = [...open, { exchange: 'bybit', symbol: 'ARMEDUSDT', state: 'active' }, { exchange: 'bybit', symbol: 'CLEANUSDT', state: 'waiting' }];

  it("compares a dump's lifecycles section with the rows: memory's peak and latch are the truth", async () => {
    const dump = writeDump({
      format: 'ts-audit/stops@1',
      stops,
      lifecycles: [
        { exchange: 'binance', symbol: 'PEAKAUSDT', state: 'in_position', max_price: '1.16', ts_activated: true, entry_price: '1' },
        // Trade prices never reached activation, whatever the mark prices say: memory is believed.
        { exchange: 'binance', symbol: 'PEAKBUSDT', state: 'in_position', max_price: '2.19', ts_activated: false, entry_price: '2' },
        { exchange: 'binance', symbol: 'NOLCUSDT', state: 'in_position', max_price: '7.1', ts_activated: false, entry_price: '7' },
        { exchange: 'bybit', symbol: 'CLEANUSDT', state: 'in_position', max_price: '6', ts_activated: false, entry_price: '6' },
      ],
    });
    const report = await runDiff(diffOptions(db.url, dump), ctx);
    expect(lifecycleLines(report)).toEqual([
      'lifecycle-missing high binance NOLCUSDT',
      'lifecycle-reset critical binance PEAKAUSDT',
      'lifecycle-reset high bybit ARMEDUSDT',
      'lifecycle-reset info binance LOWUSDT',
      'lifecycle-reset info binance PEAKBUSDT',
    ]);
    const a = [...report.findings].find((f) => f.symbol === 'PEAKAUSDT');
    expect(a?.message).toMatch(/the dump says ts_activated = true.*peak since the open 1\.16 \(the dump\)/);
    expect(String(a?.evidence.exitFromPeak)).toBe('1.1252');
    expect([...report.findings].find((f) => f.check === 'lifecycle-missing')?.message).toMatch(/\(the dump holds it in memory\)/);
    expect(report.summary.restart).toMatchObject({ restored: 3, lifecycles: { reset: 2, missing: 1 } });
  });

  it('diff --dump-log takes the activations and peaks the log shows since its last restart', async () => {
    const lines = [
      ...BEFORE_RESTART,
      `2026-03-02 15:59:00,000 - core.position_manager - DEBUG - [TS_DEBUG] Exchange: binance, Trailing manager exists: True, TS symbols in memory: ['PEAKAUSDT', 'PEAKBUSDT', 'LOWUSDT', 'NOLCUSDT']`,
      `2026-03-02 15:59:00,001 - core.position_manager - DEBUG - [TS_DEBUG] Exchange: bybit, Trailing manager exists: True, TS symbols in memory: ['ARMEDUSDT', 'CLEANUSDT']`,
    ];
    const report = await runDiff({ ...diffOptions(db.url, ''), dump: undefined, dumpLog: [writeLifecycleLog(lines)], logTimezone: 'Asia/Dubai' }, ctx);
    const a = [...report.findings].find((f) => f.check === 'lifecycle-reset' && f.symbol === 'PEAKAUSDT');
    expect(a?.severity).toBe('critical');
    expect(a?.evidence.armedBy).toContain('the log says ts_activated = true');
    expect(lifecycleLines(report)).toEqual(EXPECTED.filter((l) => !/orphaned|reentry/.test(l)));
  });
});

describe('a bot that does not use lifecycles', () => {
  const db = useScenario('current', fixture('journal.sql'));
  it('is never flagged: an empty table judges no position, and the restart line is the rows', async () => {
    const report = await runDbCommand('check', auditOptions(db.url), ctx);
    expect(lifecycleLines(report)).toEqual([]);
    expect(report.summary.restart?.lifecycles).toBeUndefined();
    expect(report.summary.restart?.text).not.toMatch(/lifecycle/);
  });
});

describe("a dump's diff judges the lifecycle rows as the server sends them", () => {
  const db = useScenario('current', fixture('lifecycles.sql'), PERCENTS);
  const stops = ['PEAKAUSDT', 'PEAKBUSDT', 'LOWUSDT', 'NOLCUSDT'].map((symbol) => ({ exchange: 'binance', symbol, state: 'waiting' }));

  it('the snapshot hands a query its rows one by one before it answers with them all', async () => {
    const snapshot = await openAuditSnapshot(auditOptions(db.url), ctx, [LIFECYCLE_QUERY]);
    try {
      const seen: LifecyclePositionRow[] = [];
      let seenWhenAnswered = -1;
      const rows = await snapshot
        .run<LifecyclePositionRow>(LIFECYCLE_QUERY, queryParams(auditOptions(db.url), ctx.now()), (r) => seen.push(r))
        .then((all) => ((seenWhenAnswered = seen.length), all));
      expect(rows.length).toBeGreaterThan(3);
      expect(seenWhenAnswered).toBe(rows.length);
      expect(seen).toEqual(rows);
    } finally {
      await snapshot.close();
    }
  });

  it('sends what only a position without a lifecycle in position is judged by on that row alone', async () => {
    const snapshot = await openAuditSnapshot(auditOptions(db.url), ctx, [LIFECYCLE_QUERY]);
    try {
      const rows = await snapshot.run<LifecyclePositionRow>(LIFECYCLE_QUERY, queryParams(auditOptions(db.url), ctx.now()));
      const only = (r: LifecyclePositionRow) => [
        r.opened_at,
        r.position_signal_id,
        r.trailing_activation_percent,
        r.trailing_callback_percent,
        r.lifecycle_rows,
      ];
      const inPosition = rows.filter((r) => r.lifecycle_state === 'in_position');
      expect(inPosition.map((r) => r.symbol).sort()).toEqual(['ARMEDUSDT', 'CLEANUSDT', 'LOWUSDT', 'PEAKAUSDT', 'PEAKBUSDT']);
      for (const r of inPosition) expect(only(r)).toEqual([null, null, null, null, null]);
      const [nolc] = rows.filter((r) => r.lifecycle_id === null);
      expect(nolc?.symbol).toBe('NOLCUSDT');
      expect(nolc && only(nolc)).toEqual([new Date('2026-03-02T09:00:00Z'), '106', '10.0000', '3.0000', '7']);
    } finally {
      await snapshot.close();
    }
  });

  it('the same findings and restart line as a diff that has every row first (a shared snapshot)', async () => {
    const dump = stopsDump(stops);
    const opts = diffOptions(db.url, dump);
    const streamed = await runDiff(opts, ctx);
    const snapshot = await openAuditSnapshot(opts, ctx, ['diff-summary', 'open-positions', 'stop-rows', 'filter-matches', LIFECYCLE_QUERY]);
    try {
      const whole = await runDiff(opts, { ...ctx, snapshot });
      expect(lifecycleLines(streamed)).toEqual(EXPECTED.filter((l) => !/orphaned|reentry/.test(l)));
      expect([...streamed.findings]).toEqual([...whole.findings]);
      expect(streamed.summary).toEqual(whole.summary);
    } finally {
      await snapshot.close();
    }
  });

  it("a failed lifecycle query is the run's error even when the dump also fails meanwhile (as when every query answered first)", async () => {
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE monitoring.signal_lifecycles IN ACCESS EXCLUSIVE MODE');
      const header = JSON.stringify({ format: 'ts-audit/stops@1', dumpedAt: '2026-03-02T11:59:00Z' });
      const dump = writeDump(`${header}\n${JSON.stringify({ ...stops[0], side: 'long', entry_price: '1' })}\n{"exchange": \n`, 'ndjson');
      const err = await runDiff(diffOptions(db.url, dump, { lockTimeoutMs: 300 }), ctx).then(
        () => new Error('expected the run to fail'),
        (e: Error) => e,
      );
      expect(err).toBeInstanceOf(DatabaseError);
      expect(err.message).toMatch(/query lifecycle-positions waited 0\.3s for a lock/);
      // Without the lock, the dump's own error.
      await holder.query('ROLLBACK');
      await expect(runDiff(diffOptions(db.url, dump), ctx)).rejects.toThrow(/malformed JSON/);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
  });
});

describe('the incident-era bot (no signal_lifecycles table)', () => {
  const db = useScenario('incident-era', fixture('journal.sql'));
  it('skips the lifecycle checks with the reason said', async () => {
    const report = await runDbCommand('check', auditOptions(db.url), ctx);
    for (const id of ['lifecycle-reset', 'lifecycle-missing', 'lifecycle-orphaned', 'lifecycle-reentry-peak']) {
      expect(report.skipped).toContainEqual({ check: id, reason: 'the database has no table monitoring.signal_lifecycles' });
    }
    const diff = await runDiff({ ...diffOptions(db.url, ''), dump: undefined, fromEvents: true }, ctx);
    expect(lifecycleLines(diff)).toEqual([]);
  });
});

describe('a position with no lifecycle whose signal another row carries', () => {
  // Two rows carry NOLCUSDT's signal (106) under other symbols: the finding names the first of them.
  const CARRIERS = `INSERT INTO monitoring.signal_lifecycles (symbol, exchange, signal_id, state, strategy_params, entry_price, max_price) VALUES
    ('ZZZUSDT', 'bybit', 106, 'in_position', '{"base_activation": 10.0, "base_callback": 3.0}', 7, 7),
    ('AAAUSDT', 'binance', 106, 'in_position', '{"base_activation": 10.0, "base_callback": 3.0}', 7, 7);`;
  const db = useScenario('current', fixture('lifecycles.sql'), CARRIERS);
  it('says which lifecycle row carries its signal, and reports both rows as explained by no open position', async () => {
    const report = await runDbCommand('check', auditOptions(db.url), ctx);
    const missing = [...report.findings].filter((f) => f.check === 'lifecycle-missing');
    expect(missing.map(line)).toEqual(['lifecycle-missing high binance NOLCUSDT']);
    expect(missing[0]?.message).toMatch(/a lifecycle row carries its signal 106 \(binance AAAUSDT\)/);
    const orphaned = lifecycleLines(report).filter((l) => l.startsWith('lifecycle-orphaned'));
    expect(orphaned).toEqual(['lifecycle-orphaned info binance AAAUSDT', 'lifecycle-orphaned info bybit GHOSTUSDT', 'lifecycle-orphaned info bybit ZZZUSDT']);
  });
});

describe('prices and strategy parameters written as text or below zero', () => {
  // A JSON string that reads as a plain number counts as that number, a negative number as none, and
  // the tie of two equal peaks goes to the earlier event.
  const ODD = `UPDATE monitoring.events SET event_data = '{"new_price": "2.5e0"}' WHERE symbol = 'PEAKBUSDT' AND created_at = '2026-03-02 11:00:00+00';
    INSERT INTO monitoring.events (event_type, symbol, exchange, position_id, severity, created_at, event_data) VALUES
      ('position_updated', 'PEAKBUSDT', 'binance', 2, 'INFO', '2026-03-02 10:00:00+00', '{"new_price": -7}'),
      ('position_updated', 'PEAKBUSDT', 'binance', 2, 'INFO', '2026-03-02 11:30:00+00', '{"new_price": 2.5}'),
      ('position_updated', 'ARMEDUSDT', 'bybit', 3, 'INFO', '2026-03-02 10:00:00+00', '{"new_price": " 9"}');
    UPDATE monitoring.signal_lifecycles SET strategy_params = '{"base_activation": "10.0", "base_callback": -3}' WHERE symbol = 'PEAKBUSDT';
    UPDATE monitoring.signal_lifecycles SET strategy_params = '{"base_activation": 1e1, "base_callback": "3"}' WHERE symbol = 'ARMEDUSDT';`;
  const db = useScenario('current', fixture('lifecycles.sql'), ODD);
  it('lifecycle-positions reads them as the bot would, and the rest as nothing', async () => {
    const shown = await showQuery('lifecycle-positions', auditOptions(db.url), ctx, true);
    const rows = await withClient(
      db.url,
      async (c) =>
        (
          await c.query(
            shown.sql,
            shown.parameters.map((p) => p.value),
          )
        ).rows,
    );
    const of = (symbol: string) => rows.find((r: { symbol: string }) => r.symbol === symbol);
    expect(of('PEAKBUSDT')).toMatchObject({ journal_peak: '2.5', journal_ticks: '4', base_activation: '10.0', base_callback: null });
    expect((of('PEAKBUSDT') as { journal_peak_at: Date }).journal_peak_at.toISOString()).toBe('2026-03-02T11:00:00.000Z');
    expect(of('ARMEDUSDT')).toMatchObject({ journal_peak: '5.6', journal_ticks: '2', base_activation: '10', base_callback: '3' });
  });
});
