-- Before a user's own statement (sparkify query --sql): a read-only transaction, so that the warehouse itself refuses
-- any write (Postgres and Redshift: BEGIN … READ ONLY; AWS Database Developer Guide, "BEGIN"). user_sql_end ends it.
BEGIN READ ONLY;
