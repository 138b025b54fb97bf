-- recreated-position: open positions whose symbol was traded long before the position was created.
-- Purpose: the incident's position-vs-order history: the first order for (exchange, symbol) days
--   before the open position was created means the symbol was closed and reopened, and a stop row
--   from the earlier position may have been carried over. orders has no index on symbol, so the
--   first order per (exchange, symbol) is found in one pass over orders, not one per symbol. The
--   pass aggregates first and joins the open positions after: probing 5M orders against the open
--   positions before grouping cost more than the scan itself (see bench/README.md).
-- Returns: position_id, exchange, symbol, position_created_at, first_order_at, earlier_ended_positions.
-- Parameters: those of open-positions, :recreated_after_seconds (numeric), :ended_statuses (text[]).
-- Unsorted: one row per open position, made into findings that ts-audit sorts (a sort of 20,000 rows
--   here was wasted).
WITH open_positions AS (
    SELECT * FROM {{query: open-positions}} o
), first_orders AS (
    -- created_at is read raw and its zone converted once per symbol, on the minimum: one pass over
    -- orders with no conversion per row.
    SELECT r.exchange, r.symbol, {{zoned orders.created_at: min(r.created_at)}} AS first_order_at
    FROM {{orders: exchange, symbol, created_at!}} r
    WHERE (:as_of::timestamptz IS NULL OR r.created_at <= {{naive orders.created_at: :as_of::timestamptz}})
    GROUP BY r.exchange, r.symbol
), earlier AS (
    SELECT p.exchange, p.symbol, count(*) AS n
    FROM {{positions: exchange, symbol, status}} p
    WHERE p.status = ANY (:ended_statuses::text[])
    GROUP BY p.exchange, p.symbol
)
SELECT o.id AS position_id,
       o.exchange,
       o.symbol,
       o.created_at AS position_created_at,
       f.first_order_at,
       COALESCE(e.n, 0) AS earlier_ended_positions
FROM open_positions o
JOIN first_orders f ON f.exchange = o.exchange AND f.symbol = o.symbol
LEFT JOIN earlier e ON e.exchange = o.exchange AND e.symbol = o.symbol
WHERE f.first_order_at < o.created_at - make_interval(secs => :recreated_after_seconds::float8);
