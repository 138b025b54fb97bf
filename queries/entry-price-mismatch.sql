-- entry-price-mismatch: stop rows whose entry price is not their open position's.
-- Purpose: the upsert that saves a stop does not update entry_price, side or quantity on conflict,
--   so a reopened symbol keeps the previous position's entry (and a restart restores it as if
--   current). Compared in numeric, exactly: |row - position| > max(absolute tolerance, relative
--   tolerance x position entry). caught_by_cleanup_rule says whether the bot's own clean-up rule
--   (|diff| > 0.00001) would catch it: micro-priced symbols escape that rule.
-- Returns: position_id, exchange, symbol, position_entry_price, stop_entry_price, abs_diff,
--   rel_diff_pct, caught_by_cleanup_rule, stop_position_id, stop_created_at.
-- Parameters: those of open-positions, :entry_tolerance (numeric), :entry_tolerance_pct (numeric).
SELECT x.position_id,
       x.exchange,
       x.symbol,
       x.position_entry_price,
       x.stop_entry_price,
       abs(x.stop_entry_price - x.position_entry_price) AS abs_diff,
       CASE WHEN x.position_entry_price <> 0
            THEN round(abs(x.stop_entry_price - x.position_entry_price) * 100 / abs(x.position_entry_price), 6) END AS rel_diff_pct,
       abs(x.stop_entry_price - x.position_entry_price) > 0.00001 AS caught_by_cleanup_rule,
       x.stop_position_id,
       x.stop_created_at
FROM {{query: open-stops}} x
WHERE x.stop_id IS NOT NULL
  AND abs(x.stop_entry_price - x.position_entry_price)
      > GREATEST(:entry_tolerance::numeric, :entry_tolerance_pct::numeric / 100 * abs(x.position_entry_price))
ORDER BY x.exchange, x.symbol;
