// Fixture rows of queries/lifecycle-positions.sql and lifecycle-rows.sql for the unit tests of the lifecycle checks.
import type { LifecyclePositionRow, LifecycleRow } from '../../src/lifecycles/judge.js';

export const LC_NOW = new Date('2026-03-02T12:00:00Z');

/** A lifecycle in position as the bot writes it at the open: entry 1, activation 10 %, callback 3 %. */
export const lcPosition = (extra: Partial<LifecyclePositionRow> = {}): LifecyclePositionRow => ({
  position_id: 1,
  exchange: 'binance',
  symbol: 'PEAKAUSDT',
  position_entry_price: '1.00000000',
  opened_at: new Date('2026-03-02T08:00:00Z'),
  position_trailing_activated: false,
  position_signal_id: '101',
  trailing_activation_percent: null,
  trailing_callback_percent: null,
  current_price: null,
  stop_outcome: 'restored',
  stop_activated: false,
  stop_peak: null,
  lifecycle_id: 1,
  lifecycle_state: 'in_position',
  lifecycle_entry_price: '1.00000000',
  max_price: '1.00000000',
  ts_activated: false,
  lifecycle_updated_at: new Date('2026-03-02T08:00:00Z'),
  base_activation: '10.0',
  base_callback: '3.0',
  journal_peak: null,
  journal_peak_at: null,
  journal_ticks: '0',
  lifecycle_rows: '5',
  signal_lifecycle: null,
  ...extra,
});

export const lcRow = (extra: Partial<LifecycleRow> = {}): LifecycleRow => ({
  lifecycle_id: 9,
  exchange: 'binance',
  symbol: 'REENTRYUSDT',
  signal_id: 107,
  state: 'reentry_wait',
  entry_price: '4.00000000',
  max_price: '4.40000000',
  last_exit_price: '4.40000000',
  last_exit_at: new Date('2026-03-02T09:30:00Z'),
  last_exit_reason: 'TRAILING',
  ts_activated: true,
  updated_at: new Date('2026-03-02T09:30:00Z'),
  has_open_position: false,
  last_position_id: 7,
  last_position_status: 'closed',
  last_position_closed_at: new Date('2026-03-02T09:30:00Z'),
  ...extra,
});
