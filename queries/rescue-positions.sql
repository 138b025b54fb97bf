-- rescue-positions: each open position with the quantity a recreated stop row needs.
-- Purpose: `ts-audit rescue` writes a stop row for a stop that memory holds and the table lacks; where
--   the memory side does not carry them (a get_status() dump has no side or quantity), the side, entry
--   and quantity are the open position's, which are exact.
-- Returns: id, exchange, symbol, side, entry_price, quantity (numerics as text).
-- Parameters: those of open-positions.
SELECT o.id, o.exchange, o.symbol, o.side, o.entry_price, p.quantity
FROM {{query: open-positions}} o
JOIN {{positions: id, quantity}} p ON p.id = o.id
ORDER BY o.exchange COLLATE "C", o.symbol COLLATE "C";
