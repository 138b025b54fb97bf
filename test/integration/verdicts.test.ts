// Verdicts that must hold on both versions of the real bot (docs/bot.md#two-versions-of-the-bot): no false
// all-clear when memory and table agree but positions trail nothing, the restart line the restore
// simulation gives, older and newer schemas, timestamp(3), non-finite numbers, filters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDbCommand } from '../../src/commands/db-commands.js';
import { runDiff } from '../../src/commands/diff.js';
import { UsageError } from '../../src/errors.js';
import type { Finding } from '../../src/checks/types.js';
import type { Report } from '../../src/report/types.js';
import { type ScenarioDb, createScenario, fixture, useScenario } from '../support/db.js';
import { stopsDump } from '../support/dumps.js';
import { auditOptions, diffOptions, fixedNow } from '../support/options.js';

// invalid-stop-row and flag-mismatch name their reason: one finding per reason.
const line = (f: Finding) =>
  `${f.check} ${f.severity} ${f.exchange} ${f.symbol}${['invalid-stop-row', 'flag-mismatch'].includes(f.check) ? ` ${String(f.evidence.reason)}` : ''}`;

// The current bot after a broken pool: 9 open positions; 4 stops were created and saved; the other 5
// raised on save, so they exist neither in memory nor in the table. One row is left from a closed position.
const CURRENT = `
INSERT INTO monitoring.positions (id, symbol, exchange, side, quantity, entry_price, status, opened_at, created_at) VALUES
  (1, 'AUSDT', 'binance', 'long',  1, 1.0, 'active', '2026-03-01 10:00:00+00', '2026-03-01 10:00:00+00'),
  (2, 'BUSDT', 'binance', 'short', 1, 2.0, 'active', '2026-03-01 10:00:00+00', '2026-03-01 10:00:00+00'),
  (3, 'CUSDT', 'bybit',   'long',  1, 3.0, 'active', '2026-03-01 10:00:00+00', '2026-03-01 10:00:00+00'),
  (4, 'DUSDT', 'bybit',   'long',  1, 4.0, 'active', '2026-03-01 10:00:00+00', '2026-03-01 10:00:00+00'),
  (5, 'EUSDT', 'binance', 'long',  1, 5.0, 'active', '2026-03-01 11:00:00+00', '2026-03-01 11:00:00+00'),
  (6, 'FUSDT', 'binance', 'short', 1, 6.0, 'active', '2026-03-01 11:00:00+00', '2026-03-01 11:00:00+00'),
  (7, 'GUSDT', 'bybit',   'long',  1, 7.0, 'active', '2026-03-01 11:00:00+00', '2026-03-01 11:00:00+00'),
  (8, 'HUSDT', 'bybit',   'long',  1, 8.0, 'active', '2026-03-01 11:00:00+00', '2026-03-01 11:00:00+00'),
  (9, 'IUSDT', 'bybit',   'short', 1, 9.0, 'active', '2026-03-01 11:00:00+00', '2026-03-01 11:00:00+00'),
  (10, 'OLDUSDT', 'bybit', 'long', 1, 1.5, 'closed', '2026-02-01 10:00:00+00', '2026-02-01 10:00:00+00');
INSERT INTO monitoring.trailing_stop_state (symbol, exchange, position_id, state, is_activated, highest_price, lowest_price, entry_price, side, quantity, update_count, created_at) VALUES
  ('AUSDT', 'binance', 1, 'waiting', false, 1.0, 999999, 1.0, 'LONG', 1, 0, '2026-03-01 10:00:01+00'),
  ('BUSDT', 'binance', 2, 'waiting', false, 999999, 2.0, 2.0, 'short', 1, 0, '2026-03-01 10:00:01+00'),
  ('CUSDT', 'bybit',   3, 'waiting', false, 3.0, 999999, 3.0, 'long', 1, 0, '2026-03-01 10:00:01+00'),
  ('DUSDT', 'bybit',   4, 'waiting', false, 4.0, 999999, 4.0, 'long', 1, 0, '2026-03-01 10:00:01+00'),
  ('OLDUSDT', 'bybit', 10, 'waiting', false, 1.5, 999999, 1.5, 'long', 1, 0, '2026-02-01 10:00:01+00');
`;
const MEMORY = [
  { exchange: 'binance', symbol: 'AUSDT', side: 'long', state: 'waiting', entry_price: '1' },
  { exchange: 'binance', symbol: 'BUSDT', side: 'short', state: 'waiting', entry_price: '2' },
  { exchange: 'bybit', symbol: 'CUSDT', side: 'long', state: 'waiting', entry_price: '3' },
  { exchange: 'bybit', symbol: 'DUSDT', side: 'long', state: 'waiting', entry_price: '4' },
];
const now = { ...fixedNow, now: () => new Date('2026-03-01T12:00:00Z') };

