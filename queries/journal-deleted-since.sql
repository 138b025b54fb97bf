-- journal-deleted-since: stop rows deleted after a past moment, by their trailing_stop_removed events.
-- Purpose: `--as-of` sees the rows that exist now and were created by then; a row deleted since (its
--   position closed later) is gone, so at that moment it may still have been there. These symbols are
--   named in the report and their findings say so, rather than read as certain.
-- Returns: exchange, symbol, removed_at (the first removal after the moment).
-- Parameters: :as_of (timestamptz), :exchanges, :symbols (lower-case text[] or null).
SELECT e.exchange, e.symbol, min(e.created_at) AS removed_at
FROM {{events: event_type, exchange, symbol, created_at}} e
WHERE e.event_type = 'trailing_stop_removed'
  AND e.created_at > :as_of::timestamptz
  AND e.exchange IS NOT NULL AND e.symbol IS NOT NULL
  AND (:exchanges::text[] IS NULL OR lower(e.exchange) = ANY (:exchanges::text[]))
  AND (:symbols::text[] IS NULL OR lower(e.symbol) = ANY (:symbols::text[]))
GROUP BY e.exchange, e.symbol
ORDER BY e.exchange, e.symbol;
