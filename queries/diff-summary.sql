-- diff-summary: the counts of diff's summary, in one query.
-- Purpose: the open positions and stop rows the run looked at (as `counts` gives them) and the
--   `Restart:` line: how many of those positions a restart would give their stop back (the restore
--   simulation's outcome, open-stops' restore_outcome, as `restore` reports it). Counted here rather
--   than read back one row per open position, and the open positions derived once rather than twice.
-- Returns: open_positions, stops_in_db, restored (bigint, as text).
-- Parameters: those of open-stops.
SELECT count(*)                                       AS open_positions,
       (SELECT count(*)
        FROM {{trailing_stop_state: exchange, symbol, created_at}} s
        WHERE (:as_of::timestamptz IS NULL OR s.created_at <= :as_of::timestamptz)
          AND (:exchanges::text[] IS NULL OR lower(s.exchange) = ANY (:exchanges::text[]))
          AND (:symbols::text[] IS NULL OR lower(s.symbol) = ANY (:symbols::text[]))) AS stops_in_db,
       count(*) FILTER (WHERE x.restore_outcome = 'restored') AS restored
FROM {{query: open-stops}} x;
