-- backfill --replace (docs/semantics.md#backfill-and-replace): what its load deletes, counted before it runs (the run
-- says how many songplays it replaces; --dry-run says so without loading). {{files}}: the keys of the log files the
-- range re-reads, as string literals ('' when there are none: no file has an empty key).
-- The songplays merge/05_replace_range deletes: those of the range's days and those the re-read files gave before.
SELECT COUNT(*) AS songplays
FROM songplays s
WHERE (s.start_time >= {{replace_from}} AND s.start_time < {{replace_to}})
   OR s.songplay_id IN (SELECT k.songplay_id FROM sparkify_play_keys k WHERE k.source_key IN ({{files}}));

-- The time rows no other songplay uses: at most what merge/70_time deletes (a re-read play with the same start_time
-- keeps its row).
SELECT COUNT(*) AS time_rows
FROM "time" t
LEFT JOIN (SELECT DISTINCT s.start_time
           FROM songplays s
           WHERE (s.start_time < {{replace_from}} OR s.start_time >= {{replace_to}})
             AND s.songplay_id NOT IN (SELECT k.songplay_id FROM sparkify_play_keys k
                                       WHERE k.source_key IN ({{files}}))) kept
       ON kept.start_time = t.start_time
WHERE kept.start_time IS NULL;
