-- Every open position with its row's creation time (the timestamps table lists them all).
SELECT p.id, p.opened_at AT TIME ZONE 'Europe/Moscow', s.created_at FROM monitoring.positions p LEFT JOIN monitoring.trailing_stop_state s USING (exchange, symbol)
WHERE p.status IN ('active','pending_entry','entry_placed','pending_sl');
