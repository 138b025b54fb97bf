-- lifecycle-positions: each open position beside its signal lifecycle, and what the database knows of its exit.
-- Purpose: the current bot exits a position from two values it holds in memory only, the lifecycle's
--   peak (max_price) and its activation latch (ts_activated); its signal_lifecycles row is written when
--   the position opens and keeps max_price = entry_price, ts_activated = false while the position stays
--   open. A restart rebuilds the lifecycle from that row. This query puts each open position beside the
--   row of its (exchange, symbol) that is not finalized and beside what else the database knows of the
--   price since the open: the highest new_price of the position's position_updated events since it
--   opened (mark prices, read through the events' position_id), the stop row's activation and peak
--   when that row belongs to this position (a lower bound: the TS manager saves peaks only while active
--   and rate-limited), positions.trailing_activated and current_price. The TS manager's activation
--   (its row's, and positions.trailing_activated) counts only when its activation percent (the row's,
--   the position's trailing_activation_percent) is not below the lifecycle's base_activation: a TS
--   manager configured to activate sooner says nothing of the lifecycle's latch. Numbers are returned as text
--   and compared as exact decimals by the checks; a strategy parameter or price that is not a plain
--   number reads as null. The restore outcome of the stop row (open-stops) comes along, so a restart's
--   two mechanisms are judged from one row.
--   Nothing is returned when the table holds no lifecycle at all: the bot does not use the lifecycle
--   manager (or has not written a row yet), and no open position is judged by it.
--   What only a position without a lifecycle in position is judged by (why it is judged
--   lifecycle-managed, how young it is) comes only on such a row, null on the others: the open
--   positions in position are nearly every row, and these columns would be sent for none of their findings.
-- Returns: position_id, exchange, symbol, position_entry_price, position_trailing_activated,
--   current_price, stop_outcome, stop_activated, stop_peak, lifecycle_id, lifecycle_state,
--   lifecycle_entry_price, max_price, ts_activated, lifecycle_updated_at, base_activation,
--   base_callback, journal_peak, journal_peak_at, journal_ticks; and, only where the lifecycle is not in
--   position (none, or another state): opened_at, position_signal_id, trailing_activation_percent,
--   trailing_callback_percent, lifecycle_rows (the table's rows, all states), signal_lifecycle (the
--   exchange and symbol of another row carrying the position's signal_id, when the position has no row).
-- Parameters: those of open-stops (no :as_of: rows are read as they are now).
WITH usage AS (
    SELECT count(*) AS lifecycle_rows FROM {{signal_lifecycles: id}} u
), l AS (
    SELECT l.id, l.exchange, l.symbol, l.signal_id, l.state, l.entry_price, l.max_price, l.ts_activated,
           l.updated_at,
           -- A JSON number is taken as it is unless negative (its text would fail the pattern), without
           -- printing and parsing it; a string must read as a plain number.
           CASE WHEN jsonb_typeof(l.activation) = 'number'
                THEN CASE WHEN l.activation::numeric >= 0 THEN l.activation::numeric END
                WHEN l.activation #>> '{}' ~ '^[0-9]+(\.[0-9]+)?$'
                THEN (l.activation #>> '{}')::numeric END AS base_activation,
           CASE WHEN jsonb_typeof(l.callback) = 'number'
                THEN CASE WHEN l.callback::numeric >= 0 THEN l.callback::numeric END
                WHEN l.callback #>> '{}' ~ '^[0-9]+(\.[0-9]+)?$'
                THEN (l.callback #>> '{}')::numeric END AS base_callback
    -- Each parameter looked up in strategy_params once (OFFSET 0 keeps the lookups from being copied
    -- into every use of them, as the planner otherwise does).
    FROM (SELECT l.*, l.strategy_params->'base_activation' AS activation, l.strategy_params->'base_callback' AS callback
          FROM {{signal_lifecycles: id, exchange, symbol, signal_id, state, strategy_params, entry_price, max_price, ts_activated, updated_at}} l
          WHERE l.state IS DISTINCT FROM 'finalized'
          OFFSET 0) l
), signals AS (
    -- Per signal id, the first (exchange, symbol) of a row carrying it: one hash join, not a scan of the rows per position.
    -- Only the signal ids of open positions without a row of their own are looked up (all that the join below asks
    -- for): a database where nearly every open position has its row groups a handful of rows, not every row.
    SELECT o.signal_id::text AS signal_id, min(o.exchange || ' ' || o.symbol) AS lifecycle
    FROM {{signal_lifecycles: exchange, symbol, signal_id, state}} o
    WHERE o.state IS DISTINCT FROM 'finalized' AND o.signal_id IS NOT NULL
      AND o.signal_id::text IN (
          SELECT n.signal_id::text
          FROM {{positions: exchange, symbol, status, closed_at, signal_id}} n
          -- The same test of open as the join to p below (a superset of the positions of x).
          WHERE (n.status = ANY (:open_statuses::text[])
                 OR (:as_of::timestamptz IS NOT NULL AND n.status = ANY (:ended_statuses::text[]) AND n.closed_at > :as_of::timestamptz))
            AND NOT EXISTS (SELECT 1 FROM {{signal_lifecycles: exchange, symbol, state}} m
                            WHERE m.exchange = n.exchange AND m.symbol = n.symbol AND m.state IS DISTINCT FROM 'finalized'))
    GROUP BY o.signal_id::text
), x AS (
    SELECT x.*
    FROM {{query: open-stops}} x
    WHERE (SELECT lifecycle_rows FROM usage) > 0
)
SELECT x.position_id,
       x.exchange,
       x.symbol,
       x.position_entry_price,
       x.trailing_activated AND (p.trailing_activation_percent IS NULL OR l.base_activation IS NULL
                                 OR p.trailing_activation_percent >= l.base_activation) AS position_trailing_activated,
       p.current_price,
       x.restore_outcome                                            AS stop_outcome,
       -- The TS manager's activation says the lifecycle's only when its percent is not below the strategy's.
       COALESCE(x.stop_position_id = x.position_id AND (x.is_activated OR lower(x.state COLLATE "C") = 'active')
                AND (sp.activation_percent IS NULL OR l.base_activation IS NULL OR sp.activation_percent >= l.base_activation), false) AS stop_activated,
       CASE WHEN x.stop_position_id = x.position_id AND x.stop_side_norm = 'long' AND x.highest_price < 999999
            THEN x.highest_price END                                AS stop_peak,
       l.id                                                         AS lifecycle_id,
       l.state                                                      AS lifecycle_state,
       l.entry_price                                                AS lifecycle_entry_price,
       l.max_price,
       l.ts_activated,
       l.updated_at                                                 AS lifecycle_updated_at,
       l.base_activation,
       l.base_callback,
       j.peak                                                       AS journal_peak,
       j.peak_at                                                    AS journal_peak_at,
       COALESCE(j.ticks, 0)                                         AS journal_ticks,
       CASE WHEN l.state IS DISTINCT FROM 'in_position' THEN x.opened_at END                    AS opened_at,
       CASE WHEN l.state IS DISTINCT FROM 'in_position' THEN p.signal_id::text END              AS position_signal_id,
       CASE WHEN l.state IS DISTINCT FROM 'in_position' THEN p.trailing_activation_percent END  AS trailing_activation_percent,
       CASE WHEN l.state IS DISTINCT FROM 'in_position' THEN p.trailing_callback_percent END    AS trailing_callback_percent,
       CASE WHEN l.state IS DISTINCT FROM 'in_position' THEN (SELECT lifecycle_rows FROM usage) END AS lifecycle_rows,
       sg.lifecycle                                                 AS signal_lifecycle
FROM x
-- The open positions' own columns, read with the same test of open as open-positions (so through the status index, not all positions).
-- A left join, though every row of x has its own: an inner join's estimate multiplies the two tests of open, and a few hundred
-- rows expected made the planner probe every join after it once per row instead of hashing it.
LEFT JOIN {{positions: id, status, closed_at, signal_id, current_price, trailing_activation_percent, trailing_callback_percent}} p
  ON p.id = x.position_id
 AND (p.status = ANY (:open_statuses::text[])
      OR (:as_of::timestamptz IS NOT NULL AND p.status = ANY (:ended_statuses::text[]) AND p.closed_at > :as_of::timestamptz))
LEFT JOIN l ON l.exchange = x.exchange AND l.symbol = x.symbol
LEFT JOIN signals sg ON l.id IS NULL AND sg.signal_id = p.signal_id::text
LEFT JOIN {{trailing_stop_state: id, activation_percent}} sp ON sp.id = x.stop_id
-- The position's mark prices since it opened: only for a lifecycle in position, whose peak a restart resets.
-- OFFSET 0 keeps t a subquery of its own, so each event's price is read out of its JSON once: flattened,
-- the expression was copied into each of the three aggregates and evaluated three times per event.
LEFT JOIN LATERAL (
    SELECT max(t.price) AS peak, (array_agg(t.created_at ORDER BY t.price DESC NULLS LAST, t.created_at))[1] AS peak_at, count(t.price) AS ticks
    FROM (SELECT e.created_at,
                 CASE WHEN jsonb_typeof(e.event_data->'new_price') = 'number'
                      THEN CASE WHEN (e.event_data->'new_price')::numeric >= 0 THEN (e.event_data->'new_price')::numeric END
                      WHEN e.event_data->>'new_price' ~ '^[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$'
                      THEN (e.event_data->>'new_price')::numeric END AS price
          FROM {{events: position_id, event_type, event_data, created_at}} e
          WHERE e.position_id = x.position_id
            AND e.event_type = 'position_updated'
            AND e.created_at >= x.opened_at
          OFFSET 0) t
    WHERE l.state = 'in_position'
) j ON true;
