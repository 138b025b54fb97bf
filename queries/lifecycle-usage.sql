-- lifecycle-usage: how many signal lifecycles the current bot's table holds, by state.
-- Purpose: `doctor` says whether the bot uses its lifecycle manager (the current bot's real trailing
--   exit): the lifecycle checks judge open positions only when the table holds a lifecycle at all.
-- Returns: lifecycle_rows, in_position, reentry_wait, other (bigint, as text).
-- Parameters: none.
SELECT count(*)                                      AS lifecycle_rows,
       count(*) FILTER (WHERE l.state = 'in_position')  AS in_position,
       count(*) FILTER (WHERE l.state = 'reentry_wait') AS reentry_wait,
       count(*) FILTER (WHERE l.state IS DISTINCT FROM 'in_position' AND l.state IS DISTINCT FROM 'reentry_wait') AS other
FROM {{signal_lifecycles: id, state}} l;
