-- journal-deleted-since: stop rows an --as-of moment cannot see as they were.
-- Purpose: `--as-of` sees the rows that exist now and were created by then. A row deleted since (its
--   trailing_stop_removed after the moment: its position closed later) is gone, so at that moment it
--   may still have been there. A row the next session's start-up wrote (created between that
--   session's previous event and its bot_started, which the start-up precedes) may have replaced one
--   that existed at the moment: the start-up deletes a row on the other side from its position and
--   creates a fresh stop, without an event. These symbols are named in the report and their findings
--   say so, rather than read as certain.
-- Returns: exchange, symbol, kind ('removed' or 'startup'), at (the first removal after the moment, or
--   the row's created_at).
-- Parameters: :as_of (timestamptz), :startup_after and :startup_until (timestamptz or null: the next
--   session's start-up window), :exchanges, :symbols (lower-case text[] or null).
SELECT e.exchange, e.symbol, 'removed' AS kind, min(e.created_at) AS at
FROM {{events: event_type, exchange, symbol, created_at}} e
WHERE e.event_type = 'trailing_stop_removed'
  AND e.created_at > :as_of::timestamptz
  AND e.exchange IS NOT NULL AND e.symbol IS NOT NULL
  AND (:exchanges::text[] IS NULL OR lower(e.exchange) = ANY (:exchanges::text[]))
  AND (:symbols::text[] IS NULL OR lower(e.symbol) = ANY (:symbols::text[]))
GROUP BY e.exchange, e.symbol
UNION ALL
SELECT s.exchange, s.symbol, 'startup', s.created_at
FROM {{trailing_stop_state: exchange, symbol, created_at}} s
WHERE :startup_until::timestamptz IS NOT NULL
  AND s.created_at > COALESCE(:startup_after::timestamptz, '-infinity'::timestamptz)
  AND s.created_at <= :startup_until::timestamptz
  AND (:exchanges::text[] IS NULL OR lower(s.exchange) = ANY (:exchanges::text[]))
  AND (:symbols::text[] IS NULL OR lower(s.symbol) = ANY (:symbols::text[]))
ORDER BY 1, 2, 3;
