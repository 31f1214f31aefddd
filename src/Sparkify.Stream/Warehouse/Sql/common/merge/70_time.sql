-- One row per distinct songplays.start_time, UTC; week is the ISO week, weekday 0 = Sunday.
-- metric: time.inserted
INSERT INTO "time" (start_time, hour, day, week, month, year, weekday)
SELECT t.start_time,
       CAST(EXTRACT(hour FROM t.start_time) AS INTEGER),
       CAST(EXTRACT(day FROM t.start_time) AS INTEGER),
       CAST(EXTRACT(week FROM t.start_time) AS INTEGER),
       CAST(EXTRACT(month FROM t.start_time) AS INTEGER),
       CAST(EXTRACT(year FROM t.start_time) AS INTEGER),
       CAST(EXTRACT(dow FROM t.start_time) AS INTEGER)
FROM (SELECT DISTINCT ts AS start_time FROM run_plays) t
WHERE NOT EXISTS (SELECT 1 FROM "time" x WHERE x.start_time = t.start_time);

-- when: replace
-- metric: time.deleted
DELETE FROM "time"
WHERE NOT EXISTS (SELECT 1 FROM songplays s WHERE s.start_time = "time".start_time);
