-- The counts: one pass over the open positions (status index) and the stop rows.
SELECT (SELECT count(*) FROM monitoring.positions WHERE status IN ('active','pending_entry','entry_placed','pending_sl')), (SELECT count(*) FROM monitoring.trailing_stop_state);
