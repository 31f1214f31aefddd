-- backfill --replace: the event files re-read by this run replace what they gave before. The songplays whose
-- winning source (sparkify_play_keys.source_key) is one of those files are deleted here; the later steps insert
-- what the files hold now, so plays that vanished from a corrected file are gone and the rest come back.
-- Log files hold one day each, so these are the songplays of the range (SPEC §4); keying on the source instead
-- of start_time means a play that came from a file outside the range (e.g. an event logged in the next day's
-- file) is never deleted by a backfill that does not re-read that file.
-- when: replace
DROP TABLE IF EXISTS run_replaced;
-- when: replace
CREATE TEMP TABLE run_replaced AS
SELECT k.songplay_id
FROM sparkify_play_keys k
WHERE k.source_key IN (SELECT f.source_key FROM staging_files f WHERE f.kind = 'event');

-- when: replace
-- metric: songplays.deleted
DELETE FROM songplays WHERE songplay_id IN (SELECT songplay_id FROM run_replaced);

-- when: replace
DELETE FROM sparkify_play_keys WHERE songplay_id IN (SELECT songplay_id FROM run_replaced);
