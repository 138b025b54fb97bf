-- unprotected-position: open positions with no stop row.
-- Purpose: a restart creates a new stop from scratch for each of these; if the bot holds one in
--   memory, its peak and activation are lost (compare with `ts-audit diff`).
-- Returns: position_id, exchange, symbol, opened_at, has_trailing_stop.
-- Parameters: those of open-positions.
SELECT x.position_id, x.exchange, x.symbol, x.opened_at, x.has_trailing_stop
FROM {{query: open-stops}} x
WHERE x.stop_id IS NULL
ORDER BY x.exchange, x.symbol;
