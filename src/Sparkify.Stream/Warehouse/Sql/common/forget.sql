-- `sparkify forget`: the chosen files leave the load ledger, so the next run reads them again, and their schema-drift
-- history goes with them (that run records it again). The loaded star rows stay: the merge's rules make the re-read
-- give the same tables. Run in one transaction after the load lock (a load of the same files waits, or is waited
-- for), once per chunk of keys: {{keys}} is a list of string literals rendered by SqlText.
DELETE FROM sparkify_field_counts WHERE source_key IN ({{keys}});

-- metric: sparkify_load_ledger.deleted
DELETE FROM sparkify_load_ledger WHERE source_key IN ({{keys}});