describe('diff on the current bot: memory and table agree, yet 5 positions trail nothing', () => {
  const db = useScenario('current', CURRENT);

  it("reports every open position with no stop on either side, high, and its restart line is restore's", async () => {
    const report = await runDiff(diffOptions(db.url, stopsDump(MEMORY, '2026-03-01T11:59:00Z')), now);
    expect([...report.findings].map(line).sort()).toEqual(
      ['EUSDT binance', 'FUSDT binance', 'GUSDT bybit', 'HUSDT bybit', 'IUSDT bybit'].map((s) => {
        const [symbol, exchange] = s.split(' ');
        return `untrailed-position high ${exchange} ${symbol}`;
      }),
    );
    expect(report.summary).toMatchObject({ openPositions: 9, stopsInDb: 5, stopsInMemory: 4, matched: 4 });
    expect(report.summary.restart).toEqual({ restored: 4, openPositions: 9, percent: 44, text: '4/9 open positions would get their stop back (44%)' });
    const restore = await runDbCommand('restore', auditOptions(db.url), now);
    expect(restore.summary.restart).toEqual(report.summary.restart);
  });

  it('does not let a dump of one exchange read as clean', async () => {
    const report = await runDiff(
      diffOptions(
        db.url,
        stopsDump(
          MEMORY.filter((s) => s.exchange === 'binance'),
          '2026-03-01T11:59:00Z',
        ),
      ),
      now,
    );
    const bybit = [...report.findings]
      .filter((f) => f.exchange === 'bybit')
      .map(line)
      .sort();
    expect(bybit).toEqual([
      'missing-in-memory high bybit CUSDT',
      'missing-in-memory high bybit DUSDT',
      'untrailed-position high bybit GUSDT',
      'untrailed-position high bybit HUSDT',
      'untrailed-position high bybit IUSDT',
    ]);
    expect([...report.findings].find((f) => f.symbol === 'GUSDT')?.message).toMatch(/the dump holds no stop of bybit at all/);
  });

  it('calls a position opened after the dump was taken info, not high', async () => {
    const report = await runDiff(diffOptions(db.url, stopsDump(MEMORY, '2026-03-01T10:30:00Z')), now);
    expect(new Set([...report.findings].map((f) => `${f.check} ${f.severity}`))).toEqual(new Set(['untrailed-position info']));
  });

  it('runs every check on the production shape: extra columns, the side trigger and its indexes change nothing', async () => {
    const report = await runDbCommand('check', auditOptions(db.url), now);
    expect(report.skipped).toEqual([]);
    expect([...report.findings].map(line).sort()).toEqual(
      [
        'orphaned-stop medium bybit OLDUSDT',
        'restore-loss high binance EUSDT',
        'restore-loss high binance FUSDT',
        'restore-loss high bybit GUSDT',
        'restore-loss high bybit HUSDT',
        'restore-loss high bybit IUSDT',
        'unprotected-position high binance EUSDT',
        'unprotected-position high binance FUSDT',
        'unprotected-position high bybit GUSDT',
        'unprotected-position high bybit HUSDT',
        'unprotected-position high bybit IUSDT',
      ]
        .concat(
          ['EUSDT binance', 'FUSDT binance', 'GUSDT bybit', 'HUSDT bybit', 'IUSDT bybit'].map((s) => {
            const [symbol, exchange] = s.split(' ');
            return `flag-mismatch low ${exchange} ${symbol} has-trailing-stop-without-row`;
          }),
        )
        .sort(),
    );
  });

  it('matches --exchange and --symbol without regard to case, and refuses a filter that matches nothing', async () => {
    const lower = await runDiff(diffOptions(db.url, stopsDump(MEMORY, '2026-03-01T11:59:00Z'), { symbols: ['eusdt'], exchanges: ['BINANCE'] }), now);
    expect([...lower.findings].map(line)).toEqual(['untrailed-position high binance EUSDT']);
    const typo = await runDiff(diffOptions(db.url, stopsDump(MEMORY), { symbols: ['EUSTD'] }), now).catch((e: unknown) => e);
    expect(typo).toBeInstanceOf(UsageError);
    expect((typo as Error).message).toBe('--symbol EUSTD matches nothing in the database or the dump');
    const check = await runDbCommand('check', auditOptions(db.url, { exchanges: ['kraken'] }), now).catch((e: unknown) => e);
    expect((check as Error).message).toBe('--exchange kraken matches nothing in the database');
    // A symbol that only memory holds is a match: its stop has no row.
    const onlyInMemory = await runDiff(
      diffOptions(db.url, stopsDump([...MEMORY, { exchange: 'bybit', symbol: 'NEWUSDT', state: 'waiting' }]), { symbols: ['newusdt'] }),
      now,
    );
    expect([...onlyInMemory.findings].map(line)).toEqual(['missing-in-db high bybit NEWUSDT']);
  });
});

