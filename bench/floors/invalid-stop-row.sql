-- Rows a restart cannot use: one pass over the rows.
SELECT id FROM monitoring.trailing_stop_state
WHERE callback_percent = 0 OR lower(side) NOT IN ('long','short') OR lower(state) NOT IN ('inactive','waiting','active','triggered')
   OR (side = 'long' AND highest_price IS NULL) OR (side = 'short' AND lowest_price IS NULL) OR entry_price = 'NaN' OR position_id IS NULL;
