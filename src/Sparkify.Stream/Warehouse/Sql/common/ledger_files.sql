-- `sparkify files`: the load ledger, file by file, in key order. {{kind}} is 'song', 'event' or NULL (every kind) and
-- {{since}} a TIMESTAMP (files loaded at or after it) or NULL: typed values, rendered by SqlText.
SELECT source_key, kind, version, size, records_read, records_valid, records_rejected, run_id, loaded_at
FROM sparkify_load_ledger
WHERE ({{kind}} IS NULL OR kind = {{kind}})
  AND ({{since}} IS NULL OR loaded_at >= {{since}})
ORDER BY source_key
