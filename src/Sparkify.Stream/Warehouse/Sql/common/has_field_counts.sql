-- Whether the schema-drift history exists (a stager reads it without creating anything, as it does the ledger).
SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'sparkify_field_counts' AND table_schema = current_schema()
