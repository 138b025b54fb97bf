-- The summary and restart lines: the open positions, the stop rows, and the open positions whose row
-- is on their side (one join of the open positions with the rows).
SELECT count(*),
       (SELECT count(*) FROM monitoring.trailing_stop_state),
       count(s.id) FILTER (WHERE lower(s.side) = CASE lower(p.side) WHEN 'buy' THEN 'long' WHEN 'sell' THEN 'short' ELSE lower(p.side) END)
FROM monitoring.positions p LEFT JOIN monitoring.trailing_stop_state s USING (exchange, symbol)
WHERE p.status IN ('active','pending_entry','entry_placed','pending_sl');
