-- journal-gap: open positions whose memory the event journal cannot tell, because the bot's current
--   session has written no event since it started.
-- Purpose: the bot writes bot_started when its EventLogger starts, then every change of its stops and
--   every price tick of an open position (position_updated). A session with open positions and no event
--   after its start has a logger that failed, or batches that were all dropped: what memory holds is
--   unknown, and a replay of it would read as "nothing changed". Bounded: the session's start is one
--   probe of the event_type index, the first event after it one probe of the created_at index.
-- Returns: position_id, exchange, symbol, opened_at, started_at (the session's start), marker
--   (bot_started, or positions_loaded in an older journal), moment (timestamptz).
-- Parameters: those of open-positions, :now (timestamptz: the moment judged, --as-of or now).
WITH session AS (
    SELECT e.created_at AS started_at, e.event_type AS marker
    FROM {{events: event_type, created_at}} e
    WHERE e.event_type IN ('bot_started', 'positions_loaded') AND e.created_at <= :now::timestamptz
    ORDER BY e.created_at DESC
    LIMIT 1
), quiet AS (
    SELECT s.* FROM session s
    WHERE NOT EXISTS (SELECT 1 FROM {{events: event_type, created_at}} e
                      WHERE e.created_at > s.started_at AND e.created_at <= :now::timestamptz
                        AND e.event_type NOT IN ('bot_started', 'positions_loaded'))
), o AS (
    SELECT * FROM {{query: open-positions}} o
)
SELECT o.id AS position_id, o.exchange, o.symbol, o.opened_at, q.started_at, q.marker, :now::timestamptz AS moment
FROM quiet q
CROSS JOIN o
ORDER BY o.exchange, o.symbol;
