-- Lifecycle rows waiting to re-enter or with no open position (an anti-join), each with its last position.
SELECT l.id, lp.id, lp.status
FROM monitoring.signal_lifecycles l
LEFT JOIN LATERAL (SELECT p.id, p.status FROM monitoring.positions p WHERE p.exchange = l.exchange AND p.symbol = l.symbol
                   ORDER BY p.id DESC LIMIT 1) lp ON true
WHERE l.state = 'reentry_wait'
   OR (l.state = 'in_position' AND NOT EXISTS (SELECT 1 FROM monitoring.positions o WHERE o.exchange = l.exchange AND o.symbol = l.symbol
                                                AND o.status IN ('active','pending_entry','entry_placed','pending_sl')));
