-- unique-keys: the unique indexes of the bot's positions table.
-- Purpose: the bot's partial unique index on (symbol, exchange) over the open statuses guarantees one
--   open position per (symbol, exchange). Where the catalog shows such an index, open-positions need
--   not sort every open position to keep the newest of each pair (`DISTINCT ON`, paid by every
--   check); ts-audit proves the guarantee from these rows (src/db/catalog.ts)
--   and keeps the `DISTINCT ON` whenever it cannot. Only valid indexes on plain columns count: an
--   index left invalid by a failed CREATE INDEX CONCURRENTLY enforces nothing.
-- Returns: index_name, key_columns (text[], the key columns in index order, not INCLUDE ones),
--   keys_not_null (boolean: every key column is NOT NULL),
--   predicate (pg_get_expr text of the partial index's WHERE, null for a whole-table index).
-- Parameters: :schema (text), :positions_table (text).
SELECT i.indexrelid::pg_catalog.regclass::text AS index_name,
       ARRAY(SELECT a.attname::text
             FROM pg_catalog.unnest(i.indkey::pg_catalog.int2[]) WITH ORDINALITY k(attnum, n)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
             WHERE k.n <= i.indnkeyatts
             ORDER BY k.n) AS key_columns,
       NOT EXISTS (SELECT 1
                   FROM pg_catalog.unnest(i.indkey::pg_catalog.int2[]) WITH ORDINALITY k(attnum, n)
                   JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                   WHERE k.n <= i.indnkeyatts AND NOT a.attnotnull) AS keys_not_null,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS predicate
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = :schema
  AND c.relname = :positions_table
  AND i.indisunique
  AND i.indisvalid
  AND i.indexprs IS NULL
  AND 0 <> ALL (i.indkey::pg_catalog.int2[])
ORDER BY 1;
