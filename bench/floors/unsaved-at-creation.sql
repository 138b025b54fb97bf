-- Creation events of open positions (event_type index) against their rows.
SELECT p.id, min(e.created_at), s.created_at
FROM monitoring.positions p
JOIN monitoring.events e ON e.exchange = p.exchange AND e.symbol = p.symbol AND e.event_type = 'trailing_stop_created'
LEFT JOIN monitoring.trailing_stop_state s ON s.exchange = p.exchange AND s.symbol = p.symbol
WHERE p.status IN ('active','pending_entry','entry_placed','pending_sl')
GROUP BY p.id, s.created_at
HAVING s.created_at IS NULL OR s.created_at > min(e.created_at) + interval '5 minutes';
