-- counts: how many open positions and stop rows the run looked at.
-- Purpose: the summary line of every report, under the same filters as the checks.
-- Returns: open_positions, stops_in_db (bigint, as text).
-- Parameters: those of open-positions.
SELECT (SELECT count(*) FROM {{query: open-positions}} o) AS open_positions,
       (SELECT count(*)
        FROM {{trailing_stop_state: exchange, symbol, created_at}} s
        WHERE (:as_of::timestamptz IS NULL OR s.created_at <= :as_of::timestamptz)
          AND (:exchanges::text[] IS NULL OR lower(s.exchange) = ANY (:exchanges::text[]))
          AND (:symbols::text[] IS NULL OR lower(s.symbol) = ANY (:symbols::text[]))) AS stops_in_db;
