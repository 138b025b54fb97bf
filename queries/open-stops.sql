-- open-stops: every open position beside the stop row of its (exchange, symbol), if any.
-- Purpose: the join most checks start from (included as {{query: open-stops}}). Position sides are
--   normalised as the bot's restore does (buy/long -> long, sell/short -> short, anything else ->
--   null), and so are row sides (long/short after lower-casing, anything else -> long). Sides and
--   states are lower-cased byte-wise, ASCII letters only (`lower(x COLLATE "C")`): against ASCII words
--   such as 'long' or 'active' that answers as the bot's Python `.lower()` does, where the database
--   locale's lower() need not (glibc lower-cases 'İ' to 'i'), and it costs a fraction of it (the
--   locale's lower() was a third of this join on 20,000 open positions).
-- Returns: position_id, exchange, symbol, position_side, position_side_norm, position_entry_price,
--   has_trailing_stop, trailing_activated, opened_at, position_created_at, stop_id, stop_position_id,
--   state, is_activated, stop_side, stop_side_norm, stop_entry_price, highest_price, lowest_price,
--   current_stop_price, stop_created_at, last_update_time, restore_outcome (restored | created-new |
--   deleted-and-recreated).
-- Parameters: those of open-positions; with :as_of, only rows created by then.
SELECT o.id                AS position_id,
       o.exchange,
       o.symbol,
       o.side              AS position_side,
       CASE o.side WHEN 'long' THEN 'long' WHEN 'short' THEN 'short' WHEN 'buy' THEN 'long' WHEN 'sell' THEN 'short'
            ELSE CASE lower(o.side COLLATE "C") WHEN 'buy' THEN 'long' WHEN 'long' THEN 'long'
                                               WHEN 'sell' THEN 'short' WHEN 'short' THEN 'short' END END AS position_side_norm,
       o.entry_price       AS position_entry_price,
       o.has_trailing_stop,
       o.trailing_activated,
       o.opened_at,
       o.created_at        AS position_created_at,
       s.id                AS stop_id,
       s.position_id       AS stop_position_id,
       s.state,
       s.is_activated,
       s.side              AS stop_side,
       CASE WHEN s.id IS NULL THEN NULL
            WHEN s.side IN ('long', 'short') THEN s.side
            WHEN lower(s.side COLLATE "C") IN ('long', 'short') THEN lower(s.side COLLATE "C") ELSE 'long' END AS stop_side_norm,
       s.entry_price       AS stop_entry_price,
       s.highest_price,
       s.lowest_price,
       s.current_stop_price,
       s.created_at        AS stop_created_at,
       s.last_update_time,
       -- What a restart does with this position's stop, by the bot's restore rules (see `restore`):
       -- no row -> created-new; a position side that normalises to nothing, or a row side that
       -- differs from it -> deleted-and-recreated; else restored.
       CASE WHEN s.id IS NULL THEN 'created-new'
            WHEN CASE o.side WHEN 'long' THEN 'long' WHEN 'short' THEN 'short' WHEN 'buy' THEN 'long' WHEN 'sell' THEN 'short'
                      ELSE CASE lower(o.side COLLATE "C") WHEN 'buy' THEN 'long' WHEN 'long' THEN 'long'
                                                         WHEN 'sell' THEN 'short' WHEN 'short' THEN 'short' END END
                 IS DISTINCT FROM CASE WHEN s.side IN ('long', 'short') THEN s.side
                                       WHEN lower(s.side COLLATE "C") IN ('long', 'short') THEN lower(s.side COLLATE "C") ELSE 'long' END
                 THEN 'deleted-and-recreated'
            ELSE 'restored' END AS restore_outcome
FROM {{query: open-positions}} o
LEFT JOIN {{trailing_stop_state: id, exchange, symbol, position_id, state, is_activated, side, entry_price, highest_price, lowest_price, current_stop_price, created_at, last_update_time}} s
       ON s.exchange = o.exchange AND s.symbol = o.symbol
      AND (:as_of::timestamptz IS NULL OR s.created_at <= :as_of::timestamptz);
