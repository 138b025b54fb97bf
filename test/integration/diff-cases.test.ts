import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDiff } from '../../src/commands/diff.js';
import type { Finding } from '../../src/checks/types.js';
import { parseTolerance } from '../../src/decimal.js';
import { type ScenarioDb, createScenario } from '../support/db.js';
import { stopsDump } from '../support/dumps.js';
import { diffOptions, fixedNow } from '../support/options.js';

// One position and one row per case; each symbol is a case.
const DATA = `
INSERT INTO monitoring.positions (id, symbol, exchange, side, quantity, entry_price, status, opened_at, created_at) VALUES
  (1, 'AAAUSDT', 'binance', 'long',  10, 0.10000000, 'active', '2025-10-26 10:00:00+00', '2025-10-26 10:00:00+00'),
  (2, 'BBBUSDT', 'binance', 'long',  10, 1.00000000, 'active', '2025-10-26 10:00:00+00', '2025-10-26 10:00:00+00'),
  (3, 'CCCUSDT', 'bybit',   'Sell',  10, 2.00000000, 'active', '2025-10-26 10:00:00+00', '2025-10-26 10:00:00+00'),
  (4, 'DDDUSDT', 'bybit',   'long',  10, 3.00000000, 'active', '2025-10-26 10:00:00+00', '2025-10-26 10:00:00+00'),
  (5, 'EEEUSDT', 'binance', 'long',  10, 4.00000000, 'active', '2025-10-26 10:00:00+00', '2025-10-26 10:00:00+00'),
  (6, 'FFFUSDT', 'binance', 'long',  10, 5.00000000, 'active', '2025-10-26 16:34:00+00', '2025-10-26 16:34:00+00'),
  (7, 'GGGUSDT', 'binance', 'long',  10, 6.00000000, 'closed', '2025-10-20 10:00:00+00', '2025-10-20 10:00:00+00'),
  (8, 'III',     'bybit',   'long',  10, 3.00000000, 'active', '2025-10-26 10:00:00+00', '2025-10-26 10:00:00+00'),
  (9, 'JJJUSDT', 'bybit',   'LONG',  10, 0.12000000, 'active', '2025-10-26 10:00:00+00', '2025-10-26 10:00:00+00'),
  (10, 'KKKUSDT', 'bybit',  'long',  10, 7.00000000, 'active', '2025-10-26 10:00:00+00', '2025-10-26 10:00:00+00');
INSERT INTO monitoring.trailing_stop_state
  (symbol, exchange, position_id, state, is_activated, highest_price, lowest_price, current_stop_price, activation_price, entry_price, side, quantity, update_count, created_at) VALUES
  ('AAAUSDT', 'binance', 1, 'waiting',  false, 0.10500000, 999999,     NULL,       0.10100000, 0.10000000, 'long',  10, 3, '2025-10-26 10:00:02+00'),
  ('BBBUSDT', 'binance', 2, 'active',   true,  1.05000000, 999999,     1.04000000, 1.01000000, 1.00000000, 'long',  10, 9, '2025-10-26 10:00:02+00'),
  ('CCCUSDT', 'bybit',   3, 'waiting',  false, 999999,     1.95000000, NULL,       1.98000000, 2.00000000, 'short', 10, 4, '2025-10-26 10:00:02+00'),
  ('DDDUSDT', 'bybit',   4, 'waiting',  false, 3.01000000, 999999,     NULL,       3.03000000, 3.00000000, 'long',  10, 4, '2025-10-26 10:00:02+00'),
  ('EEEUSDT', 'binance', 5, 'waiting',  false, 4.00000000, 999999,     NULL,       4.04000000, 4.00000000, 'long',  10, 0, '2025-10-26 10:00:02+00'),
  ('FFFUSDT', 'binance', 6, 'inactive', false, 5.00000000, 999999,     NULL,       5.05000000, 5.00000000, 'long',  10, 0, '2025-10-26 16:34:02+00'),
  ('GGGUSDT', 'binance', 7, 'waiting',  false, 6.00000000, 999999,     NULL,       6.06000000, 6.00000000, 'long',  10, 0, '2025-10-20 10:00:02+00'),
  ('III',     'bybit',   8, 'inactive', false, 3.00000000, 999999,     NULL,       3.03000000, 3.00000000, 'long',  10, 0, '2025-10-26 10:00:02+00'),
  ('JJJUSDT', 'bybit',   9, 'waiting',  false, 0.12345679, 999999,     NULL,       0.12120000, 0.12000000, 'LONG',  10, 2, '2025-10-26 10:00:02+00'),
  ('KKKUSDT', 'bybit',  10, 'waiting',  false, 7.00000000, 999999,     NULL,       7.07000000, 7.00000000, 'long',  10, 0, '2025-10-26 10:00:02+00');
`;

