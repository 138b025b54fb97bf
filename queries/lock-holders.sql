-- lock-holders: the sessions holding a lock that blocks reading the bot's tables.
-- Purpose: when a query of ts-audit waited out --lock-timeout, say which table was locked and by whom
--   (ts-audit only reads, so only an ACCESS EXCLUSIVE lock blocks it: ALTER TABLE, DROP, TRUNCATE,
--   VACUUM FULL, CLUSTER, LOCK TABLE). Run outside the failed snapshot. The application, user and pid
--   of another role's session are visible to any role; what it runs is not, and is not asked for.
-- Returns: table_name, pid, application_name, usename, mode, state_since (timestamptz or null).
-- Parameters: :schema (text), :tables (text[]: the bot's table names).
SELECT n.nspname || '.' || c.relname AS table_name,
       l.pid,
       a.application_name,
       a.usename,
       l.mode,
       a.state_change                AS state_since
FROM pg_catalog.pg_locks l
JOIN pg_catalog.pg_class c ON c.oid = l.relation
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
WHERE l.granted
  AND l.mode = 'AccessExclusiveLock'
  AND l.pid <> pg_catalog.pg_backend_pid()
  AND n.nspname = :schema
  AND c.relname = ANY (:tables::text[])
ORDER BY c.relname, l.pid;
