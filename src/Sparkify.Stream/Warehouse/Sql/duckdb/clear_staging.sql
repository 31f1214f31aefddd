-- DuckDB: a run's staging rows live in temporary tables of the same names (DuckDB looks in temp first), so
-- they are never written to the database file (that write, and deleting it again, took longer than the merge).
CREATE OR REPLACE TEMP TABLE staging_events (
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
CREATE OR REPLACE TEMP TABLE staging_songs (
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
CREATE OR REPLACE TEMP TABLE staging_files (
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
