-- doctor-role: who ts-audit is connected as, and whether that role could write to the bot's tables.
-- Purpose: `ts-audit doctor` recommends a read-only role. ts-audit itself never writes (every run is
--   a READ ONLY transaction), but a role that can write is one leaked password away from a bot
--   without its stops. Also reports whether the server is a standby (read-only anyway) and the
--   journal's estimated size, from the planner's statistics (no count over millions of events).
-- Returns: role, superuser, in_recovery, default_read_only, table_name, can_write (INSERT, UPDATE,
--   DELETE or TRUNCATE), estimated_rows (null for a table never analysed). One row per table found.
-- Parameters: :schema (text), :tables (text[]: the bot's table names).
SELECT current_user                                                   AS role,
       r.rolsuper                                                     AS superuser,
       pg_catalog.pg_is_in_recovery()                                 AS in_recovery,
       current_setting('default_transaction_read_only') = 'on'        AS default_read_only,
       c.relname                                                      AS table_name,
       pg_catalog.has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE') AS can_write,
       CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint END        AS estimated_rows
FROM pg_catalog.pg_roles r
LEFT JOIN pg_catalog.pg_namespace n ON n.nspname = :schema
LEFT JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = ANY (:tables::text[]) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
WHERE r.rolname = current_user
ORDER BY c.relname;
