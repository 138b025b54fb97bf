-- journal-memory: the bot's in-memory stops, replayed from its event journal.
-- Purpose: the memory side of `diff --from-events` without a dump. The
--   journal is written on the bot's own pool, so it keeps recording while the pool that saves stop rows
--   is broken. Only the events since the last restart (:since, the latest positions_loaded) up to
--   :moment are read, through the created_at index, set-based. Per (exchange, symbol): the latest
--   trailing_stop_created; whether a trailing_stop_removed came after it; the latest activation,
--   move (trailing_stop_updated that is not a skip), exchange stop move (trailing_stop_sl_updated) and
--   update count; and whether the restart deleted its row for a side mismatch. Numbers are the text of
--   the JSON floats the bot wrote.
-- Returns: exchange, symbol, created_at, side, entry_price, activation_price, removed_at,
--   activated_at, activation_stop, moved_at, new_stop, highest_price, lowest_price, sl_moved_at,
--   new_sl_price, update_count, update_count_at, mismatch_deleted_at.
-- Parameters: :since (timestamptz or null: from the first event), :moment (timestamptz), :exchanges,
--   :symbols (lower-case text[] or null).
WITH ev AS (
    SELECT e.id, e.event_type, e.exchange, e.symbol, e.created_at, e.event_data AS d
    FROM {{events: id, event_type, exchange, symbol, created_at, event_data}} e
    WHERE e.created_at > COALESCE(:since::timestamptz, '-infinity'::timestamptz)
      AND e.created_at <= :moment::timestamptz
      AND e.event_type IN ('trailing_stop_created', 'trailing_stop_activated', 'trailing_stop_updated',
                           'trailing_stop_sl_updated', 'trailing_stop_removed', 'warning_raised')
      AND e.exchange IS NOT NULL AND e.symbol IS NOT NULL
      AND (:exchanges::text[] IS NULL OR lower(e.exchange) = ANY (:exchanges::text[]))
      AND (:symbols::text[] IS NULL OR lower(e.symbol) = ANY (:symbols::text[]))
), created AS (
    SELECT DISTINCT ON (exchange, symbol) exchange, symbol, created_at AS created_at, d
    FROM ev WHERE event_type = 'trailing_stop_created'
    ORDER BY exchange, symbol, created_at DESC, id DESC
), later AS (
    -- What happened to each stop since its creation (since the restart when memory holds a restored one).
    SELECT ev.*,
           CASE WHEN ev.event_type = 'trailing_stop_updated' AND ev.d->>'action' IS DISTINCT FROM 'skipped' THEN 'moved'
                WHEN ev.event_type = 'trailing_stop_activated' THEN 'activated'
                WHEN ev.event_type = 'trailing_stop_sl_updated' THEN 'sl'
                WHEN ev.event_type = 'trailing_stop_removed' THEN 'removed'
                WHEN ev.event_type = 'warning_raised' AND ev.d->>'warning_type' = 'ts_side_mismatch_on_restore' THEN 'mismatch' END AS kind,
           ev.event_type IN ('trailing_stop_updated', 'trailing_stop_sl_updated') AND ev.d ? 'update_count' AS counts
    FROM ev
    LEFT JOIN created c ON c.exchange = ev.exchange AND c.symbol = ev.symbol
    WHERE ev.created_at >= COALESCE(c.created_at, '-infinity'::timestamptz)
), last_of_kind AS (
    SELECT DISTINCT ON (exchange, symbol, kind) exchange, symbol, kind, created_at, d
    FROM later WHERE kind IS NOT NULL
    ORDER BY exchange, symbol, kind, created_at DESC, id DESC
), last_count AS (
    SELECT DISTINCT ON (exchange, symbol) exchange, symbol, d->>'update_count' AS update_count
    FROM later WHERE counts
    ORDER BY exchange, symbol, created_at DESC, id DESC
), keys AS (
    SELECT DISTINCT exchange, symbol FROM ev
)
SELECT k.exchange,
       k.symbol,
       c.created_at,
       c.d->>'side'                                                         AS side,
       c.d->>'entry_price'                                                  AS entry_price,
       c.d->>'activation_price'                                             AS activation_price,
       max(l.created_at) FILTER (WHERE l.kind = 'removed')                  AS removed_at,
       max(l.created_at) FILTER (WHERE l.kind = 'activated')                AS activated_at,
       max(l.d->>'stop_price') FILTER (WHERE l.kind = 'activated')          AS activation_stop,
       max(l.created_at) FILTER (WHERE l.kind = 'moved')                    AS moved_at,
       max(l.d->>'new_stop') FILTER (WHERE l.kind = 'moved')                AS new_stop,
       max(l.d->>'highest_price') FILTER (WHERE l.kind = 'moved')           AS highest_price,
       max(l.d->>'lowest_price') FILTER (WHERE l.kind = 'moved')            AS lowest_price,
       max(l.created_at) FILTER (WHERE l.kind = 'sl')                       AS sl_moved_at,
       max(l.d->>'new_sl_price') FILTER (WHERE l.kind = 'sl')               AS new_sl_price,
       n.update_count,
       max(l.created_at) FILTER (WHERE l.kind = 'mismatch')                 AS mismatch_deleted_at
FROM keys k
LEFT JOIN created c ON c.exchange = k.exchange AND c.symbol = k.symbol
LEFT JOIN last_of_kind l ON l.exchange = k.exchange AND l.symbol = k.symbol
LEFT JOIN last_count n ON n.exchange = k.exchange AND n.symbol = k.symbol
GROUP BY k.exchange, k.symbol, c.created_at, c.d, n.update_count
ORDER BY k.exchange, k.symbol;
