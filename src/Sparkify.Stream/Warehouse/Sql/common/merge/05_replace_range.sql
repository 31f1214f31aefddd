-- backfill --replace (docs/semantics.md#backfill-and-replace): the songplays whose start_time falls in the range are replaced by what the
-- re-read files hold now. So are the plays those files gave before whose start_time is outside the range (an
-- event logged in the next day's file), so a play that vanished from a corrected file is gone too. The later
-- steps insert what the re-read files hold; for files that hold one day each both rules name the same plays.
-- when: replace
DROP TABLE IF EXISTS run_replaced;
-- when: replace
CREATE TEMP TABLE run_replaced AS
SELECT s.songplay_id
FROM songplays s
WHERE s.start_time >= {{replace_from}} AND s.start_time < {{replace_to}}
UNION
SELECT k.songplay_id
FROM sparkify_play_keys k
WHERE k.source_key IN (SELECT f.source_key FROM staging_files f WHERE f.kind = 'event');

-- when: replace
-- metric: songplays.deleted
DELETE FROM songplays WHERE songplay_id IN (SELECT songplay_id FROM run_replaced);

-- when: replace
DELETE FROM sparkify_play_keys WHERE songplay_id IN (SELECT songplay_id FROM run_replaced);
