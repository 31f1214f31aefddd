-- Whether the schema-drift history exists (a stager reads it without creating anything, as it does the ledger), and
-- the name of its null-count column: null_count, or nulls in a warehouse an older release made (NULLS is a reserved
-- word on Redshift, so the column was renamed; upgrade_columns.sql renames it when a load next sets up the tables).
SELECT column_name FROM information_schema.columns
WHERE table_name = 'sparkify_field_counts' AND table_schema = current_schema() AND table_catalog = current_database()
  AND column_name IN ('null_count', 'nulls')
ORDER BY column_name
