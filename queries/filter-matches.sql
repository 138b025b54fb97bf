-- filter-matches: the --exchange and --symbol values that match nothing in the database.
-- Purpose: a filter with a typo (`--symbol RADUSTD`) would otherwise select nothing and print a clean
--   report. A value matches when any position (open or ended) or any stop row has it, without regard
--   to case; the caller refuses a value that matches nothing there (nor, for `diff`, in the dump).
-- Returns: kind ('exchange' or 'symbol'), value (lower-cased, as given in the parameters).
-- Parameters: :exchanges, :symbols (lower-case text[] or null).
SELECT 'exchange' AS kind, v.value
FROM unnest(COALESCE(:exchanges::text[], '{}'::text[])) AS v(value)
WHERE NOT EXISTS (SELECT 1 FROM {{positions: exchange}} p WHERE lower(p.exchange) = v.value)
  AND NOT EXISTS (SELECT 1 FROM {{trailing_stop_state: exchange}} s WHERE lower(s.exchange) = v.value)
UNION ALL
SELECT 'symbol' AS kind, v.value
FROM unnest(COALESCE(:symbols::text[], '{}'::text[])) AS v(value)
WHERE NOT EXISTS (SELECT 1 FROM {{positions: symbol}} p WHERE lower(p.symbol) = v.value)
  AND NOT EXISTS (SELECT 1 FROM {{trailing_stop_state: symbol}} s WHERE lower(s.symbol) = v.value);
