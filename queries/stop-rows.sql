-- stop-rows: every persisted trailing stop.
-- Purpose: the database side of `ts-audit diff`: what a restart would restore from. One row per
--   (symbol, exchange) by the table's unique constraint. Prices are numeric(20,8) and come back as
--   text, so they are compared as exact decimals.
-- Returns: id, exchange, symbol, position_id, state, is_activated, side, entry_price, highest_price,
--   lowest_price, current_stop_price, activation_price, quantity, update_count, created_at,
--   last_update_time, activated_at (timestamptz).
-- Parameters: :exchanges (text[] or null = all), :symbols (text[] or null = all), :as_of
--   (timestamptz or null: only rows created by then).
-- Unsorted: its readers look rows up by (exchange, symbol), and rescue sorts its own (sorting 19,000
--   rows here was half of this query on the scale set).
SELECT s.id,
       s.exchange,
       s.symbol,
       s.position_id,
       s.state,
       s.is_activated,
       s.side,
       s.entry_price,
       s.highest_price,
       s.lowest_price,
       s.current_stop_price,
       s.activation_price,
       s.quantity,
       s.update_count,
       s.created_at,
       s.last_update_time,
       s.activated_at
FROM {{trailing_stop_state: id, exchange, symbol, position_id, state, is_activated, side, entry_price, highest_price, lowest_price, current_stop_price, activation_price, quantity, update_count, created_at, last_update_time, activated_at}} s
WHERE (:exchanges::text[] IS NULL OR lower(s.exchange) = ANY (:exchanges::text[]))
  AND (:symbols::text[] IS NULL OR lower(s.symbol) = ANY (:symbols::text[]))
  AND (:as_of::timestamptz IS NULL OR s.created_at <= :as_of::timestamptz);
