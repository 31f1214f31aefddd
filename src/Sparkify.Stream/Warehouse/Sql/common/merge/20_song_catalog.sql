-- This run's song records that win against the catalog: one per song id, from the smallest source key
-- (a changed file, same key, replaces its own earlier record).
DROP TABLE IF EXISTS run_songs;
CREATE TEMP TABLE run_songs AS
SELECT d.song_id, d.title, d.artist_id, d.artist_name, d.artist_location, d.artist_latitude,
       d.artist_longitude, d.duration, d.year, d.num_songs, d.source_key
FROM (SELECT s.*, ROW_NUMBER() OVER (PARTITION BY s.song_id
                                     ORDER BY s.source_key, s.title, s.artist_id,
                                              s.artist_name, s.duration) AS rn
      FROM staging_songs s) d
LEFT JOIN sparkify_song_catalog c ON c.song_id = d.song_id
WHERE d.rn = 1 AND (c.song_id IS NULL OR d.source_key <= c.source_key);

-- (title, artist_name) pairs whose candidates change: plays on them are matched again.
DROP TABLE IF EXISTS run_match_keys;
CREATE TEMP TABLE run_match_keys AS
SELECT c.title, c.artist_name FROM sparkify_song_catalog c JOIN run_songs r ON r.song_id = c.song_id
UNION
SELECT title, artist_name FROM run_songs;

-- Artists whose smallest song may change: recomputed below.
DROP TABLE IF EXISTS run_artist_ids;
CREATE TEMP TABLE run_artist_ids AS
SELECT c.artist_id FROM sparkify_song_catalog c JOIN run_songs r ON r.song_id = c.song_id
WHERE c.artist_id IS NOT NULL
UNION
SELECT artist_id FROM run_songs WHERE artist_id IS NOT NULL;

UPDATE sparkify_song_catalog
SET title = r.title, artist_id = r.artist_id, artist_name = r.artist_name, artist_location = r.artist_location,
    artist_latitude = r.artist_latitude, artist_longitude = r.artist_longitude, duration = r.duration,
    year = r.year, num_songs = r.num_songs, source_key = r.source_key
FROM run_songs r
WHERE sparkify_song_catalog.song_id = r.song_id;

INSERT INTO sparkify_song_catalog (song_id, title, artist_id, artist_name, artist_location, artist_latitude,
                                   artist_longitude, duration, year, num_songs, source_key)
SELECT r.song_id, r.title, r.artist_id, r.artist_name, r.artist_location, r.artist_latitude,
       r.artist_longitude, r.duration, r.year, r.num_songs, r.source_key
FROM run_songs r
WHERE NOT EXISTS (SELECT 1 FROM sparkify_song_catalog c WHERE c.song_id = r.song_id);
