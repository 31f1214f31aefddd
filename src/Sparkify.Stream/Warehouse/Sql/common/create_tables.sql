-- The star schema (docs/semantics.md#the-star-schema), the staging tables (docs/semantics.md#staging-tables: the
-- same column order as the Parquet files), the load ledger and the merge's own bookkeeping. Portable between DuckDB
-- and Postgres; Redshift has its own file.
-- Text compares byte by byte (COLLATE "C") on every target: "smallest song_id", "smallest source key" and the
-- named queries' ORDER BY must not depend on the server's locale (a Postgres database made with en_US.UTF-8
-- sorts 'SOa' before 'SOB'; DuckDB's default, and "C" there, sorts by bytes).
CREATE TABLE IF NOT EXISTS songplays (
    songplay_id BIGINT{{key}},
    start_time  TIMESTAMP NOT NULL,
    user_id     INTEGER NOT NULL,
    level       VARCHAR COLLATE "C",
    song_id     VARCHAR COLLATE "C",
    artist_id   VARCHAR COLLATE "C",
    session_id  INTEGER,
    location    VARCHAR COLLATE "C",
    user_agent  VARCHAR COLLATE "C"
);
CREATE TABLE IF NOT EXISTS users (
    user_id    INTEGER{{key}},
    first_name VARCHAR COLLATE "C",
    last_name  VARCHAR COLLATE "C",
    gender     VARCHAR COLLATE "C",
    level      VARCHAR COLLATE "C",
    updated_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS songs (
    song_id   VARCHAR COLLATE "C"{{key}},
    title     VARCHAR COLLATE "C",
    artist_id VARCHAR COLLATE "C",
    year      INTEGER,
    duration  DOUBLE PRECISION
);
CREATE TABLE IF NOT EXISTS artists (
    artist_id VARCHAR COLLATE "C"{{key}},
    name      VARCHAR COLLATE "C",
    location  VARCHAR COLLATE "C",
    latitude  DOUBLE PRECISION,
    longitude DOUBLE PRECISION
);
CREATE TABLE IF NOT EXISTS "time" (
    start_time TIMESTAMP{{key}},
    hour       INTEGER,
    day        INTEGER,
    week       INTEGER,
    month      INTEGER,
    year       INTEGER,
    weekday    INTEGER
);
CREATE {{unlogged}}TABLE IF NOT EXISTS staging_events (
    event_id        BIGINT,
    ts              BIGINT,
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
CREATE {{unlogged}}TABLE IF NOT EXISTS staging_songs (
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
CREATE {{unlogged}}TABLE IF NOT EXISTS staging_files (
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
CREATE {{unlogged}}TABLE IF NOT EXISTS staging_field_counts (
    source_key  VARCHAR COLLATE "C",
    kind        VARCHAR COLLATE "C",
    field       VARCHAR COLLATE "C",
    in_contract INTEGER,
    records     BIGINT,
    missing     BIGINT,
    null_count  BIGINT,
    seen        BIGINT,
    example     VARCHAR COLLATE "C"
);
-- Every file ever loaded: a file whose key and version are here is skipped (docs/semantics.md#runs).
CREATE TABLE IF NOT EXISTS sparkify_load_ledger (
    source_key       VARCHAR COLLATE "C"{{key}},
    kind             VARCHAR COLLATE "C" NOT NULL,
    version          VARCHAR COLLATE "C" NOT NULL,
    size             BIGINT,
    file_date        VARCHAR COLLATE "C",
    records_read     BIGINT,
    records_valid    BIGINT,
    records_rejected BIGINT,
    run_id           VARCHAR COLLATE "C" NOT NULL,
    loaded_at        TIMESTAMP NOT NULL
);
-- What the records of each loaded file held, field by field: the history schema-drift checks compare a run with.
-- A contract field (in_contract = 1): the file's valid records, how many lacked the field (missing) or held null
-- (null_count), how many had a value (seen). Another field (in_contract = 0): how many records carried it, one example.
CREATE TABLE IF NOT EXISTS sparkify_field_counts (
    source_key  VARCHAR COLLATE "C" NOT NULL,
    kind        VARCHAR COLLATE "C" NOT NULL,
    field       VARCHAR COLLATE "C" NOT NULL,
    in_contract INTEGER NOT NULL,
    records     BIGINT NOT NULL,
    missing     BIGINT NOT NULL,
    null_count  BIGINT NOT NULL,
    seen        BIGINT NOT NULL,
    example     VARCHAR COLLATE "C",
    run_id      VARCHAR COLLATE "C" NOT NULL
);
-- The song record chosen for each song id (smallest source key wins, so the choice is order independent).
-- songs and artists are derived from it, and songplays are matched against it (by artist_name, which the
-- star tables do not keep).
CREATE TABLE IF NOT EXISTS sparkify_song_catalog (
    song_id          VARCHAR COLLATE "C"{{key}},
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
-- What each songplay was matched on, so songs that arrive in a later run re-match earlier plays.
CREATE TABLE IF NOT EXISTS sparkify_play_keys (
    songplay_id BIGINT{{key}},
    song        VARCHAR COLLATE "C",
    artist      VARCHAR COLLATE "C",
    length      DOUBLE PRECISION,
    source_key  VARCHAR COLLATE "C",
    source_line INTEGER
);
-- The event that gave each user row its values (ties on ts go to the greater event id, across runs too).
CREATE TABLE IF NOT EXISTS sparkify_user_events (
    user_id  INTEGER{{key}},
    event_id BIGINT NOT NULL
);
