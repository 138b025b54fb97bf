-- unsaved-at-creation: stops the journal shows created for an open position whose row came late or never.
-- Purpose: the 2025-10-26 incident from the database alone. The bot writes trailing_stop_created before it
--   saves the row, on its own pool, so the event exists even when the save
--   failed. An open position whose first creation event has no row created within :late_after_seconds of
--   it was not saved at creation: its peaks and activation lived in memory only (or, on the current bot,
--   the creation failed and the position trailed nothing) until a restart or a later save wrote a row.
-- Returns: position_id, exchange, symbol, opened_at, created_event_at, row_created_at (null: no row),
--   lag_seconds, saved_by_restart_at (the restart, a positions_loaded event, that preceded the row).
-- Parameters: those of open-positions, :late_after_seconds (numeric), :as_of (timestamptz or null).
WITH o AS (
    SELECT * FROM {{query: open-positions}} o
), created AS (
    -- Symbol first, in the join and the sort: it tells the rows apart where the exchange (a handful of
    -- values) does not, so the sorts' abbreviated keys work.
    SELECT DISTINCT ON (o.symbol, o.exchange) o.id AS position_id, o.exchange, o.symbol, o.opened_at, e.created_at AS created_event_at
    FROM o
    JOIN {{events: event_type, exchange, symbol, created_at}} e
      ON e.symbol = o.symbol AND e.exchange = o.exchange
    WHERE e.event_type = 'trailing_stop_created'
      AND e.created_at >= o.opened_at - interval '1 minute'
      AND (:as_of::timestamptz IS NULL OR e.created_at <= :as_of::timestamptz)
    ORDER BY o.symbol, o.exchange, e.created_at
)
SELECT c.position_id,
       c.exchange,
       c.symbol,
       c.opened_at,
       c.created_event_at,
       s.created_at AS row_created_at,
       EXTRACT(EPOCH FROM (s.created_at - c.created_event_at)) AS lag_seconds,
       (SELECT max(r.created_at)
        FROM {{events: event_type, created_at}} r
        WHERE r.event_type = 'positions_loaded' AND s.created_at IS NOT NULL
          AND r.created_at > c.created_event_at AND r.created_at <= s.created_at) AS saved_by_restart_at
FROM created c
LEFT JOIN {{trailing_stop_state: exchange, symbol, created_at}} s
       ON s.exchange = c.exchange AND s.symbol = c.symbol
      AND (:as_of::timestamptz IS NULL OR s.created_at <= :as_of::timestamptz)
WHERE s.created_at IS NULL
   OR s.created_at > c.created_event_at + make_interval(secs => :late_after_seconds::float8)
ORDER BY c.exchange, c.symbol;
