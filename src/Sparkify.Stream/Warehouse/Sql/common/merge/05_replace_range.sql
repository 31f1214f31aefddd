-- backfill --replace: the songplays whose start_time falls in the range are replaced by the re-read files.
-- when: replace
DELETE FROM sparkify_play_keys
WHERE songplay_id IN (SELECT songplay_id FROM songplays
                      WHERE start_time >= {{replace_from}} AND start_time < {{replace_to}});
-- when: replace
-- metric: songplays.deleted
DELETE FROM songplays WHERE start_time >= {{replace_from}} AND start_time < {{replace_to}};
