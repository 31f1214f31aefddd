-- One load at a time per database (two runs would race on the same ledger, catalog and user keys): a second run waits
-- here, inside its transaction, until the first commits or rolls back. The same table as on Redshift (Sql/redshift/
-- lock.sql, where the choice is explained): the ledger, which every load locks first. LOCK TABLE is the transaction's
-- first statement, so at REPEATABLE READ or SERIALIZABLE (a server's default_transaction_isolation) the snapshot is
-- taken after the lock is granted and the second run sees what the first committed (PostgreSQL docs, "LOCK"); an
-- advisory lock taken with a SELECT would freeze the snapshot before waiting. EXCLUSIVE mode: other sessions still
-- read the ledger meanwhile. (DuckDB needs no such step: its file admits one writing process.)
LOCK TABLE sparkify_load_ledger IN EXCLUSIVE MODE;
