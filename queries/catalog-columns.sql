-- catalog-columns: the columns of the bot's tables and their types.
-- Purpose: ts-audit reads each column's type from the catalog instead of assuming it, so naive
--   `timestamp` columns (positions and orders on databases from before the bot's migration) are
--   interpreted in the zone the bot wrote them in, and prices are compared at their column's scale.
--   Types are told apart by OID (a domain by its base type), never by the text of format_type:
--   `timestamp(3) without time zone` is as naive as `timestamp`.
-- Returns: table_name, column_name, data_type (format_type text, for display), naive_timestamp
--   (boolean), numeric_scale (null unless numeric(p, s)), can_select (whether this role may read
--   the table).
-- Parameters: :schema (text), :tables (text[], the configured table names).
SELECT c.relname                                        AS table_name,
       a.attname                                        AS column_name,
       pg_catalog.format_type(a.atttypid, a.atttypmod)  AS data_type,
       base.oid = 'pg_catalog.timestamp'::pg_catalog.regtype AS naive_timestamp,
       CASE WHEN base.oid = 'pg_catalog.numeric'::pg_catalog.regtype AND base.typmod >= 4
            THEN (base.typmod - 4) & 65535 END          AS numeric_scale,
       pg_catalog.has_table_privilege(c.oid, 'SELECT')  AS can_select
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
CROSS JOIN LATERAL (SELECT CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END AS oid,
                           CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END AS typmod) base
WHERE n.nspname = :schema
  AND c.relname = ANY (:tables::text[])
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
ORDER BY c.relname, a.attnum;
