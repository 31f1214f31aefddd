-- Postgres is a server: two runs (a watch loop and a backfill, say) may load at once, and their merges would
-- race on the same ledger, catalog and user keys. One load at a time per database: a second run waits here,
-- inside its transaction, until the first commits or rolls back (the locks go with the transaction). The same
-- tables in the same order as on Redshift. LOCK TABLE is the transaction's first statement, so at REPEATABLE READ
-- or SERIALIZABLE (a server's default_transaction_isolation) the snapshot is taken after the lock is granted and
-- the second run sees what the first committed (PostgreSQL docs, "LOCK"); an advisory lock taken with a SELECT
-- would freeze the snapshot before waiting. EXCLUSIVE mode: other sessions still read the tables meanwhile.
-- (DuckDB needs no such step: its file admits one writing process.)
LOCK TABLE sparkify_load_ledger, sparkify_song_catalog, sparkify_play_keys, sparkify_user_events, songplays, users,
     songs, artists, "time", sparkify_field_counts IN EXCLUSIVE MODE;
{{clear(staging_events)}};
{{clear(staging_songs)}};
{{clear(staging_files)}};
{{clear(staging_field_counts)}};
