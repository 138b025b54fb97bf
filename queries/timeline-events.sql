-- timeline-events: the journal's trailing-stop events of the timeline's symbols, and every restart.
-- Purpose: `ts-audit timeline`: what the bot's memory did beside what the
--   table shows. Restarts (positions_loaded) have no symbol and belong to every symbol's timeline.
-- Returns: exchange, symbol (null for a restart), at, kind (the event type), detail (event_data).
-- Parameters: :keys (text[] of exchange || chr(31) || symbol), :since, :until (timestamptz or null).
SELECT e.exchange, e.symbol, e.created_at AS at, e.event_type AS kind, COALESCE(e.event_data, '{}'::jsonb) AS detail
FROM {{events: event_type, exchange, symbol, created_at, event_data}} e
WHERE (e.event_type = 'positions_loaded'
       OR (e.event_type IN ('trailing_stop_created', 'trailing_stop_activated', 'trailing_stop_updated', 'trailing_stop_sl_updated',
                            'trailing_stop_sl_update_failed', 'trailing_stop_removed', 'warning_raised')
           AND e.symbol IS NOT NULL AND e.exchange || chr(31) || e.symbol = ANY (:keys::text[])))
  AND (:since::timestamptz IS NULL OR e.created_at >= :since::timestamptz)
  AND (:until::timestamptz IS NULL OR e.created_at <= :until::timestamptz)
ORDER BY e.created_at, e.event_type;
