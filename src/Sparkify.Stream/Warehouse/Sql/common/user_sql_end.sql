-- After a user's own statement: the read-only transaction is rolled back (it changed nothing; nothing to commit).
ROLLBACK;
