-- ping: the smallest query there is.
-- Purpose: `ts-audit doctor` times a round trip to the server with it (network and protocol, no work).
-- Returns: one (integer 1).
-- Parameters: none.
SELECT 1 AS one;
