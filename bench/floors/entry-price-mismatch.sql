-- Rows whose entry differs from their open position's: the open positions joined to the rows.
SELECT p.id, s.symbol FROM monitoring.positions p JOIN monitoring.trailing_stop_state s USING (exchange, symbol)
WHERE p.status IN ('active','pending_entry','entry_placed','pending_sl') AND s.entry_price <> p.entry_price;
