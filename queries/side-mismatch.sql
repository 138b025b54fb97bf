-- side-mismatch: stop rows on the other side from their open position.
-- Purpose: a short stop on a long position computes its stop on the wrong side, and every stop update
--   is rejected; a restart deletes and recreates it. Sides are compared as the bot's restore compares
--   them (see open-stops). A position side the bot cannot read is reported too: restore deletes its row.
-- Returns: position_id, exchange, symbol, position_side, stop_side, position_side_norm, stop_side_norm,
--   stop_position_id.
-- Parameters: those of open-positions.
SELECT x.position_id, x.exchange, x.symbol, x.position_side, x.stop_side, x.position_side_norm, x.stop_side_norm, x.stop_position_id
FROM {{query: open-stops}} x
WHERE x.stop_id IS NOT NULL
  AND x.position_side_norm IS DISTINCT FROM x.stop_side_norm
ORDER BY x.exchange, x.symbol;
