-- lifecycle-rows: signal lifecycles a restart rebuilds that no open position explains, and those waiting to re-enter.
-- Purpose: at a restart the current bot rebuilds every lifecycle whose row is not finalized, as the
--   row holds it. Two kinds of row say something a user should know before that: an `in_position` row
--   whose (exchange, symbol) has no open position (the position ended and the row was not corrected,
--   so the rebuilt lifecycle believes it holds a position), and a `reentry_wait` row, whose peak is the
--   exit price: the peak reached after the exit, which drives the re-entry, is held in memory only and
--   has no trace in the database, so after a restart the re-entry drop is measured from the exit price.
--   Each row comes with the last position of its (exchange, symbol), whatever its status.
-- Returns: lifecycle_id, exchange, symbol, signal_id, state, entry_price, max_price, last_exit_price,
--   last_exit_at (from the epoch seconds of last_exit_ts), last_exit_reason, ts_activated, updated_at,
--   has_open_position, last_position_id, last_position_status, last_position_closed_at.
-- Parameters: :open_statuses, :exchanges, :symbols (lower-case text[] or null).
WITH l AS (
    SELECT l.*
    FROM {{signal_lifecycles: id, exchange, symbol, signal_id, state, entry_price, max_price, last_exit_price, last_exit_ts, last_exit_reason, ts_activated, updated_at}} l
    WHERE l.state IN ('in_position', 'reentry_wait')
      AND (:exchanges::text[] IS NULL OR lower(l.exchange) = ANY (:exchanges::text[]))
      AND (:symbols::text[] IS NULL OR lower(l.symbol) = ANY (:symbols::text[]))
), kept AS (
    -- Whether an open position explains the row is decided first, so that only the rows kept look up their last position.
    SELECT l.*, EXISTS (SELECT 1
                        FROM {{positions: exchange, symbol, status}} o
                        WHERE o.exchange = l.exchange AND o.symbol = l.symbol AND o.status = ANY (:open_statuses::text[])) AS has_open_position
    FROM l
), last_positions AS (
    SELECT DISTINCT ON (p.exchange, p.symbol) p.exchange, p.symbol, p.id, p.status, p.closed_at
    FROM {{positions: id, exchange, symbol, status, closed_at}} p
    WHERE p.symbol IN (SELECT symbol FROM kept WHERE state = 'reentry_wait' OR NOT has_open_position)
    ORDER BY p.exchange, p.symbol, (p.status = ANY (:open_statuses::text[])) DESC, p.id DESC
)
SELECT l.id              AS lifecycle_id,
       l.exchange,
       l.symbol,
       l.signal_id,
       l.state,
       l.entry_price,
       l.max_price,
       l.last_exit_price,
       CASE WHEN l.last_exit_ts > 0 AND l.last_exit_ts < 32503680000 THEN to_timestamp(l.last_exit_ts) END AS last_exit_at,
       l.last_exit_reason,
       l.ts_activated,
       l.updated_at,
       l.has_open_position,
       lp.id             AS last_position_id,
       lp.status         AS last_position_status,
       lp.closed_at      AS last_position_closed_at
FROM kept l
LEFT JOIN last_positions lp ON lp.exchange = l.exchange AND lp.symbol = l.symbol
WHERE l.state = 'reentry_wait' OR NOT l.has_open_position
ORDER BY l.exchange, l.symbol;
