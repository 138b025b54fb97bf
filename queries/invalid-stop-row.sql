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
-- Sides and states are lower-cased byte-wise, as in open-stops.
WITH rows AS (
    SELECT s.*,
           CASE WHEN s.side IN ('long', 'short') THEN s.side
                WHEN lower(s.side COLLATE "C") IN ('long', 'short') THEN lower(s.side COLLATE "C") ELSE 'long' END AS tracked
    FROM {{trailing_stop_state: id, exchange, symbol, position_id, state, side, is_activated, entry_price, highest_price, lowest_price, current_stop_price, activation_price, quantity, callback_percent, created_at}} s
    WHERE (:exchanges::text[] IS NULL OR lower(s.exchange) = ANY (:exchanges::text[]))
      AND (:symbols::text[] IS NULL OR lower(s.symbol) = ANY (:symbols::text[]))
      AND (:as_of::timestamptz IS NULL OR s.created_at <= :as_of::timestamptz)
), flags AS (
    -- Each reason as a flag, cheap to test on every row; the array is built only for the rows flagged
    -- (built for every row, with a subquery per row for non-finite, it was slow).
    -- A state or side already written as one of the bot's words is taken as it is: lower() runs only
    -- on the others (it was a third of the query). NaN sorts above Infinity in numeric, so two
    -- comparisons find the three non-finite values (cheaper than three equalities).
    SELECT r.*,
           ((r.entry_price::numeric >= 'Infinity' OR r.entry_price::numeric <= '-Infinity')
            OR (r.highest_price::numeric >= 'Infinity' OR r.highest_price::numeric <= '-Infinity')
            OR (r.lowest_price::numeric >= 'Infinity' OR r.lowest_price::numeric <= '-Infinity')
            OR (r.current_stop_price::numeric >= 'Infinity' OR r.current_stop_price::numeric <= '-Infinity')
            OR (r.activation_price::numeric >= 'Infinity' OR r.activation_price::numeric <= '-Infinity')
            OR (r.quantity::numeric >= 'Infinity' OR r.quantity::numeric <= '-Infinity')
            OR (r.callback_percent::numeric >= 'Infinity' OR r.callback_percent::numeric <= '-Infinity')) AS non_finite,
           r.entry_price = 0 AS entry_price_zero,
           (r.tracked = 'long' AND r.highest_price = 999999)
            OR (r.tracked = 'short' AND r.lowest_price = 999999) AS sentinel_on_tracked_side,
           (r.tracked = 'long' AND r.current_stop_price > r.highest_price AND r.highest_price <> 999999)
            OR (r.tracked = 'short' AND r.current_stop_price < r.lowest_price AND r.lowest_price <> 999999) AS stop_beyond_peak,
           r.callback_percent = 0 AS zero_callback,
           r.is_activated <> CASE WHEN r.state IN ('inactive', 'waiting', 'active', 'triggered') THEN r.state = 'active'
                                 ELSE lower(r.state COLLATE "C") = 'active' END AS activation_flag_mismatch,
           r.state NOT IN ('inactive', 'waiting', 'active', 'triggered') AND lower(r.state COLLATE "C") NOT IN ('inactive', 'waiting', 'active', 'triggered') AS unknown_state,
           r.side NOT IN ('long', 'short') AND lower(r.side COLLATE "C") NOT IN ('long', 'short') AS unknown_side,
           (r.state NOT IN ('inactive', 'waiting', 'active', 'triggered') AND r.state <> lower(r.state COLLATE "C") AND lower(r.state COLLATE "C") IN ('inactive', 'waiting', 'active', 'triggered'))
            OR (r.side NOT IN ('long', 'short') AND r.side <> lower(r.side COLLATE "C") AND lower(r.side COLLATE "C") IN ('long', 'short')) AS legacy_case
    FROM rows r
)
SELECT id AS stop_id, exchange, symbol, position_id AS stop_position_id, state, side, is_activated, entry_price,
       highest_price, lowest_price, current_stop_price, activation_price, quantity, callback_percent,
       array_remove(ARRAY[
           CASE WHEN non_finite THEN 'non-finite' END,
           CASE WHEN entry_price_zero THEN 'entry-price-zero' END,
           CASE WHEN sentinel_on_tracked_side THEN 'sentinel-on-tracked-side' END,
           CASE WHEN stop_beyond_peak THEN 'stop-beyond-peak' END,
           CASE WHEN zero_callback THEN 'zero-callback' END,
           CASE WHEN activation_flag_mismatch THEN 'activation-flag-mismatch' END,
           CASE WHEN unknown_state THEN 'unknown-state' END,
           CASE WHEN unknown_side THEN 'unknown-side' END,
           CASE WHEN legacy_case THEN 'legacy-case' END
       ], NULL) AS reasons
FROM flags
WHERE non_finite OR entry_price_zero OR sentinel_on_tracked_side OR stop_beyond_peak OR zero_callback
   OR activation_flag_mismatch OR unknown_state OR unknown_side OR legacy_case
ORDER BY exchange, symbol;
