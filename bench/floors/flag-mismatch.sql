-- The bot's flags against the rows: the open positions left-joined to the rows.
SELECT p.id, p.has_trailing_stop, s.id FROM monitoring.positions p LEFT JOIN monitoring.trailing_stop_state s USING (exchange, symbol)
WHERE p.status IN ('active','pending_entry','entry_placed','pending_sl') AND (p.has_trailing_stop IS DISTINCT FROM (s.id IS NOT NULL) OR p.trailing_activated IS DISTINCT FROM COALESCE(s.is_activated, false));
