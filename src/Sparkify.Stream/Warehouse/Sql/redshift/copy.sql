-- One COPY per staging table over all of its parts, from the run's manifest. Parquet is mapped by column position
-- (the staging DDL has the Parquet schema's order and types); MAXERROR and REGION are not accepted with Parquet,
-- so bad records were rejected before the Parquet was written, and the staging bucket must be in the
-- cluster's region. Only IAM_ROLE authorisation.
COPY {{table}} FROM {{manifest}} IAM_ROLE {{iam_role}} FORMAT AS PARQUET MANIFEST;
