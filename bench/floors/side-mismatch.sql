-- Rows on the other side from their open position.
SELECT p.id FROM monitoring.positions p JOIN monitoring.trailing_stop_state s USING (exchange, symbol)
WHERE p.status IN ('active','pending_entry','entry_placed','pending_sl') AND lower(s.side) <> lower(p.side);
