-- The first order per (exchange, symbol): one pass over orders, grouped; ended positions counted in one pass.
SELECT o.id, f.m, COALESCE(e.count, 0) FROM monitoring.positions o
JOIN (SELECT exchange, symbol, min(created_at) AS m FROM monitoring.orders GROUP BY 1, 2) f USING (exchange, symbol)
LEFT JOIN (SELECT exchange, symbol, count(*) FROM monitoring.positions WHERE status IN ('closed','closed_by_sync','canceled','expired','failed','rolled_back') GROUP BY 1, 2) e USING (exchange, symbol)
WHERE o.status IN ('active','pending_entry','entry_placed','pending_sl') AND f.m < o.created_at - interval '1 hour';
