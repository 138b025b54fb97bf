-- catalog-columns: the columns of the bot's tables and their types.
-- Purpose: ts-audit reads each column's type from the catalog instead of assuming it, so naive
--   `timestamp` columns (positions and orders on databases from before the bot's migration) are
--   interpreted in the zone the bot wrote them in, and prices are compared at their column's scale.
-- Returns: table_name, column_name, data_type (format_type text), numeric_scale (null unless
--   numeric(p, s)), can_select (whether this role may read the table).
-- Parameters: :schema (text), :tables (text[], the configured table names).
SELECT c.relname                              AS table_name,
       a.attname                              AS column_name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS data_type,
       CASE WHEN a.atttypid = 'pg_catalog.numeric'::pg_catalog.regtype AND a.atttypmod >= 4
            THEN (a.atttypmod - 4) & 65535 END AS numeric_scale,
       pg_catalog.has_table_privilege(c.oid, 'SELECT') AS can_select
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = :schema
  AND c.relname = ANY (:tables::text[])
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
ORDER BY c.relname, a.attnum;
