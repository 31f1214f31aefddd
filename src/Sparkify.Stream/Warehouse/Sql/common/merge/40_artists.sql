-- An artist's values come from the catalog record of its smallest song_id (docs/semantics.md#artists).
DROP TABLE IF EXISTS run_artists;
CREATE TEMP TABLE run_artists AS
SELECT d.artist_id, d.artist_name AS name, d.artist_location AS location,
       d.artist_latitude AS latitude, d.artist_longitude AS longitude
FROM (SELECT c.*, ROW_NUMBER() OVER (PARTITION BY c.artist_id ORDER BY c.song_id) AS rn
      FROM sparkify_song_catalog c
      WHERE c.artist_id IN (SELECT artist_id FROM run_artist_ids)) d
WHERE d.rn = 1;

-- metric: artists.updated
UPDATE artists
SET name = r.name, location = r.location, latitude = r.latitude, longitude = r.longitude
FROM run_artists r
WHERE artists.artist_id = r.artist_id
  AND ({{distinct(artists.name, r.name)}} OR {{distinct(artists.location, r.location)}}
       OR {{distinct(artists.latitude, r.latitude)}} OR {{distinct(artists.longitude, r.longitude)}});

-- metric: artists.inserted
INSERT INTO artists (artist_id, name, location, latitude, longitude)
SELECT r.artist_id, r.name, r.location, r.latitude, r.longitude
FROM run_artists r
WHERE NOT EXISTS (SELECT 1 FROM artists a WHERE a.artist_id = r.artist_id);

-- metric: artists.deleted
DELETE FROM artists
WHERE artist_id IN (SELECT artist_id FROM run_artist_ids)
  AND artist_id NOT IN (SELECT artist_id FROM run_artists);
