-- invalid-stop-row: stop rows whose values cannot be right.
-- Purpose: corrupted rows seen in production. Reasons: entry-price-zero; sentinel-on-tracked-side
--   (999999, the unused side's sentinel, in the peak the stop's side tracks); stop-beyond-peak (stop
--   above the peak of a long, below the trough of a short); zero-callback (callback_percent 0: stop
--   equal to the peak); activation-flag-mismatch (is_activated is not state = 'active');
--   unknown-state; unknown-side (restore treats it as long); legacy-case (upper-case state or side,
--   e.g. LONG, from an older version); non-finite (NaN or ±Infinity in a price, quantity or percent:
--   numeric can hold them, and no comparison with them means anything).
-- Returns: stop_id, exchange, symbol, stop_position_id, state, side, is_activated, entry_price,
--   highest_price, lowest_price, current_stop_price, activation_price, quantity, callback_percent,
--   reasons (text[]).
-- Parameters: :exchanges, :symbols (text[] or null), :as_of (timestamptz or null: rows created by then).
WITH rows AS (
    SELECT s.*,
           CASE WHEN lower(s.side) IN ('long', 'short') THEN lower(s.side) ELSE 'long' END AS tracked
    FROM {{trailing_stop_state: id, exchange, symbol, position_id, state, side, is_activated, entry_price, highest_price, lowest_price, current_stop_price, activation_price, quantity, callback_percent, created_at}} s
    WHERE (:exchanges::text[] IS NULL OR lower(s.exchange) = ANY (:exchanges::text[]))
      AND (:symbols::text[] IS NULL OR lower(s.symbol) = ANY (:symbols::text[]))
      AND (:as_of::timestamptz IS NULL OR s.created_at <= :as_of::timestamptz)
), judged AS (
    SELECT r.*,
           array_remove(ARRAY[
               CASE WHEN EXISTS (SELECT 1
                                 FROM unnest(ARRAY[r.entry_price, r.highest_price, r.lowest_price, r.current_stop_price,
                                                   r.activation_price, r.quantity, r.callback_percent]::numeric[]) AS v(x)
                                 WHERE x IN ('NaN', 'Infinity', '-Infinity')) THEN 'non-finite' END,
               CASE WHEN r.entry_price = 0 THEN 'entry-price-zero' END,
               CASE WHEN (r.tracked = 'long' AND r.highest_price = 999999)
                      OR (r.tracked = 'short' AND r.lowest_price = 999999) THEN 'sentinel-on-tracked-side' END,
               CASE WHEN (r.tracked = 'long' AND r.current_stop_price > r.highest_price AND r.highest_price <> 999999)
                      OR (r.tracked = 'short' AND r.current_stop_price < r.lowest_price AND r.lowest_price <> 999999)
                    THEN 'stop-beyond-peak' END,
               CASE WHEN r.callback_percent = 0 THEN 'zero-callback' END,
               CASE WHEN r.is_activated <> (lower(r.state) = 'active') THEN 'activation-flag-mismatch' END,
               CASE WHEN lower(r.state) NOT IN ('inactive', 'waiting', 'active', 'triggered') THEN 'unknown-state' END,
               CASE WHEN lower(r.side) NOT IN ('long', 'short') THEN 'unknown-side' END,
               CASE WHEN (r.state <> lower(r.state) AND lower(r.state) IN ('inactive', 'waiting', 'active', 'triggered'))
                      OR (r.side <> lower(r.side) AND lower(r.side) IN ('long', 'short')) THEN 'legacy-case' END
           ], NULL) AS reasons
    FROM rows r
)
SELECT id AS stop_id, exchange, symbol, position_id AS stop_position_id, state, side, is_activated, entry_price,
       highest_price, lowest_price, current_stop_price, activation_price, quantity, callback_percent, reasons
FROM judged
WHERE cardinality(reasons) > 0
ORDER BY exchange, symbol;
