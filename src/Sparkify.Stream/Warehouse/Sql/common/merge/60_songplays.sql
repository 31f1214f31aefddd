-- NextSong events with a user id that win against what is loaded: new, from a smaller source key, or from the
-- same key (a changed file re-read: its current content replaces what its earlier version gave, wherever the
-- event's line has moved to; within one file the first line already won in run_events).
-- known: 1 when the play is in the key table already (an update, not an insert), else 0. An integer flag, not a
-- boolean `k.songplay_id IS NOT NULL`: Redshift allows IS comparisons only as WHERE predicates, not in a select
-- list (Redshift Database Developer Guide, "Boolean type").
DROP TABLE IF EXISTS run_plays;
CREATE TEMP TABLE run_plays AS
SELECT e.event_id, e.ts, e.user_id, e.level, e.session_id, e.location, e.user_agent,
       e.song, e.artist, e.length, e.source_key, e.source_line, CASE WHEN k.songplay_id IS NULL THEN 0 ELSE 1 END AS known
FROM run_events e
LEFT JOIN sparkify_play_keys k ON k.songplay_id = e.event_id
WHERE e.page = 'NextSong' AND e.user_id IS NOT NULL
  AND (k.songplay_id IS NULL OR e.source_key <= k.source_key);
{{analyze(run_plays (event_id, known, ts))}};

-- Earlier plays to match again: those whose candidate songs changed in this run (read before this run's plays are
-- added, so a first load finds none).
DROP TABLE IF EXISTS run_rematch;
CREATE TEMP TABLE run_rematch AS
SELECT k.songplay_id, k.song, k.artist, k.length
FROM sparkify_play_keys k
JOIN run_match_keys m ON m.title = k.song AND m.artist_name = k.artist
WHERE NOT EXISTS (SELECT 1 FROM run_plays p WHERE p.event_id = k.songplay_id);
{{analyze(run_rematch)}};

UPDATE sparkify_play_keys
SET song = p.song, artist = p.artist, length = p.length, source_key = p.source_key, source_line = p.source_line
FROM run_plays p
WHERE p.known = 1 AND sparkify_play_keys.songplay_id = p.event_id;

INSERT INTO sparkify_play_keys (songplay_id, song, artist, length, source_key, source_line)
SELECT p.event_id, p.song, p.artist, p.length, p.source_key, p.source_line
FROM run_plays p
WHERE p.known = 0
{{key_order(p.event_id)}};

-- The song of each (song, artist, length) to match — this run's plays and the earlier ones above: the song with
-- title = song, artist_name = artist and |duration - length| < 0.001; several → smallest song_id. Matched once per
-- distinct triple, not once per play (a song is played many times: 1 M generated events hold ~820 k plays of
-- ~100 k triples). A play finds its triple again by equality: the same values from the same rows (UNION and = agree on
-- every double, -0.0 = 0.0 included: a semantics test on DuckDB and Postgres; NULLs never join, as they never
-- matched). Triples without a song are not kept.
-- (An inner equi-join with the tolerance as a filter: a hash join, not a nested loop.)
DROP TABLE IF EXISTS run_song_matches;
CREATE TEMP TABLE run_song_matches AS
SELECT x.song, x.artist, x.length, x.song_id, x.artist_id
FROM (SELECT t.song, t.artist, t.length, c.song_id, c.artist_id,
             ROW_NUMBER() OVER (PARTITION BY t.song, t.artist, t.length ORDER BY c.song_id) AS rn
      FROM (SELECT song, artist, length FROM run_plays
            UNION
            SELECT song, artist, length FROM run_rematch) t
      JOIN sparkify_song_catalog c ON c.title = t.song AND c.artist_name = t.artist
      WHERE abs(c.duration - t.length) < 0.001) x
WHERE x.rn = 1;
{{analyze(run_song_matches)}};

-- The songs of plays already in songplays — the earlier ones above and this run's re-read ones (known = 1) — NULL
-- where none matches now. A first load has none: its plays are inserted with their songs below.
DROP TABLE IF EXISTS run_matches;
CREATE TEMP TABLE run_matches AS
SELECT r.songplay_id, m.song_id, m.artist_id
FROM (SELECT songplay_id, song, artist, length FROM run_rematch
      UNION ALL
      SELECT event_id, song, artist, length FROM run_plays WHERE known = 1) r
LEFT JOIN run_song_matches m ON m.song = r.song AND m.artist = r.artist AND m.length = r.length;
{{analyze(run_matches)}};

-- metric: songplays.updated
UPDATE songplays
SET start_time = p.ts, user_id = p.user_id, level = p.level, session_id = p.session_id,
    location = p.location, user_agent = p.user_agent
FROM run_plays p
WHERE p.known = 1 AND songplays.songplay_id = p.event_id
  AND ({{distinct(songplays.level, p.level)}} OR {{distinct(songplays.session_id, p.session_id)}}
       OR {{distinct(songplays.location, p.location)}} OR {{distinct(songplays.user_agent, p.user_agent)}}
       OR {{distinct(songplays.user_id, p.user_id)}} OR {{distinct(songplays.start_time, p.ts)}});

-- (In songplay_id order on Postgres, its primary key; on Redshift in start_time order, its SORTKEY.)
-- metric: songplays.inserted
INSERT INTO songplays (songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location, user_agent)
SELECT p.event_id, p.ts, p.user_id, p.level, m.song_id, m.artist_id, p.session_id, p.location, p.user_agent
FROM run_plays p
LEFT JOIN run_song_matches m ON m.song = p.song AND m.artist = p.artist AND m.length = p.length
WHERE p.known = 0
{{key_order(p.event_id, p.ts)}};

-- metric: songplays.updated
UPDATE songplays
SET song_id = m.song_id, artist_id = m.artist_id
FROM run_matches m
WHERE songplays.songplay_id = m.songplay_id
  AND ({{distinct(songplays.song_id, m.song_id)}} OR {{distinct(songplays.artist_id, m.artist_id)}});
