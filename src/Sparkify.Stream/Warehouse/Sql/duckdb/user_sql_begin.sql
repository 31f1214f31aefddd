-- Before a user's own statement (sparkify query --sql) on DuckDB: the file is opened read-only (ACCESS_MODE=READ_ONLY),
-- and this keeps the statement inside it too: no COPY … TO a file, no ATTACH of another database, no reading or
-- writing other files or URLs, for the rest of this session (DuckDB does not let it be switched back on).
SET enable_external_access = false;
