-- Each open position beside its lifecycle row and its stop row, and the peak of its mark prices: three
-- hash joins and one probe of the events' position_id index per open position.
SELECT p.id, l.id, l.max_price, l.ts_activated, l.strategy_params->>'base_activation', s.is_activated, s.highest_price, j.peak
FROM monitoring.positions p
LEFT JOIN monitoring.signal_lifecycles l USING (exchange, symbol)
LEFT JOIN monitoring.trailing_stop_state s USING (exchange, symbol)
LEFT JOIN LATERAL (SELECT max((e.event_data->>'new_price')::numeric) AS peak FROM monitoring.events e
                   WHERE e.position_id = p.id AND e.event_type = 'position_updated') j ON true
WHERE p.status IN ('active','pending_entry','entry_placed','pending_sl');
