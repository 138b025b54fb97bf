-- flag-mismatch: positions whose own trailing-stop flags disagree with the stop rows.
-- Purpose: positions.has_trailing_stop is the bot's claim that a stop exists; it is wrong when true
--   with no row, or false on an open position. positions.trailing_activated is set on activation and
--   never reset; it disagrees when it differs from the row's activation (state `active`). A NULL flag
--   (the column has no default) says nothing and is not reported.
-- Returns: position_id, exchange, symbol, has_trailing_stop, trailing_activated, has_row, row_state,
--   reasons (text[]: has-trailing-stop-without-row, has-trailing-stop-false, trailing-activated-mismatch).
-- Parameters: those of open-positions.
-- Unsorted: one row per open position, made into findings that ts-audit sorts.
-- Sides and states are lower-cased byte-wise, as in open-stops.
WITH flags AS (
    -- Each reason a flag, tested on every open position; the array is built only for the flagged ones.
    SELECT x.*,
           x.has_trailing_stop AND x.stop_id IS NULL AS without_row,
           x.has_trailing_stop = false AS flag_false,
           x.stop_id IS NOT NULL AND x.trailing_activated <> CASE WHEN x.state IN ('inactive', 'waiting', 'active', 'triggered')
                                                                  THEN x.state = 'active'
                                                                  ELSE lower(x.state COLLATE "C") = 'active' END AS activated_mismatch
    FROM {{query: open-stops}} x
)
SELECT position_id, exchange, symbol, has_trailing_stop, trailing_activated, stop_id IS NOT NULL AS has_row,
       state AS row_state,
       array_remove(ARRAY[
           CASE WHEN without_row THEN 'has-trailing-stop-without-row' END,
           CASE WHEN flag_false THEN 'has-trailing-stop-false' END,
           CASE WHEN activated_mismatch THEN 'trailing-activated-mismatch' END
       ], NULL) AS reasons
FROM flags
WHERE without_row OR flag_false OR activated_mismatch;
