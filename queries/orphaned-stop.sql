-- orphaned-stop: stop rows whose (exchange, symbol) has no open position.
-- Purpose: rows left behind by close paths that skip the delete (phantom clean-up, emergency
--   close). The bot's orphan clean-up exists but nothing calls it. Each row comes with the last
--   position of its (exchange, symbol), whatever its status, to show how it ended.
-- Returns: stop_id, exchange, symbol, stop_position_id, state, stop_created_at, last_update_time,
--   last_position_id, last_position_status, last_position_closed_at, last_position_exit_reason.
-- Parameters: :open_statuses, :ended_statuses, :exchanges, :symbols, :as_of (as in open-positions;
--   :since does not apply to rows). With :as_of, rows created by then, against positions open then.
WITH orphans AS (
    SELECT s.*
    FROM {{trailing_stop_state: id, exchange, symbol, position_id, state, created_at, last_update_time}} s
    WHERE (:exchanges::text[] IS NULL OR lower(s.exchange) = ANY (:exchanges::text[]))
      AND (:symbols::text[] IS NULL OR lower(s.symbol) = ANY (:symbols::text[]))
      AND (:as_of::timestamptz IS NULL OR s.created_at <= :as_of::timestamptz)
      AND NOT EXISTS (SELECT 1
                      FROM {{positions: exchange, symbol, status, opened_at, created_at, closed_at}} p
                      WHERE p.exchange = s.exchange AND p.symbol = s.symbol
                        AND (p.status = ANY (:open_statuses::text[])
                             OR (:as_of::timestamptz IS NOT NULL AND p.status = ANY (:ended_statuses::text[]) AND p.closed_at > :as_of::timestamptz))
                        AND (:as_of::timestamptz IS NULL OR COALESCE(p.opened_at, p.created_at) <= :as_of::timestamptz))
), last_positions AS (
    SELECT DISTINCT ON (p.exchange, p.symbol) p.exchange, p.symbol, p.id, p.status, p.closed_at, p.exit_reason
    FROM {{positions: id, exchange, symbol, status, closed_at, exit_reason}} p
    WHERE p.symbol IN (SELECT symbol FROM orphans)
    ORDER BY p.exchange, p.symbol, p.id DESC
)
SELECT o.id          AS stop_id,
       o.exchange,
       o.symbol,
       o.position_id AS stop_position_id,
       o.state,
       o.created_at  AS stop_created_at,
       o.last_update_time,
       l.id          AS last_position_id,
       l.status      AS last_position_status,
       l.closed_at   AS last_position_closed_at,
       l.exit_reason AS last_position_exit_reason
FROM orphans o
LEFT JOIN last_positions l ON l.exchange = o.exchange AND l.symbol = o.symbol
ORDER BY o.exchange, o.symbol;
