-- Redshift DDL: the same tables and column order as Sql/common/create_tables.sql (the staging tables must match
-- the Parquet schema position by position: COPY … FORMAT AS PARQUET maps columns by position), with
-- VARCHAR(65535) where Postgres/DuckDB have unbounded VARCHAR (Redshift's default is 256 bytes), and
-- distribution/sort keys chosen for the analytics joins and the merge (see docs/production/redshift.md#table-design).
-- Primary keys are informational on Redshift: the merge itself keeps them unique.
CREATE TABLE IF NOT EXISTS songplays (
    songplay_id BIGINT PRIMARY KEY,
    start_time  TIMESTAMP NOT NULL,
    user_id     INTEGER NOT NULL,
    level       VARCHAR(65535),
    song_id     VARCHAR(65535),
    artist_id   VARCHAR(65535),
    session_id  INTEGER,
    location    VARCHAR(65535),
    user_agent  VARCHAR(65535)
) DISTKEY (start_time) SORTKEY (start_time);
CREATE TABLE IF NOT EXISTS users (
    user_id    INTEGER PRIMARY KEY,
    first_name VARCHAR(65535),
    last_name  VARCHAR(65535),
    gender     VARCHAR(65535),
    level      VARCHAR(65535),
    updated_at TIMESTAMP
) DISTSTYLE ALL SORTKEY (user_id);
CREATE TABLE IF NOT EXISTS songs (
    song_id   VARCHAR(65535) PRIMARY KEY,
    title     VARCHAR(65535),
    artist_id VARCHAR(65535),
    year      INTEGER,
    duration  DOUBLE PRECISION
) DISTSTYLE ALL SORTKEY (song_id);
CREATE TABLE IF NOT EXISTS artists (
    artist_id VARCHAR(65535) PRIMARY KEY,
    name      VARCHAR(65535),
    location  VARCHAR(65535),
    latitude  DOUBLE PRECISION,
    longitude DOUBLE PRECISION
) DISTSTYLE ALL SORTKEY (artist_id);
CREATE TABLE IF NOT EXISTS "time" (
    start_time TIMESTAMP PRIMARY KEY,
    hour       INTEGER,
    day        INTEGER,
    week       INTEGER,
    month      INTEGER,
    year       INTEGER,
    weekday    INTEGER
) DISTKEY (start_time) SORTKEY (start_time);
CREATE TABLE IF NOT EXISTS staging_events (
    event_id        BIGINT,
    ts              BIGINT,
    user_id         INTEGER,
    first_name      VARCHAR(65535),
    last_name       VARCHAR(65535),
    gender          VARCHAR(65535),
    level           VARCHAR(65535),
    auth            VARCHAR(65535),
    method          VARCHAR(65535),
    page            VARCHAR(65535),
    location        VARCHAR(65535),
    user_agent      VARCHAR(65535),
    artist          VARCHAR(65535),
    song            VARCHAR(65535),
    length          DOUBLE PRECISION,
    item_in_session INTEGER,
    session_id      INTEGER,
    status          INTEGER,
    registration    BIGINT,
    source_key      VARCHAR(65535),
    source_line     INTEGER
) DISTKEY (event_id);
CREATE TABLE IF NOT EXISTS staging_songs (
    song_id          VARCHAR(65535),
    title            VARCHAR(65535),
    artist_id        VARCHAR(65535),
    artist_name      VARCHAR(65535),
    artist_location  VARCHAR(65535),
    artist_latitude  DOUBLE PRECISION,
    artist_longitude DOUBLE PRECISION,
    duration         DOUBLE PRECISION,
    year             INTEGER,
    num_songs        INTEGER,
    source_key       VARCHAR(65535)
) DISTSTYLE EVEN;
CREATE TABLE IF NOT EXISTS staging_files (
    source_key       VARCHAR(65535),
    kind             VARCHAR(16),
    version          VARCHAR(1024),
    size             BIGINT,
    file_date        VARCHAR(16),
    records_read     BIGINT,
    records_valid    BIGINT,
    records_rejected BIGINT,
    run_id           VARCHAR(64)
) DISTSTYLE EVEN;
CREATE TABLE IF NOT EXISTS staging_field_counts (
    source_key  VARCHAR(65535),
    kind        VARCHAR(16),
    field       VARCHAR(65535),
    in_contract INTEGER,
    records     BIGINT,
    missing     BIGINT,
    null_count  BIGINT,
    seen        BIGINT,
    example     VARCHAR(65535)
) DISTSTYLE EVEN;
CREATE TABLE IF NOT EXISTS sparkify_load_ledger (
    source_key       VARCHAR(65535) PRIMARY KEY,
    kind             VARCHAR(16) NOT NULL,
    version          VARCHAR(1024) NOT NULL,
    size             BIGINT,
    file_date        VARCHAR(16),
    records_read     BIGINT,
    records_valid    BIGINT,
    records_rejected BIGINT,
    run_id           VARCHAR(64) NOT NULL,
    loaded_at        TIMESTAMP NOT NULL
) DISTSTYLE ALL;
-- Schema-drift history: per loaded file and field (see Sql/common/create_tables.sql).
CREATE TABLE IF NOT EXISTS sparkify_field_counts (
    source_key  VARCHAR(65535) NOT NULL,
    kind        VARCHAR(16) NOT NULL,
    field       VARCHAR(65535) NOT NULL,
    in_contract INTEGER NOT NULL,
    records     BIGINT NOT NULL,
    missing     BIGINT NOT NULL,
    null_count  BIGINT NOT NULL,
    seen        BIGINT NOT NULL,
    example     VARCHAR(65535),
    run_id      VARCHAR(64) NOT NULL
) DISTSTYLE EVEN;
CREATE TABLE IF NOT EXISTS sparkify_song_catalog (
    song_id          VARCHAR(65535) PRIMARY KEY,
    title            VARCHAR(65535),
    artist_id        VARCHAR(65535),
    artist_name      VARCHAR(65535),
    artist_location  VARCHAR(65535),
    artist_latitude  DOUBLE PRECISION,
    artist_longitude DOUBLE PRECISION,
    duration         DOUBLE PRECISION,
    year             INTEGER,
    num_songs        INTEGER,
    source_key       VARCHAR(65535)
) DISTSTYLE ALL SORTKEY (title);
CREATE TABLE IF NOT EXISTS sparkify_play_keys (
    songplay_id BIGINT PRIMARY KEY,
    song        VARCHAR(65535),
    artist      VARCHAR(65535),
    length      DOUBLE PRECISION,
    source_key  VARCHAR(65535),
    source_line INTEGER
) DISTKEY (songplay_id) SORTKEY (songplay_id);
CREATE TABLE IF NOT EXISTS sparkify_user_events (
    user_id  INTEGER PRIMARY KEY,
    event_id BIGINT NOT NULL
) DISTSTYLE ALL;
