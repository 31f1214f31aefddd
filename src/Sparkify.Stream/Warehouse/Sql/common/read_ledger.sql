SELECT source_key, version FROM sparkify_load_ledger;