describe('0 of 0 is no share', () => {
  const db = useScenario('tz');

  it('reads as no open positions, never 100%', async () => {
    const report = await runDiff(diffOptions(db.url, stopsDump([])), now);
    expect(report.findings).toEqual([]);
    expect(report.summary.restart).toEqual({ restored: 0, openPositions: 0, percent: null, text: 'no open positions: nothing for a restart to restore' });
  });
});

describe('one fact, one severity, in every command', () => {
  let db: ScenarioDb;
  beforeAll(async () => {
    db = await createScenario(
      'tz',
      `INSERT INTO monitoring.positions (id, symbol, exchange, side, quantity, entry_price, status, opened_at) VALUES
         (1, 'ENTRYUSDT', 'binance', 'long', 1, 1.00000000, 'active', '2025-10-26 10:00:00+00'),
         (2, 'SIDEUSDT',  'binance', 'long', 1, 2.00000000, 'active', '2025-10-26 10:00:00+00');
       INSERT INTO monitoring.trailing_stop_state (symbol, exchange, position_id, state, is_activated, highest_price, lowest_price, entry_price, side, quantity, update_count, created_at) VALUES
         ('ENTRYUSDT', 'binance', 1, 'waiting', false, 1.2, 999999, 1.20000000, 'long', 1, 0, '2025-10-26 10:00:01+00'),
         ('SIDEUSDT',  'binance', 2, 'waiting', false, 999999, 2.0, 2.00000000, 'short', 1, 0, '2025-10-26 10:00:01+00');`,
    );
  });
  afterAll(async () => db?.drop());

  it('an entry price that differs is high and a row on the wrong side critical, in diff as in the checks', async () => {
    const memory = [
      { exchange: 'binance', symbol: 'ENTRYUSDT', side: 'long', state: 'waiting', entry_price: '1' },
      { exchange: 'binance', symbol: 'SIDEUSDT', side: 'long', state: 'waiting' },
    ];
    const diff = await runDiff(diffOptions(db.url, stopsDump(memory)), fixedNow);
    const check = await runDbCommand('check', auditOptions(db.url), fixedNow);
    const severityOf = (r: Report, check: string, symbol: string) => [...r.findings].find((f) => f.check === check && f.symbol === symbol)?.severity;
    expect(severityOf(diff, 'field-drift', 'ENTRYUSDT')).toBe('high');
    expect(severityOf(check, 'entry-price-mismatch', 'ENTRYUSDT')).toBe('high');
    expect(severityOf(diff, 'field-drift', 'SIDEUSDT')).toBe('critical');
    expect(severityOf(check, 'side-mismatch', 'SIDEUSDT')).toBe('critical');
  });
});

