-- What a restart restores: every open position with its row.
SELECT p.id, s.id, s.side, p.side, s.entry_price, p.entry_price FROM monitoring.positions p LEFT JOIN monitoring.trailing_stop_state s USING (exchange, symbol)
WHERE p.status IN ('active','pending_entry','entry_placed','pending_sl');
