-- Staging tables of this warehouse whose columns predate the current staging schema: staging_events.ts was a
-- TIMESTAMP before staging kept ts as BIGINT epoch milliseconds; staging_field_counts had a column nulls (a reserved
-- word on Redshift) where it now has null_count. create_tables makes them again (they hold no rows between runs).
-- The current schema and database only: not another schema's tables, nor DuckDB's temp ones.
SELECT DISTINCT table_name
FROM information_schema.columns
WHERE table_schema = current_schema() AND table_catalog = current_database()
  AND ((table_name = 'staging_events' AND column_name = 'ts' AND LOWER(data_type) <> 'bigint')
       OR (table_name = 'staging_field_counts' AND column_name = 'nulls'));
