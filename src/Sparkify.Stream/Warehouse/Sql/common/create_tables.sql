-- The star schema (SPEC §3), the staging tables (SPEC §2, same column order as the Parquet files), the load
-- ledger and the merge's own bookkeeping. Portable between DuckDB and Postgres; Redshift has its own file.
CREATE TABLE IF NOT EXISTS songplays (
    songplay_id BIGINT PRIMARY KEY,
    start_time  TIMESTAMP NOT NULL,
    user_id     INTEGER NOT NULL,
    level       VARCHAR,
    song_id     VARCHAR,
    artist_id   VARCHAR,
    session_id  INTEGER,
    location    VARCHAR,
    user_agent  VARCHAR
);
CREATE TABLE IF NOT EXISTS users (
    user_id    INTEGER PRIMARY KEY,
    first_name VARCHAR,
    last_name  VARCHAR,
    gender     VARCHAR,
    level      VARCHAR,
    updated_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS songs (
    song_id   VARCHAR PRIMARY KEY,
    title     VARCHAR,
    artist_id VARCHAR,
    year      INTEGER,
    duration  DOUBLE PRECISION
);
CREATE TABLE IF NOT EXISTS artists (
    artist_id VARCHAR PRIMARY KEY,
    name      VARCHAR,
    location  VARCHAR,
    latitude  DOUBLE PRECISION,
    longitude DOUBLE PRECISION
);
CREATE TABLE IF NOT EXISTS "time" (
    start_time TIMESTAMP PRIMARY KEY,
    hour       INTEGER,
    day        INTEGER,
    week       INTEGER,
    month      INTEGER,
    year       INTEGER,
    weekday    INTEGER
);
CREATE TABLE IF NOT EXISTS staging_events (
    event_id        BIGINT,
    ts              TIMESTAMP,
    user_id         INTEGER,
    first_name      VARCHAR,
    last_name       VARCHAR,
    gender          VARCHAR,
    level           VARCHAR,
    auth            VARCHAR,
    method          VARCHAR,
    page            VARCHAR,
    location        VARCHAR,
    user_agent      VARCHAR,
    artist          VARCHAR,
    song            VARCHAR,
    length          DOUBLE PRECISION,
    item_in_session INTEGER,
    session_id      INTEGER,
    status          INTEGER,
    registration    BIGINT,
    source_key      VARCHAR,
    source_line     INTEGER
);
CREATE TABLE IF NOT EXISTS staging_songs (
    song_id          VARCHAR,
    title            VARCHAR,
    artist_id        VARCHAR,
    artist_name      VARCHAR,
    artist_location  VARCHAR,
    artist_latitude  DOUBLE PRECISION,
    artist_longitude DOUBLE PRECISION,
    duration         DOUBLE PRECISION,
    year             INTEGER,
    num_songs        INTEGER,
    source_key       VARCHAR
);
CREATE TABLE IF NOT EXISTS staging_files (
    source_key       VARCHAR,
    kind             VARCHAR,
    version          VARCHAR,
    size             BIGINT,
    file_date        VARCHAR,
    records_read     BIGINT,
    records_valid    BIGINT,
    records_rejected BIGINT,
    run_id           VARCHAR
);
-- Every file ever loaded: a file whose key and version are here is skipped (SPEC §4).
CREATE TABLE IF NOT EXISTS sparkify_load_ledger (
    source_key       VARCHAR PRIMARY KEY,
    kind             VARCHAR NOT NULL,
    version          VARCHAR NOT NULL,
    size             BIGINT,
    file_date        VARCHAR,
    records_read     BIGINT,
    records_valid    BIGINT,
    records_rejected BIGINT,
    run_id           VARCHAR NOT NULL,
    loaded_at        TIMESTAMP NOT NULL
);
-- The song record chosen for each song id (smallest source key wins, so the choice is order independent).
-- songs and artists are derived from it, and songplays are matched against it (by artist_name, which the
-- star tables do not keep).
CREATE TABLE IF NOT EXISTS sparkify_song_catalog (
    song_id          VARCHAR PRIMARY KEY,
    title            VARCHAR,
    artist_id        VARCHAR,
    artist_name      VARCHAR,
    artist_location  VARCHAR,
    artist_latitude  DOUBLE PRECISION,
    artist_longitude DOUBLE PRECISION,
    duration         DOUBLE PRECISION,
    year             INTEGER,
    num_songs        INTEGER,
    source_key       VARCHAR
);
-- What each songplay was matched on, so songs that arrive in a later run re-match earlier plays.
CREATE TABLE IF NOT EXISTS sparkify_play_keys (
    songplay_id BIGINT PRIMARY KEY,
    song        VARCHAR,
    artist      VARCHAR,
    length      DOUBLE PRECISION,
    source_key  VARCHAR,
    source_line INTEGER
);
-- The event that gave each user row its values (ties on ts go to the greater event id, across runs too).
CREATE TABLE IF NOT EXISTS sparkify_user_events (
    user_id  INTEGER PRIMARY KEY,
    event_id BIGINT NOT NULL
);
