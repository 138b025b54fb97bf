-- journal-sessions: the bot's sessions, from its event journal.
-- Purpose: `ts-audit timeline` and the incident report show when the bot started, stopped and crashed.
--   A session starts at bot_started (or positions_loaded, in an older journal) and ends at bot_stopped;
--   a start with no bot_stopped since the previous start means the previous session crashed, after its
--   last event. The markers are found through the event_type index; each session's first and last
--   event are one probe each of the created_at index (ORDER BY created_at LIMIT 1), never a scan.
--   Both bounds of each probe are plain comparisons (COALESCE, not OR), so that both are index bounds.
-- Returns: started_at, marker, stopped_at (null: none before the next start), crashed (no bot_stopped
--   before the next start), last_event_at (its last event, before the next start), first_event_at (its
--   first event after the start that is not a marker; null: none), next_at (the next session's start).
-- Parameters: :since, :until (timestamptz or null: sessions that overlap the window).
WITH marker AS (
    SELECT e.created_at AS at, e.event_type AS kind
    FROM {{events: event_type, created_at}} e
    WHERE e.event_type IN ('bot_started', 'positions_loaded', 'bot_stopped')
), numbered AS (
    -- Each marker with the number of the session it belongs to: the starts up to and including it.
    SELECT m.at, m.kind, count(*) FILTER (WHERE m.kind <> 'bot_stopped') OVER (ORDER BY m.at, m.kind) AS n
    FROM marker m
), session AS (
    SELECT min(at) FILTER (WHERE kind <> 'bot_stopped') AS started_at,
           min(kind) FILTER (WHERE kind <> 'bot_stopped') AS marker,
           min(at) FILTER (WHERE kind = 'bot_stopped') AS stopped_at
    FROM numbered
    WHERE n > 0
    GROUP BY n
), ordered AS (
    SELECT s.*, lead(s.started_at) OVER (ORDER BY s.started_at) AS next_at FROM session s
)
SELECT s.started_at,
       s.marker,
       s.stopped_at,
       s.next_at IS NOT NULL AND s.stopped_at IS NULL AS crashed,
       (SELECT max(e.created_at) FROM {{events: created_at}} e
        WHERE e.created_at >= s.started_at AND e.created_at < COALESCE(s.next_at, 'infinity'::timestamptz)) AS last_event_at,
       (SELECT min(e.created_at) FROM {{events: event_type, created_at}} e
        WHERE e.created_at > s.started_at AND e.created_at < COALESCE(s.next_at, 'infinity'::timestamptz)
          AND e.event_type NOT IN ('bot_started', 'positions_loaded', 'bot_stopped')) AS first_event_at,
       s.next_at
FROM ordered s
WHERE (:until::timestamptz IS NULL OR s.started_at <= :until::timestamptz)
  AND (:since::timestamptz IS NULL OR s.next_at IS NULL OR s.next_at >= :since::timestamptz)
ORDER BY s.started_at;
