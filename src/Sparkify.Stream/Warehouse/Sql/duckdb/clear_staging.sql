-- DuckDB: a run's staging rows live in temporary tables of the same names (DuckDB looks in temp first), so
-- they are never written to the database file (that write, and deleting it again, took longer than the merge).
CREATE OR REPLACE TEMP TABLE staging_events (
    event_id        BIGINT,
    ts              TIMESTAMP,
    user_id         INTEGER,
    first_name      VARCHAR COLLATE "C",
    last_name       VARCHAR COLLATE "C",
    gender          VARCHAR COLLATE "C",
    level           VARCHAR COLLATE "C",
    auth            VARCHAR COLLATE "C",
    method          VARCHAR COLLATE "C",
    page            VARCHAR COLLATE "C",
    location        VARCHAR COLLATE "C",
    user_agent      VARCHAR COLLATE "C",
    artist          VARCHAR COLLATE "C",
    song            VARCHAR COLLATE "C",
    length          DOUBLE PRECISION,
    item_in_session INTEGER,
    session_id      INTEGER,
    status          INTEGER,
    registration    BIGINT,
    source_key      VARCHAR COLLATE "C",
    source_line     INTEGER
);
CREATE OR REPLACE TEMP TABLE staging_songs (
    song_id          VARCHAR COLLATE "C",
    title            VARCHAR COLLATE "C",
    artist_id        VARCHAR COLLATE "C",
    artist_name      VARCHAR COLLATE "C",
    artist_location  VARCHAR COLLATE "C",
    artist_latitude  DOUBLE PRECISION,
    artist_longitude DOUBLE PRECISION,
    duration         DOUBLE PRECISION,
    year             INTEGER,
    num_songs        INTEGER,
    source_key       VARCHAR COLLATE "C"
);
CREATE OR REPLACE TEMP TABLE staging_files (
    source_key       VARCHAR COLLATE "C",
    kind             VARCHAR COLLATE "C",
    version          VARCHAR COLLATE "C",
    size             BIGINT,
    file_date        VARCHAR COLLATE "C",
    records_read     BIGINT,
    records_valid    BIGINT,
    records_rejected BIGINT,
    run_id           VARCHAR COLLATE "C"
);
