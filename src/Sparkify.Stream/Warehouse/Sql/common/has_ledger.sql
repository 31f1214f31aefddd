-- Whether the load ledger exists (a stager reads the ledger without creating anything: it may hold the warehouse
-- read-only, or find it not made yet). information_schema.tables is on DuckDB, Postgres and Redshift alike.
SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'sparkify_load_ledger' AND table_schema = current_schema()
