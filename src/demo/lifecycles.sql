-- The current bot's signal lifecycles (monitoring.signal_lifecycles; see docs/bot.md), laid beside the
-- incident for the demo so that the lifecycle checks have something to find. Loaded by `ts-audit demo`
-- only. The bot writes a lifecycle row only at open, at a trailing exit, on an external close and when
-- a restart corrects a state, so each in_position row holds the moment its position opened:
-- max_price = entry_price, ts_activated = false, updated_at = the open time. The journal
-- (journal.sql) shows DOGUSDT's and SUIUSDT's prices passing their activation (entry + 1 %) since:
-- a restart would hold them instead of trailing them. ORDIUSDT's write at open failed (the sample log
-- says so): it has no row, so after a restart it would have no trailing exit at all. OPUSDT waits to
-- re-enter after a trailing exit, with no open position.
CREATE TABLE IF NOT EXISTS monitoring.signal_lifecycles (
    id               serial PRIMARY KEY,
    symbol           varchar(50) NOT NULL,
    exchange         varchar(50) NOT NULL,
    signal_id        integer,
    state            varchar(30) NOT NULL DEFAULT 'in_position',
    strategy_params  jsonb       NOT NULL,
    signal_start_ts  bigint,
    position_entry_ts bigint,
    last_exit_ts     bigint,
    entry_price      numeric(20, 8) DEFAULT 0,
    max_price        numeric(20, 8) DEFAULT 0,
    last_exit_price  numeric(20, 8) DEFAULT 0,
    in_position      boolean DEFAULT true,
    ts_activated     boolean DEFAULT false,
    trade_count      integer DEFAULT 0,
    total_score      numeric DEFAULT 0,
    cumulative_pnl   numeric DEFAULT 0,
    last_exit_reason text,
    trades           jsonb,
    position_id      integer,
    created_at       timestamptz DEFAULT now(),
    updated_at       timestamptz DEFAULT now(),
    UNIQUE (symbol, exchange)
);
INSERT INTO monitoring.signal_lifecycles
  (symbol, exchange, signal_id, state, strategy_params, signal_start_ts, position_entry_ts, last_exit_ts,
   entry_price, max_price, last_exit_price, in_position, ts_activated, trade_count, total_score, cumulative_pnl,
   last_exit_reason, trades, position_id, created_at, updated_at)
