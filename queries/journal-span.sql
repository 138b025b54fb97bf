-- journal-span: how far back the bot's event journal goes, and its last restart.
-- Purpose: `--from-events` replays memory from monitoring.events and `--as-of` reads the past; both
--   need to know that the journal covers the moment asked about. min and max come from the
--   created_at index; the last restart is the latest positions_loaded event at or before the moment.
-- Returns: first_at, last_at (timestamptz or null when empty), last_start_at (timestamptz or null).
-- Parameters: :moment (timestamptz: the as-of time, else the snapshot's).
SELECT (SELECT min(e.created_at) FROM {{events: created_at}} e) AS first_at,
       (SELECT max(e.created_at) FROM {{events: created_at}} e) AS last_at,
       (SELECT max(e.created_at)
        FROM {{events: event_type, created_at}} e
        WHERE e.event_type = 'positions_loaded' AND e.created_at <= :moment::timestamptz) AS last_start_at;