const STOPS = [
  // Same values written differently: trailing zeros, a number, upper-case state. Not drift.
  {
    exchange: 'binance',
    symbol: 'AAAUSDT',
    side: 'long',
    state: 'WAITING',
    is_activated: false,
    entry_price: '0.1',
    highest_price: '0.105',
    activation_price: 0.101,
    quantity: '10.0',
    update_count: 3,
  },
  // The peak moved in the 8th decimal while active: a restart loses it.
  {
    exchange: 'binance',
    symbol: 'BBBUSDT',
    side: 'long',
    state: 'active',
    is_activated: true,
    highest_price: '1.05000001',
    current_stop_price: '1.04',
    update_count: 9,
  },
  // Activated in memory, waiting in the row: a restart restores it inactive.
  { exchange: 'bybit', symbol: 'CCCUSDT', side: 'short', state: 'active', is_activated: true, lowest_price: '1.9', update_count: 4 },
  { exchange: 'bybit', symbol: 'DDDUSDT', side: 'long', state: 'waiting', update_count: 7 },
  { exchange: 'bybit', symbol: 'III', side: 'long', state: 'inactive', entry_price: '3.1' },
  // More digits than the column keeps: compared as PostgreSQL would store it (rounded half up to 8).
  { exchange: 'bybit', symbol: 'JJJUSDT', side: 'long', state: 'waiting', highest_price: '0.123456785', update_count: 2 },
  { exchange: 'bybit', symbol: 'KKKUSDT', side: 'long', state: 'waiting', activation_price: '7.14' },
];

describe('diff severities and decimal comparison', () => {
  let db: ScenarioDb;
  let findings: Map<string, Finding>;
  beforeAll(async () => {
    db = await createScenario('naive', DATA);
    const report = await runDiff(diffOptions(db.url, stopsDump(STOPS)), fixedNow);
    findings = new Map([...report.findings].map((f) => [f.symbol, f]));
  });
  afterAll(async () => db?.drop());

  it('does not call trailing zeros, numbers vs strings, state case or sub-scale digits drift', () => {
    expect(findings.has('AAAUSDT')).toBe(false);
    expect(findings.has('JJJUSDT')).toBe(false);
  });

  it('calls a difference in the 8th decimal of an active peak high, with what a restart loses', () => {
    const f = findings.get('BBBUSDT');
    expect(f).toMatchObject({ check: 'field-drift', severity: 'high', positionId: 2 });
    expect(f?.evidence.fields).toEqual([{ field: 'highest_price', memory: '1.05000001', db: '1.05' }]);
    expect(f?.evidence.restartLoses).toEqual({ highest_price: '0.00000001' });
  });

  it('calls an activated memory stop whose row is not activated critical', () => {
    const f = findings.get('CCCUSDT');
    expect(f).toMatchObject({ check: 'field-drift', severity: 'critical' });
    const fields = (f?.evidence.fields as { field: string }[]).map((d) => d.field);
    expect(fields).toEqual(['state', 'is_activated', 'lowest_price']);
  });

  it('calls an update_count-only difference low, an entry price high (as entry-price-mismatch does), other drift medium', () => {
    expect(findings.get('DDDUSDT')).toMatchObject({ check: 'field-drift', severity: 'low' });
    expect(findings.get('III')).toMatchObject({ check: 'field-drift', severity: 'high' });
    expect(findings.get('III')?.evidence.fields).toEqual([{ field: 'entry_price', memory: '3.1', db: '3' }]);
    expect(findings.get('KKKUSDT')).toMatchObject({ check: 'field-drift', severity: 'medium' });
    expect(findings.get('KKKUSDT')?.evidence.fields).toEqual([{ field: 'activation_price', memory: '7.14', db: '7.07' }]);
  });

  it('reports rows of open positions missing from memory, as info when created after the dump', () => {
    expect(findings.get('EEEUSDT')).toMatchObject({ check: 'missing-in-memory', severity: 'high', positionId: 5 });
    expect(findings.get('FFFUSDT')).toMatchObject({ check: 'missing-in-memory', severity: 'info' });
    expect(findings.get('FFFUSDT')?.evidence.createdAfterDump).toBe(true);
    expect(findings.get('EEEUSDT')?.evidence.createdAfterDump).toBe(false);
  });

  it('leaves rows of ended positions to the orphan checks', () => {
    expect(findings.has('GGGUSDT')).toBe(false);
    expect(findings.size).toBe(7);
  });

  it('applies --price-tolerance as an amount or a percentage', async () => {
    const dump = stopsDump(STOPS.slice(1, 2));
    const filter = { symbols: ['BBBUSDT'] };
    const exact = await runDiff(diffOptions(db.url, dump, filter), fixedNow);
    const pct = await runDiff(diffOptions(db.url, dump, { ...filter, priceTolerance: parseTolerance('0.001%')! }), fixedNow);
    const abs = await runDiff(diffOptions(db.url, dump, { ...filter, priceTolerance: parseTolerance('0.00000001')! }), fixedNow);
    const tooSmall = await runDiff(diffOptions(db.url, dump, { ...filter, priceTolerance: parseTolerance('0.000000001')! }), fixedNow);
    expect(exact.findings).toHaveLength(1);
    expect(pct.findings).toHaveLength(0);
    expect(abs.findings).toHaveLength(0);
    expect(tooSmall.findings).toHaveLength(1);
  });
});