VALUES
  ('DOGUSDT', 'binance', 9001, 'in_position', '{"base_activation": 1.0, "base_callback": 0.77, "sl_pct": 3.0, "leverage": 5, "base_cooldown": 300, "base_reentry_drop": 1.5, "delta_window": 60, "threshold_mult": 1.0, "max_reentry_hours": 4, "max_position_hours": 24}', 1761469510, 1761469512, NULL, 0.00145, 0.00145, 0, true, false, 0, 0, 0, NULL, '[]', 1, '2025-10-26 09:05:12+00:00', '2025-10-26 09:05:12+00:00'),
  ('HIFIUSDT', 'bybit', 9014, 'in_position', '{"base_activation": 1.0, "base_callback": 0.77, "sl_pct": 3.0, "leverage": 5, "base_cooldown": 300, "base_reentry_drop": 1.5, "delta_window": 60, "threshold_mult": 1.0, "max_reentry_hours": 4, "max_position_hours": 24}', 1761481799, 1761481801, NULL, 0.4321, 0.4321, 0, true, false, 0, 0, 0, NULL, '[]', 14, '2025-10-26 12:30:01+00:00', '2025-10-26 12:30:01+00:00'),
  ('SUIUSDT', 'binance', 9013, 'in_position', '{"base_activation": 1.0, "base_callback": 0.77, "sl_pct": 3.0, "leverage": 5, "base_cooldown": 300, "base_reentry_drop": 1.5, "delta_window": 60, "threshold_mult": 1.0, "max_reentry_hours": 4, "max_position_hours": 24}', 1761481808, 1761481810, NULL, 2.5431, 2.5431, 0, true, false, 0, 0, 0, NULL, '[]', 13, '2025-10-26 12:30:10+00:00', '2025-10-26 12:30:10+00:00'),
  ('ZRXUSDT', 'binance', 9011, 'in_position', '{"base_activation": 1.0, "base_callback": 0.77, "sl_pct": 3.0, "leverage": 5, "base_cooldown": 300, "base_reentry_drop": 1.5, "delta_window": 60, "threshold_mult": 1.0, "max_reentry_hours": 4, "max_position_hours": 24}', 1761482138, 1761482140, NULL, 0.1987, 0.1987, 0, true, false, 0, 0, 0, NULL, '[]', 11, '2025-10-26 12:35:40+00:00', '2025-10-26 12:35:40+00:00'),
  ('1000BONKUSDT', 'bybit', 9010, 'in_position', '{"base_activation": 1.0, "base_callback": 0.77, "sl_pct": 3.0, "leverage": 5, "base_cooldown": 300, "base_reentry_drop": 1.5, "delta_window": 60, "threshold_mult": 1.0, "max_reentry_hours": 4, "max_position_hours": 24}', 1761482400, 1761482402, NULL, 0.015123, 0.015123, 0, true, false, 0, 0, 0, NULL, '[]', 10, '2025-10-26 12:40:02+00:00', '2025-10-26 12:40:02+00:00'),
  ('AIOZUSDT', 'binance', 9009, 'in_position', '{"base_activation": 1.0, "base_callback": 0.77, "sl_pct": 3.0, "leverage": 5, "base_cooldown": 300, "base_reentry_drop": 1.5, "delta_window": 60, "threshold_mult": 1.0, "max_reentry_hours": 4, "max_position_hours": 24}', 1761482409, 1761482411, NULL, 0.2845, 0.2845, 0, true, false, 0, 0, 0, NULL, '[]', 9, '2025-10-26 12:40:11+00:00', '2025-10-26 12:40:11+00:00'),
  ('CLOUDUSDT', 'bybit', 9008, 'in_position', '{"base_activation": 1.0, "base_callback": 0.77, "sl_pct": 3.0, "leverage": 5, "base_cooldown": 300, "base_reentry_drop": 1.5, "delta_window": 60, "threshold_mult": 1.0, "max_reentry_hours": 4, "max_position_hours": 24}', 1761482968, 1761482970, NULL, 0.0912, 0.0912, 0, true, false, 0, 0, 0, NULL, '[]', 8, '2025-10-26 12:49:30+00:00', '2025-10-26 12:49:30+00:00'),
  ('PYRUSDT', 'bybit', 9007, 'in_position', '{"base_activation": 1.0, "base_callback": 0.77, "sl_pct": 3.0, "leverage": 5, "base_cooldown": 300, "base_reentry_drop": 1.5, "delta_window": 60, "threshold_mult": 1.0, "max_reentry_hours": 4, "max_position_hours": 24}', 1761482983, 1761482985, NULL, 0.8765, 0.8765, 0, true, false, 0, 0, 0, NULL, '[]', 7, '2025-10-26 12:49:45+00:00', '2025-10-26 12:49:45+00:00'),
  ('IDEXUSDT', 'binance', 9006, 'in_position', '{"base_activation": 1.0, "base_callback": 0.77, "sl_pct": 3.0, "leverage": 5, "base_cooldown": 300, "base_reentry_drop": 1.5, "delta_window": 60, "threshold_mult": 1.0, "max_reentry_hours": 4, "max_position_hours": 24}', 1761482992, 1761482994, NULL, 0.01834, 0.01834, 0, true, false, 0, 0, 0, NULL, '[]', 6, '2025-10-26 12:49:54+00:00', '2025-10-26 12:49:54+00:00'),
  ('10000ELONUSDT', 'bybit', 9005, 'in_position', '{"base_activation": 1.0, "base_callback": 0.77, "sl_pct": 3.0, "leverage": 5, "base_cooldown": 300, "base_reentry_drop": 1.5, "delta_window": 60, "threshold_mult": 1.0, "max_reentry_hours": 4, "max_position_hours": 24}', 1761483921, 1761483923, NULL, 0.09871, 0.09871, 0, true, false, 0, 0, 0, NULL, '[]', 5, '2025-10-26 13:05:23+00:00', '2025-10-26 13:05:23+00:00'),
  ('MASKUSDT', 'binance', 9004, 'in_position', '{"base_activation": 1.0, "base_callback": 0.77, "sl_pct": 3.0, "leverage": 5, "base_cooldown": 300, "base_reentry_drop": 1.5, "delta_window": 60, "threshold_mult": 1.0, "max_reentry_hours": 4, "max_position_hours": 24}', 1761483930, 1761483932, NULL, 1.056, 1.056, 0, true, false, 0, 0, 0, NULL, '[]', 4, '2025-10-26 13:05:32+00:00', '2025-10-26 13:05:32+00:00'),
  ('STGUSDT', 'binance', 9003, 'in_position', '{"base_activation": 1.0, "base_callback": 0.77, "sl_pct": 3.0, "leverage": 5, "base_cooldown": 300, "base_reentry_drop": 1.5, "delta_window": 60, "threshold_mult": 1.0, "max_reentry_hours": 4, "max_position_hours": 24}', 1761483941, 1761483943, NULL, 0.1642, 0.1642, 0, true, false, 0, 0, 0, NULL, '[]', 3, '2025-10-26 13:05:43+00:00', '2025-10-26 13:05:43+00:00'),
  ('RADUSDT', 'bybit', 9002, 'in_position', '{"base_activation": 1.0, "base_callback": 0.77, "sl_pct": 3.0, "leverage": 5, "base_cooldown": 300, "base_reentry_drop": 1.5, "delta_window": 60, "threshold_mult": 1.0, "max_reentry_hours": 4, "max_position_hours": 24}', 1761483952, 1761483954, NULL, 0.6123, 0.6123, 0, true, false, 0, 0, 0, NULL, '[]', 2, '2025-10-26 13:05:54+00:00', '2025-10-26 13:05:54+00:00'),
  ('OPUSDT', 'binance', 8990, 'reentry_wait', '{"base_activation": 1.0, "base_callback": 0.77, "sl_pct": 3.0, "leverage": 5, "base_cooldown": 300, "base_reentry_drop": 1.5, "delta_window": 60, "threshold_mult": 1.0, "max_reentry_hours": 4, "max_position_hours": 24}', 1761472931, 1761472933, 1761479225, 1.71200000, 1.74900000, 1.74900000, false, false, 1, 1.2, 1.35, 'trailing_stop', '[{"entry": 1.712, "exit": 1.749, "reason": "trailing_stop"}]', NULL, '2025-10-26 10:02:13+00', '2025-10-26 11:47:05+00:00');
