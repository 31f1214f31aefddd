-- Postgres is a server: two runs (a watch loop and a backfill, say) may load at once, and their merges would
-- race on the same ledger, catalog and user keys. One load at a time per database: a second run waits here,
-- inside its transaction, until the first commits or rolls back (the lock goes with the transaction).
-- (DuckDB needs no such step: its file admits one writing process.)
SELECT pg_advisory_xact_lock(hashtext('sparkify.load'));
{{clear(staging_events)}};
{{clear(staging_songs)}};
{{clear(staging_files)}};
