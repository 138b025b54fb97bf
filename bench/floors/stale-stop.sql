-- Active rows whose last write is 6 hours older than the table's latest: one pass for the latest
-- write, one over the rows.
SELECT s.id FROM monitoring.trailing_stop_state s, (SELECT max(COALESCE(last_update_time, created_at)) AS m FROM monitoring.trailing_stop_state) l
WHERE s.state = 'active' AND COALESCE(s.last_update_time, s.created_at) < l.m - interval '6 hours';
