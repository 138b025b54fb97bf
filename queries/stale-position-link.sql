-- stale-position-link: stop rows of open positions whose position_id is not that position's id.
-- Purpose: the row was written for an earlier position of the same symbol (or never linked) and a
--   restart would restore it as if current.
-- Returns: position_id, exchange, symbol, stop_position_id, stop_created_at, opened_at.
-- Parameters: those of open-positions.
SELECT x.position_id, x.exchange, x.symbol, x.stop_position_id, x.stop_created_at, x.opened_at
FROM {{query: open-stops}} x
WHERE x.stop_id IS NOT NULL
  AND x.stop_position_id IS DISTINCT FROM x.position_id
ORDER BY x.exchange, x.symbol;
