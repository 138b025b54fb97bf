-- Rows with no open position: an anti-join.
SELECT s.id FROM monitoring.trailing_stop_state s
WHERE NOT EXISTS (SELECT 1 FROM monitoring.positions p WHERE p.exchange = s.exchange AND p.symbol = s.symbol AND p.status IN ('active','pending_entry','entry_placed','pending_sl'));
