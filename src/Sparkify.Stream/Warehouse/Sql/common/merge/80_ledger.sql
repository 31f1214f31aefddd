-- The run's files go into the ledger in the same transaction as the merge: a failed run records nothing.
UPDATE sparkify_load_ledger
SET kind = f.kind, version = f.version, size = f.size, file_date = f.file_date, records_read = f.records_read,
    records_valid = f.records_valid, records_rejected = f.records_rejected, run_id = f.run_id,
    loaded_at = {{now}}
FROM staging_files f
WHERE sparkify_load_ledger.source_key = f.source_key;

INSERT INTO sparkify_load_ledger (source_key, kind, version, size, file_date, records_read, records_valid,
                                  records_rejected, run_id, loaded_at)
SELECT f.source_key, f.kind, f.version, f.size, f.file_date, f.records_read, f.records_valid,
       f.records_rejected, f.run_id, {{now}}
FROM staging_files f
WHERE NOT EXISTS (SELECT 1 FROM sparkify_load_ledger l WHERE l.source_key = f.source_key);
