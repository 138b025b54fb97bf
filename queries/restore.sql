-- restore: what a restart would do with each open position's stop, by the bot's restore rules.
-- Purpose: predict a restart before anyone restarts. For each open position, in the bot's order
--   (docs/bot.md#what-a-restart-does): no row -> a new stop is created (peak, activation and counters lost);
--   a position side that is not buy/long/sell/short -> the row is deleted and a new stop created;
--   a row side (lower-cased; anything but long/short counts as long) that differs from the position's
--   -> deleted and recreated; otherwise restored, with its state lower-cased. Entry price, position_id
--   and quantity are never compared by the bot, so `stale` marks a restored row that belongs to an
--   earlier position (entry mismatch beyond the tolerance, or position_id not the open position's).
--   The rule that deletes rows when the exchange reports no position cannot be seen from the database.
-- Returns: position_id, exchange, symbol, outcome (restored | created-new | deleted-and-recreated),
--   reason, restored_state, stop_position_id, position_entry_price, stop_entry_price,
--   entry_mismatch, stale_link, position_side, stop_side.
-- Parameters: those of open-positions, :entry_tolerance (numeric), :entry_tolerance_pct (numeric),
--   :notable_only (boolean: only the rows a check can report without memory to weigh them, those
--   not restored or restored stale; `check` then counts the restored ones with `diff-summary`, and
--   does not build and send the restored rows of every other open position).
-- Unsorted: the restore command sorts its table; the checks and rescue read the rows by position
--   (a sort of all open positions here would be paid by every check).
-- Sides and states are lower-cased byte-wise, as in open-stops.
WITH x AS (
    SELECT x.*,
           COALESCE(abs(x.stop_entry_price - x.position_entry_price)
                    > GREATEST(:entry_tolerance::numeric, :entry_tolerance_pct::numeric / 100 * abs(x.position_entry_price)), false) AS entry_mismatch,
           x.stop_id IS NOT NULL AND x.stop_position_id IS DISTINCT FROM x.position_id AS stale_link
    FROM {{query: open-stops}} x
)
SELECT x.position_id,
       x.exchange,
       x.symbol,
       x.restore_outcome AS outcome,
       CASE WHEN x.stop_id IS NULL THEN 'no row for (symbol, exchange)'
            WHEN x.position_side_norm IS NULL THEN 'position side ' || quote_literal(x.position_side) || ' is not buy/long/sell/short'
            WHEN x.position_side_norm <> x.stop_side_norm
                 THEN 'row side ' || quote_literal(x.stop_side) || ' differs from position side ' || quote_literal(x.position_side)
            ELSE 'row found, sides agree' END AS reason,
       CASE WHEN x.stop_id IS NOT NULL THEN lower(x.state COLLATE "C") END AS restored_state,
       x.stop_position_id,
       x.position_entry_price,
       x.stop_entry_price,
       x.entry_mismatch,
       x.stale_link,
       x.position_side,
       x.stop_side
FROM x
WHERE NOT :notable_only::boolean OR x.restore_outcome <> 'restored' OR x.entry_mismatch OR x.stale_link;
