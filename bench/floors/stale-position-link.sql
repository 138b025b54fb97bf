-- Rows that point at another position than the open one.
SELECT p.id FROM monitoring.positions p JOIN monitoring.trailing_stop_state s USING (exchange, symbol)
WHERE p.status IN ('active','pending_entry','entry_placed','pending_sl') AND s.position_id IS DISTINCT FROM p.id;
