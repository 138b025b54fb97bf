-- open-positions: the bot's open positions, one per (exchange, symbol).
-- Purpose: the positions a trailing stop must exist for, and the base every check starts from
--   (included by others as {{query: open-positions}}). A position is open while its status is one of
--   the open statuses (active, and pending_entry / entry_placed / pending_sl while opening). With
--   :as_of, a position is open when it had opened by then and had not closed by then: open now, or
--   ended with closed_at after :as_of (without a closed_at column no ended position counts). The
--   bot's partial unique index allows one open position per (symbol, exchange); should a database hold
--   more, the newest is taken. Where the catalog shows that index (see `unique-keys`) and no :as_of
--   brings ended positions in, the `DISTINCT ON` and its sort are left out: the rows are then unsorted.
--   Naive `timestamp` times are read in the bot's zone (see `session`).
-- Returns: id, exchange, symbol, side, entry_price (numeric as text), has_trailing_stop,
--   trailing_activated, opened_at (timestamptz: opened_at, else created_at), created_at.
-- Parameters: :open_statuses and :ended_statuses (text[]), :exchanges and :symbols (lower-case
--   text[], matched without regard to case; null = all), :since (timestamptz or null: only positions
--   opened at or after it), :as_of (timestamptz or null = now).
-- Sorted byte-wise (COLLATE "C"): equality is the same as in any deterministic collation, and the
--   sort of the open positions, which every check repeats, costs a third of a locale-aware one.
--   Symbol first: it tells almost every pair of rows apart, where the exchange (a handful of values)
--   does not, so the sort's abbreviated keys work.
--   The queries that include this one sort their own results.
SELECT {{dedupe open positions: DISTINCT ON (p.symbol COLLATE "C", p.exchange COLLATE "C")}}
       p.id,
       p.exchange,
       p.symbol,
       p.side,
       p.entry_price,
       p.has_trailing_stop,
       p.trailing_activated,
       COALESCE(p.opened_at, p.created_at) AS opened_at,
       p.created_at
FROM {{positions: id, exchange, symbol, side, entry_price, status, has_trailing_stop, trailing_activated, opened_at, created_at, closed_at}} p
WHERE (p.status = ANY (:open_statuses::text[])
       OR (:as_of::timestamptz IS NOT NULL AND p.status = ANY (:ended_statuses::text[]) AND p.closed_at > :as_of::timestamptz))
  AND (:as_of::timestamptz IS NULL OR COALESCE(p.opened_at, p.created_at) <= :as_of::timestamptz)
  AND (:exchanges::text[] IS NULL OR lower(p.exchange) = ANY (:exchanges::text[]))
  AND (:symbols::text[] IS NULL OR lower(p.symbol) = ANY (:symbols::text[]))
  AND (:since::timestamptz IS NULL OR COALESCE(p.opened_at, p.created_at) >= :since::timestamptz)
{{dedupe open positions: ORDER BY p.symbol COLLATE "C", p.exchange COLLATE "C", COALESCE(p.opened_at, p.created_at) DESC NULLS LAST, p.id DESC}};
