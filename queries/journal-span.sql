-- journal-span: how far back the bot's event journal goes, and the session the moment falls in.
-- Purpose: `--from-events` replays memory from monitoring.events and `--as-of` reads the past; both
--   need to know that the journal covers the moment, and which session of the bot it belongs to. A
--   session starts at a bot_started event (a positions_loaded, where an older journal has one, counts
--   too) and ends at a bot_stopped, or without one when the bot crashed. The bot writes bot_started
--   only after its start-up (positions loaded, rows restored, missing stops created), so the start-up
--   itself is between the previous session's last event and bot_started. Every value is one probe of
--   an index: the session markers are found through the event_type index, the neighbouring events
--   through the created_at index (ORDER BY created_at LIMIT 1), never a scan of the journal.
-- Returns: first_at, last_at (timestamptz or null when empty); last_start_at, start_kind (the session
--   at or before the moment, or null); stopped_at (its bot_stopped at or before the moment);
--   previous_event_at (the last event before the session: its start-up came after it);
--   previous_stopped (whether the event before the session's start, among the markers, was a
--   bot_stopped; false is a crash); first_after_at (the first event after the start up to the moment
--   that is not a marker); last_event_at (the last event at or before the moment); next_start_at
--   (the next session's start after the moment) and next_previous_event_at (the last event before
--   it: rows created between the two were written by that start-up).
-- Parameters: :moment (timestamptz: the as-of time, else the snapshot's).
WITH start_ AS (
    SELECT e.created_at AS at, e.event_type AS kind
    FROM {{events: event_type, created_at}} e
    WHERE e.event_type IN ('bot_started', 'positions_loaded') AND e.created_at <= :moment::timestamptz
    ORDER BY e.created_at DESC
    LIMIT 1
), next_ AS (
    SELECT min(e.created_at) AS at
    FROM {{events: event_type, created_at}} e
    WHERE e.event_type IN ('bot_started', 'positions_loaded') AND e.created_at > :moment::timestamptz
)
SELECT (SELECT min(e.created_at) FROM {{events: created_at}} e) AS first_at,
       (SELECT max(e.created_at) FROM {{events: created_at}} e) AS last_at,
       s.at AS last_start_at,
       s.kind AS start_kind,
       (SELECT min(e.created_at) FROM {{events: event_type, created_at}} e
        WHERE e.event_type = 'bot_stopped' AND e.created_at > s.at AND e.created_at <= :moment::timestamptz) AS stopped_at,
       (SELECT max(e.created_at) FROM {{events: created_at}} e WHERE e.created_at < s.at) AS previous_event_at,
       (SELECT m.event_type = 'bot_stopped' FROM {{events: event_type, created_at}} m
        WHERE m.event_type IN ('bot_started', 'positions_loaded', 'bot_stopped') AND m.created_at < s.at
        ORDER BY m.created_at DESC LIMIT 1) AS previous_stopped,
       (SELECT min(e.created_at) FROM {{events: event_type, created_at}} e
        WHERE e.created_at > s.at AND e.created_at <= :moment::timestamptz
          AND e.event_type NOT IN ('bot_started', 'positions_loaded', 'bot_stopped')) AS first_after_at,
       (SELECT max(e.created_at) FROM {{events: created_at}} e WHERE e.created_at <= :moment::timestamptz) AS last_event_at,
       n.at AS next_start_at,
       (SELECT max(e.created_at) FROM {{events: created_at}} e WHERE e.created_at < n.at) AS next_previous_event_at
FROM (SELECT 1) one
LEFT JOIN start_ s ON true
CROSS JOIN next_ n;
