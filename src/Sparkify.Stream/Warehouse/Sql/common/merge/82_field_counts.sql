-- Each loaded file's field counts (schema-drift history), replaced when a file is loaded again, in the same
-- transaction as the ledger. A file staged by an older release has none: the history simply lacks it.
DELETE FROM sparkify_field_counts WHERE source_key IN (SELECT source_key FROM staging_files);

INSERT INTO sparkify_field_counts (source_key, kind, field, in_contract, records, missing, null_count, seen, example, run_id)
SELECT c.source_key, c.kind, c.field, c.in_contract, c.records, c.missing, c.null_count, c.seen, c.example, f.run_id
FROM staging_field_counts c
JOIN staging_files f ON f.source_key = c.source_key;
