-- The incident's history that the demo adds to incident.sql: AIOZUSDT's old stop row, written for a
-- bybit position that ended on 2025-10-22, never deleted. The incident report found it while testing a
-- theory: its entry price differs from the open AIOZUSDT position's by 0.109, and the bot's entry-price
-- clean-up had not removed it. It is an orphan: no open position on bybit.
INSERT INTO monitoring.positions (id, symbol, exchange, side, quantity, entry_price, status, opened_at, closed_at, created_at, updated_at) VALUES
  (104, 'AIOZUSDT', 'bybit', 'long', 50.80000000, 0.39350000, 'closed', '2025-10-21 08:14:02+00', '2025-10-22 17:40:19+00', '2025-10-21 08:14:02+00', '2025-10-22 17:40:19+00');

INSERT INTO monitoring.orders (position_id, exchange, symbol, order_id, type, side, status, size, price, created_at, updated_at) VALUES
  ('104', 'bybit',   'AIOZUSDT', 'y-8801', 'market', 'buy', 'filled', 50.8, 0.3935, '2025-10-21 08:14:01+00', '2025-10-21 08:14:02+00'),
  ('9',   'binance', 'AIOZUSDT', 'b-9109', 'market', 'buy', 'filled', 70.3, 0.2845, '2025-10-26 12:40:10+00', '2025-10-26 12:40:11+00');

INSERT INTO monitoring.trailing_stop_state
  (symbol, exchange, position_id, state, is_activated, highest_price, lowest_price, current_stop_price, activation_price,
   activation_percent, callback_percent, entry_price, side, quantity, update_count, created_at, last_update_time)
VALUES
  ('AIOZUSDT', 'bybit', 104, 'waiting', false, 0.39910000, 999999, NULL, 0.39743500,
   1.0000, 0.7700, 0.39350000, 'long', 50.80000000, 12, '2025-10-21 08:14:04+00', '2025-10-22 17:38:51+00');
