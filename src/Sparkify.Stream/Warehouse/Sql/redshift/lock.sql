-- One load at a time per warehouse, and no load ever failing another (two cron jobs overlapping, a backfill beside the
-- watcher). The load's transaction starts with this LOCK, its first statement: Redshift takes a transaction's snapshot
-- at its first SELECT, DML or CREATE/DROP TABLE, not at BEGIN or LOCK (AWS Database Developer Guide, "Isolation levels
-- in Amazon Redshift"), so a second load waits here until the first commits or rolls back, then sees what it committed.
-- Redshift's LOCK is ACCESS EXCLUSIVE: reads of a locked table wait too (AWS, "LOCK"). So only the ledger is locked:
-- every load of every release locks it first, which serialises loads as well as locking every table would, while the
-- star schema stays readable during a load (`sparkify query`, dashboards, the load's own row counts after COMMIT: a
-- SELECT takes a share lock, which a load's writes do not block; it reads the last committed snapshot). Readers of
-- the ledger (a second run's planning, `sparkify check`) wait for the load to end, then read what it committed.
LOCK sparkify_load_ledger;
