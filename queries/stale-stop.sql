-- stale-stop: active stops not updated for a long time.
-- Purpose: an active stop is saved on every confirmed stop update and on peak moves (rate-limited).
--   One whose last update is hours older than the bot's latest write to the table, while it is
--   active, suggests its saves are failing and memory holds a peak the row does not (only active
--   stops persist peaks). Age is measured against that latest write, not the wall clock, so that a
--   restored backup or a stopped bot is judged as of its own last activity.
-- Returns: stop_id, exchange, symbol, stop_position_id, last_update_time, reference_time,
--   stale_seconds.
-- Parameters: :exchanges, :symbols (text[] or null), :stale_after_seconds (numeric).
-- Sides and states are lower-cased byte-wise, as in open-stops.
WITH latest AS (
    SELECT max(COALESCE(t.last_update_time, t.created_at)) AS reference_time
    FROM {{trailing_stop_state: last_update_time, created_at}} t
)
SELECT s.id AS stop_id,
       s.exchange,
       s.symbol,
       s.position_id AS stop_position_id,
       COALESCE(s.last_update_time, s.created_at) AS last_update_time,
       l.reference_time,
       EXTRACT(EPOCH FROM (l.reference_time - COALESCE(s.last_update_time, s.created_at))) AS stale_seconds
FROM {{trailing_stop_state: id, exchange, symbol, position_id, state, last_update_time, created_at}} s
CROSS JOIN latest l
WHERE lower(s.state COLLATE "C") = 'active'
  AND COALESCE(s.last_update_time, s.created_at) < l.reference_time - make_interval(secs => :stale_after_seconds::float8)
  AND (:exchanges::text[] IS NULL OR lower(s.exchange) = ANY (:exchanges::text[]))
  AND (:symbols::text[] IS NULL OR lower(s.symbol) = ANY (:symbols::text[]))
ORDER BY s.exchange, s.symbol;
