-- timeline: what the database shows of each (exchange, symbol), in time order.
-- Purpose: `ts-audit timeline`: every position of the symbol opened and closed, its first and last
--   order, its stop row's creation, activation and last update. The journal's events come from
--   timeline-events. Without :symbols, the symbols of the open positions.
-- Returns: exchange, symbol, at (timestamptz), kind, detail (jsonb).
-- Parameters: :exchanges, :symbols (lower-case text[] or null), :open_statuses, :since, :until
--   (timestamptz or null).
WITH wanted AS (
    SELECT DISTINCT p.exchange, p.symbol
    FROM {{positions: exchange, symbol, status}} p
    WHERE (:exchanges::text[] IS NULL OR lower(p.exchange) = ANY (:exchanges::text[]))
      AND (CASE WHEN :symbols::text[] IS NULL THEN p.status = ANY (:open_statuses::text[]) ELSE lower(p.symbol) = ANY (:symbols::text[]) END)
    UNION
    SELECT s.exchange, s.symbol
    FROM {{trailing_stop_state: exchange, symbol}} s
    WHERE :symbols::text[] IS NOT NULL AND lower(s.symbol) = ANY (:symbols::text[])
      AND (:exchanges::text[] IS NULL OR lower(s.exchange) = ANY (:exchanges::text[]))
), pos AS (
    SELECT p.* FROM {{positions: id, exchange, symbol, side, entry_price, status, opened_at, created_at, closed_at, exit_reason}} p
    JOIN wanted w ON w.exchange = p.exchange AND w.symbol = p.symbol
), ord AS (
    SELECT r.exchange, r.symbol, min(r.created_at) AS first_at, max(r.created_at) AS last_at, count(*) AS n
    FROM {{orders: exchange, symbol, created_at}} r
    JOIN wanted w ON w.exchange = r.exchange AND w.symbol = r.symbol
    GROUP BY r.exchange, r.symbol
), row_ AS (
    SELECT s.* FROM {{trailing_stop_state: exchange, symbol, position_id, state, side, entry_price, created_at, activated_at, last_update_time, update_count}} s
    JOIN wanted w ON w.exchange = s.exchange AND w.symbol = s.symbol
), t AS (
    SELECT exchange, symbol, COALESCE(opened_at, created_at) AS at, 'position-opened' AS kind,
           jsonb_build_object('positionId', id, 'side', side, 'entryPrice', entry_price::text, 'status', status) AS detail
    FROM pos
    UNION ALL
    SELECT exchange, symbol, closed_at, 'position-closed', jsonb_build_object('positionId', id, 'status', status, 'exitReason', exit_reason)
    FROM pos WHERE closed_at IS NOT NULL
    UNION ALL
    SELECT exchange, symbol, first_at, 'first-order', jsonb_build_object('orders', n) FROM ord
    UNION ALL
    SELECT exchange, symbol, last_at, 'last-order', jsonb_build_object('orders', n) FROM ord WHERE n > 1
    UNION ALL
    SELECT exchange, symbol, created_at, 'row-created', jsonb_build_object('positionId', position_id, 'side', side, 'entryPrice', entry_price::text) FROM row_
    UNION ALL
    SELECT exchange, symbol, activated_at, 'row-activated', jsonb_build_object('state', state) FROM row_ WHERE activated_at IS NOT NULL
    UNION ALL
    SELECT exchange, symbol, last_update_time, 'row-updated', jsonb_build_object('state', state, 'updateCount', update_count) FROM row_ WHERE last_update_time IS NOT NULL
)
SELECT exchange, symbol, at, kind, detail
FROM t
WHERE at IS NOT NULL
  AND (:since::timestamptz IS NULL OR at >= :since::timestamptz)
  AND (:until::timestamptz IS NULL OR at <= :until::timestamptz)
ORDER BY exchange, symbol, at, kind;
