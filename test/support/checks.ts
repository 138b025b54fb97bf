// Fixture rows and contexts for the unit tests of each check (test/unit/checks/<id>.test.ts).
import { defaultThresholds } from '../../src/run/options.js';
import type { AuditContext, DiffContext } from '../../src/checks/types.js';
import type { OpenPositionRow, StopRow } from '../../src/db/rows.js';
import { Decimal } from '../../src/decimal.js';
import type { MemoryStop } from '../../src/dump/types.js';
import type { LogAnalysis } from '../../src/logs/analyze.js';

export const NOW = new Date('2025-10-26T16:40:00Z');
export const auditCtx = (extra: Partial<AuditContext> = {}): AuditContext => ({ now: NOW, thresholds: defaultThresholds(), ...extra });
export const diffCtx = (extra: Partial<DiffContext> = {}): DiffContext => ({
  dumpedAt: new Date('2025-10-26T16:29:00Z'),
  priceTolerance: { kind: 'absolute', amount: Decimal.of('0') },
  scales: { entry_price: 8, highest_price: 8, lowest_price: 8, current_stop_price: 8, activation_price: 8, quantity: 8 },
  ...extra,
});

export const position = (extra: Partial<OpenPositionRow> = {}): OpenPositionRow => ({
  id: 7,
  exchange: 'bybit',
  symbol: 'RADUSDT',
  side: 'long',
  entry_price: '1.00000000',
  has_trailing_stop: true,
  opened_at: new Date('2025-10-26T13:05:54Z'),
  ...extra,
});

export const row = (extra: Partial<StopRow> = {}): StopRow => ({
  id: '1',
  exchange: 'bybit',
  symbol: 'RADUSDT',
  position_id: '7',
  state: 'waiting',
  is_activated: false,
  side: 'long',
  entry_price: '1.00000000',
  highest_price: '1.01000000',
  lowest_price: '999999.00000000',
  current_stop_price: null,
  activation_price: '1.02000000',
  quantity: '10.00000000',
  update_count: 3,
  created_at: new Date('2025-10-26T13:05:56Z'),
  last_update_time: null,
  ...extra,
});

export const stop = (extra: Partial<MemoryStop> = {}): MemoryStop => ({
  entry: 1,
  exchange: 'bybit',
  symbol: 'RADUSDT',
  state: 'waiting',
  side: 'long',
  ...extra,
});
export const dec = (text: string) => Decimal.of(text);

export const analysis = (extra: Partial<LogAnalysis> = {}): LogAnalysis => ({
  files: ['bot.log'],
  records: 10,
  firstAt: NOW,
  lastAt: NOW,
  restarts: [],
  restartCount: 0,
  restartTotals: { restored: 0, createdNew: 0, failed: 0, timedOut: 0, deleted: 0 },
  saveFailures: [],
  deleteFailures: [],
  creationFailures: [],
  journalLosses: [],
  restoreLosses: [],
  memory: [{ exchange: 'bybit', at: NOW, symbols: ['RADUSDT'] }],
  ...extra,
});
