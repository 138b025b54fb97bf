-- Open positions with no row: an anti-join.
SELECT p.id FROM monitoring.positions p
WHERE p.status IN ('active','pending_entry','entry_placed','pending_sl') AND NOT EXISTS (SELECT 1 FROM monitoring.trailing_stop_state s WHERE s.exchange = p.exchange AND s.symbol = p.symbol);
