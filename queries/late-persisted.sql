-- late-persisted: when each open position opened against when its stop row was created.
-- Purpose: the bot saves a stop when its position opens. A row created long after its position
--   opened was not saved at open: it was recreated later, typically by a restart that found no row
--   (the 2025-10-26 incident: rows created at 16:30:34, positions opened 3-4 hours earlier). With
--   :late_only false it returns every open position, for the table of `ts-audit timestamps`; `late`
--   marks the ones the check reports. The checks ask for the late ones only: the other 20,000 rows
--   of the scale set, sorted and sent, were two thirds of the query's time.
-- Returns: position_id, exchange, symbol, opened_at, stop_created_at (null: no row), lag_seconds
--   (null: no row), late (boolean).
-- Parameters: those of open-positions, :late_after_seconds (numeric), :late_only (boolean).
SELECT x.position_id,
       x.exchange,
       x.symbol,
       x.opened_at,
       x.stop_created_at,
       EXTRACT(EPOCH FROM (x.stop_created_at - x.opened_at)) AS lag_seconds,
       COALESCE(x.stop_created_at - x.opened_at > make_interval(secs => :late_after_seconds::float8), false) AS late
FROM {{query: open-stops}} x
WHERE NOT :late_only::boolean OR x.stop_created_at - x.opened_at > make_interval(secs => :late_after_seconds::float8)
ORDER BY x.exchange, x.symbol;
