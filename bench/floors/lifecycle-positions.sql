-- Each open position beside its lifecycle row and its stop row, and the peak of its mark prices with
-- the time of that peak and the number of ticks (each lifecycle-reset finding reports all three, and
-- only the events give them): three hash joins and one probe of the events' position_id index per
-- open position, each event's price read once.
SELECT p.id, l.id, l.max_price, l.ts_activated, l.strategy_params->>'base_activation', s.is_activated, s.highest_price, j.peak, j.peak_at, j.ticks
FROM monitoring.positions p
LEFT JOIN monitoring.signal_lifecycles l USING (exchange, symbol)
LEFT JOIN monitoring.trailing_stop_state s USING (exchange, symbol)
LEFT JOIN LATERAL (SELECT max(t.price) AS peak, (array_agg(t.created_at ORDER BY t.price DESC, t.created_at))[1] AS peak_at, count(*) AS ticks
                   FROM (SELECT (e.event_data->>'new_price')::numeric AS price, e.created_at FROM monitoring.events e
                         WHERE e.position_id = p.id AND e.event_type = 'position_updated' OFFSET 0) t) j ON true
WHERE p.status IN ('active','pending_entry','entry_placed','pending_sl');
