-- stop-row-count: how many rows the TS manager's table holds.
-- Purpose: `doctor` says which trailing mechanisms the database shows (stop rows, signal lifecycles,
--   both) and so which checks have something to judge.
-- Returns: stop_rows (bigint, as text), activated (rows whose is_activated is true).
-- Parameters: none.
SELECT count(*) AS stop_rows, count(*) FILTER (WHERE s.is_activated) AS activated
FROM {{trailing_stop_state: id, is_activated}} s;