describe('older schemas and other column types', () => {
  const dbs: ScenarioDb[] = [];
  afterAll(async () => Promise.all(dbs.map((d) => d.drop())));
  const scenario = async (variant: Parameters<typeof createScenario>[0], ...data: string[]) => {
    const db = await createScenario(variant, ...data);
    dbs.push(db);
    return db;
  };

  it('audits an incident-era database without has_trailing_stop, and says which check it skipped', async () => {
    const [era, naive] = await Promise.all([scenario('incident-era', fixture('failure-modes.sql')), scenario('naive', fixture('failure-modes.sql'))]);
    const old = await runDbCommand('check', auditOptions(era.url), fixedNow);
    const full = await runDbCommand('check', auditOptions(naive.url), fixedNow);
    const noLifecycles = { reason: 'the database has no table monitoring.signal_lifecycles' };
    expect(old.skipped).toEqual([
      { check: 'flag-mismatch', reason: 'the database has no column positions.has_trailing_stop (an older schema of the bot)' },
      ...['lifecycle-missing', 'lifecycle-orphaned', 'lifecycle-reentry-peak', 'lifecycle-reset'].map((check) => ({ check, ...noLifecycles })),
    ]);
    expect([...old.findings].map(line).sort()).toEqual(
      [...full.findings]
        .filter((f) => f.check !== 'flag-mismatch')
        .map(line)
        .sort(),
    );
    expect(Object.keys(old.summary.byCheck)).not.toContain('flag-mismatch');
    expect(old.summary.restart).toEqual(full.summary.restart);
  });

  it('reads timestamp(3) columns in the bot zone, as it reads timestamp, whatever the process TZ', async () => {
    const [ms, naive] = await Promise.all([scenario('naive-ms', fixture('failure-modes.sql')), scenario('naive', fixture('failure-modes.sql'))]);
    const a = await runDbCommand('timestamps', auditOptions(ms.url), fixedNow);
    const b = await runDbCommand('timestamps', auditOptions(naive.url), fixedNow);
    expect(a.database?.naiveColumns).toEqual(b.database?.naiveColumns);
    expect(a.database?.naiveColumns).toContain('positions.opened_at');
    expect(a.details?.timestamps).toEqual(b.details?.timestamps);
    expect([...a.findings].map(line)).toEqual([...b.findings].map(line));
  });

  it('reports NaN and Infinity in a row as invalid-stop-row, in check and in diff', async () => {
    const db = await scenario(
      'tz',
      `ALTER TABLE monitoring.trailing_stop_state ALTER COLUMN current_stop_price TYPE numeric;
       INSERT INTO monitoring.positions (id, symbol, exchange, side, quantity, entry_price, status, opened_at) VALUES
         (1, 'NANUSDT', 'bybit', 'long', 1, 1.0, 'active', '2025-10-26 10:00:00+00'),
         (2, 'INFUSDT', 'bybit', 'long', 1, 2.0, 'active', '2025-10-26 10:00:00+00');
       INSERT INTO monitoring.trailing_stop_state (symbol, exchange, position_id, state, is_activated, highest_price, lowest_price, current_stop_price, entry_price, side, quantity, created_at) VALUES
         ('NANUSDT', 'bybit', 1, 'active', true, 'NaN', 999999, 0.9, 1.0, 'long', 1, '2025-10-26 10:00:01+00'),
         ('INFUSDT', 'bybit', 2, 'active', true, 2.2, 999999, 'Infinity', 2.0, 'long', 1, '2025-10-26 10:00:01+00');`,
    );
    const check = await runDbCommand('check', auditOptions(db.url), fixedNow);
    const nonFinite = [...check.findings]
      .filter((f) => f.evidence.reason === 'non-finite')
      .map((f) => f.symbol)
      .sort();
    expect(nonFinite).toEqual(['INFUSDT', 'NANUSDT']);
    const memory = [
      { exchange: 'bybit', symbol: 'NANUSDT', side: 'long', state: 'active', highest_price: '1.1' },
      { exchange: 'bybit', symbol: 'INFUSDT', side: 'long', state: 'active', current_stop_price: '2.1' },
    ];
    const diff = await runDiff(diffOptions(db.url, stopsDump(memory)), fixedNow);
    expect(
      [...diff.findings]
        .filter((f) => f.check === 'invalid-stop-row')
        .map((f) => `${f.symbol} ${String(f.evidence.reason)}`)
        .sort(),
    ).toEqual(['INFUSDT non-finite', 'NANUSDT non-finite']);
    expect([...diff.findings].find((f) => f.check === 'field-drift' && f.symbol === 'NANUSDT')?.evidence.fields).toEqual([
      { field: 'highest_price', memory: '1.1', db: 'NaN' },
    ]);
  });
});
