-- session: facts about the snapshot every other query runs in.
-- Purpose: the snapshot time, the server's version and zone, and the zone naive `timestamp` columns
--   are read in (the --db-timezone override, else the server's TimeZone setting). Evaluating
--   now() AT TIME ZONE that zone makes PostgreSQL reject an unknown zone before any check runs.
-- Returns: snapshot_at (timestamptz), server_version, server_timezone, naive_zone,
--   schema_exists (boolean).
-- Parameters: :zone_override (text or null), :schema (text).
SELECT now()                                                       AS snapshot_at,
       current_setting('server_version')                           AS server_version,
       current_setting('TimeZone')                                 AS server_timezone,
       COALESCE(:zone_override::text, current_setting('TimeZone')) AS naive_zone,
       (now() AT TIME ZONE COALESCE(:zone_override::text, current_setting('TimeZone'))) IS NOT NULL AS zone_ok,
       EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = :schema) AS schema_exists;
