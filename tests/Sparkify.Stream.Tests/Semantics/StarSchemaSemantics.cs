using System.Globalization;
using Sparkify.Stream.Records;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Warehouse;
using static Sparkify.Stream.Tests.Semantics.Scenario;

namespace Sparkify.Stream.Tests.Semantics;

/// <summary>
/// docs/semantics.md#the-star-schema on tiny hand-written fixtures, expected rows written out. Each target runs the same cases by
/// subclassing and saying how to open a fresh, empty warehouse.
/// </summary>
public abstract partial class StarSchemaSemantics
{
    internal abstract Task<IWarehouse> OpenEmptyWarehouseAsync();

    private static long Id(string ts, int session, int item, int user) => EventIds.Compute(
        DateTimeOffset.Parse(ts, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds(),
        session, item, user);

    [Fact]
    public async Task Latest_event_gives_the_users_level_even_when_the_older_file_is_loaded_last()
    {
        using var s = new Scenario();
        s.Log("2018-11-02", Event("2018-11-02T10:00:00Z", 7, level: "paid", firstName: "Newer", page: "Home"));
        await using var w = await OpenEmptyWarehouseAsync();
        await s.RunAsync(w);
        s.Log("2018-11-01", Event("2018-11-01T10:00:00Z", 7, level: "free", firstName: "Older", page: "Home"));
        await s.RunAsync(w);

        Assert.Equal(["7|Newer|Lee|F|paid|2018-11-02 10:00:00.000"], await Tables.DumpAsync(w, "users"));
    }

    [Fact]
    public async Task Users_tie_on_ts_goes_to_the_greater_event_id()
    {
        using var s = new Scenario();
        var a = Event("2018-11-01T10:00:00Z", 7, level: "free", sessionId: 1, page: "Home");
        var b = Event("2018-11-01T10:00:00Z", 7, level: "paid", sessionId: 2, page: "Home");
        s.Log("2018-11-01", a, b);
        await using var w = await OpenEmptyWarehouseAsync();
        await s.RunAsync(w);

        var expected = Id("2018-11-01T10:00:00Z", 1, 0, 7) > Id("2018-11-01T10:00:00Z", 2, 0, 7) ? "free" : "paid";
        Assert.Equal([$"7|Ann|Lee|F|{expected}|2018-11-01 10:00:00.000"], await Tables.DumpAsync(w, "users"));
    }

    [Fact]
    public async Task Artist_values_come_from_the_smallest_song_id()
    {
        using var s = new Scenario();
        s.Song("SOB", "Two", "AR1", "Later Name", 100, location: "Later Town", latitude: 1, longitude: 2)
         .Song("SOA", "One", "AR1", "First Name", 100, location: "", latitude: null, longitude: null);
        await using var w = await OpenEmptyWarehouseAsync();
        await s.RunAsync(w);

        Assert.Equal(["AR1|First Name|NULL|NULL|NULL"], await Tables.DumpAsync(w, "artists"));
        Assert.Equal(["SOA|One|AR1|2000|100", "SOB|Two|AR1|2000|100"], await Tables.DumpAsync(w, "songs"));
    }

    [Fact]
    public async Task A_smaller_song_id_loaded_later_takes_over_the_artist()
    {
        using var s = new Scenario();
        s.Song("SOB", "Two", "AR1", "Later Name", 100, location: "B Town");
        await using var w = await OpenEmptyWarehouseAsync();
        await s.RunAsync(w);
        s.Song("SOA", "One", "AR1", "First Name", 100, location: "A Town");
        await s.RunAsync(w);

        Assert.Equal(["AR1|First Name|A Town|NULL|NULL"], await Tables.DumpAsync(w, "artists"));
    }

    [Fact]
    public async Task Plays_match_within_a_millisecond_and_unmatched_plays_are_kept_with_null_ids()
    {
        using var s = new Scenario();
        s.Song("SO1", "Song", "AR1", "Band", 200.0);
        s.Log("2018-11-01",
            Event("2018-11-01T01:00:00Z", 1, song: "Song", artist: "Band", length: 200.0009, itemInSession: 0),
            Event("2018-11-01T02:00:00Z", 1, song: "Song", artist: "Band", length: 200.0011, itemInSession: 1),
            Event("2018-11-01T03:00:00Z", 1, song: "Song", artist: "Other", length: 200.0, itemInSession: 2),
            Event("2018-11-01T04:00:00Z", 1, song: "Missing", artist: "Band", length: 200.0, itemInSession: 3));
        await using var w = await OpenEmptyWarehouseAsync();
        await s.RunAsync(w);

        Assert.Equal(new[]
        {
            $"{Id("2018-11-01T01:00:00Z", 1, 0, 1)}|2018-11-01 01:00:00.000|1|free|SO1|AR1|1|Town, ST|Mozilla/5.0",
            $"{Id("2018-11-01T02:00:00Z", 1, 1, 1)}|2018-11-01 02:00:00.000|1|free|NULL|NULL|1|Town, ST|Mozilla/5.0",
            $"{Id("2018-11-01T03:00:00Z", 1, 2, 1)}|2018-11-01 03:00:00.000|1|free|NULL|NULL|1|Town, ST|Mozilla/5.0",
            $"{Id("2018-11-01T04:00:00Z", 1, 3, 1)}|2018-11-01 04:00:00.000|1|free|NULL|NULL|1|Town, ST|Mozilla/5.0",
        }.Order(StringComparer.Ordinal), await Tables.DumpAsync(w, "songplays"));
    }

    [Fact]
    public async Task Plays_of_one_song_length_each_match_once_and_minus_zero_matches_as_zero()
    {
        // The merge matches each distinct (song, artist, length) once and finds a play's triple again by equality:
        // repeated triples must give one row per play, -0.0 and 0.0 the same song, a NULL length none.
        using var s = new Scenario();
        s.Song("SO1", "Song", "AR1", "Band", 200.0).Song("SO0", "Blank", "AR1", "Band", 0.0);
        s.Log("2018-11-01",
            Event("2018-11-01T01:00:00Z", 1, song: "Song", artist: "Band", length: 200.0, itemInSession: 0),
            Event("2018-11-01T02:00:00Z", 1, song: "Song", artist: "Band", length: 200.0, itemInSession: 1),
            Event("2018-11-01T03:00:00Z", 2, song: "Song", artist: "Band", length: 200.0, itemInSession: 2),
            Event("2018-11-01T04:00:00Z", 1, song: "Blank", artist: "Band", length: -0.0, itemInSession: 3),
            Event("2018-11-01T05:00:00Z", 1, song: "Blank", artist: "Band", length: 0.0, itemInSession: 4),
            Event("2018-11-01T06:00:00Z", 1, song: "Song", artist: "Band", length: null, itemInSession: 5));
        Assert.Contains("\"length\":-0", File.ReadAllText(s.LogPath("2018-11-01")), StringComparison.Ordinal);
        await using var w = await OpenEmptyWarehouseAsync();
        await s.RunAsync(w);

        Assert.Equal(new[]
        {
            $"{Id("2018-11-01T01:00:00Z", 1, 0, 1)}|2018-11-01 01:00:00.000|1|free|SO1|AR1|1|Town, ST|Mozilla/5.0",
            $"{Id("2018-11-01T02:00:00Z", 1, 1, 1)}|2018-11-01 02:00:00.000|1|free|SO1|AR1|1|Town, ST|Mozilla/5.0",
            $"{Id("2018-11-01T03:00:00Z", 1, 2, 2)}|2018-11-01 03:00:00.000|2|free|SO1|AR1|1|Town, ST|Mozilla/5.0",
            $"{Id("2018-11-01T04:00:00Z", 1, 3, 1)}|2018-11-01 04:00:00.000|1|free|SO0|AR1|1|Town, ST|Mozilla/5.0",
            $"{Id("2018-11-01T05:00:00Z", 1, 4, 1)}|2018-11-01 05:00:00.000|1|free|SO0|AR1|1|Town, ST|Mozilla/5.0",
            $"{Id("2018-11-01T06:00:00Z", 1, 5, 1)}|2018-11-01 06:00:00.000|1|free|NULL|NULL|1|Town, ST|Mozilla/5.0",
        }.Order(StringComparer.Ordinal), await Tables.DumpAsync(w, "songplays"));

        // A re-read file (changed: one more play) re-matches its known plays through the same triples.
        s.Log("2018-11-01",
            Event("2018-11-01T01:00:00Z", 1, song: "Song", artist: "Band", length: 200.0, itemInSession: 0),
            Event("2018-11-01T02:00:00Z", 1, song: "Song", artist: "Band", length: 200.0, itemInSession: 1),
            Event("2018-11-01T03:00:00Z", 2, song: "Song", artist: "Band", length: 200.0, itemInSession: 2),
            Event("2018-11-01T04:00:00Z", 1, song: "Blank", artist: "Band", length: 0.0, itemInSession: 3),
            Event("2018-11-01T05:00:00Z", 1, song: "Blank", artist: "Band", length: -0.0, itemInSession: 4),
            Event("2018-11-01T06:00:00Z", 1, song: "Song", artist: "Band", length: 200.0, itemInSession: 5),
            Event("2018-11-01T07:00:00Z", 1, song: "Song", artist: "Band", length: 200.0, itemInSession: 6));
        s.Touch(s.LogPath("2018-11-01"));
        await s.RunAsync(w);
        var plays = await Tables.DumpAsync(w, "songplays");
        Assert.Equal(7, plays.Count);
        Assert.Equal(5, plays.Count(p => p.Contains("|SO1|AR1|", StringComparison.Ordinal)));
        Assert.Equal(2, plays.Count(p => p.Contains("|SO0|AR1|", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Several_matching_songs_give_the_smallest_song_id()
    {
        using var s = new Scenario();
        s.Song("SO9", "Song", "AR9", "Band", 200.0).Song("SO2", "Song", "AR2", "Band", 200.0005);
        s.Log("2018-11-01", Event("2018-11-01T01:00:00Z", 1, song: "Song", artist: "Band", length: 200.0));
        await using var w = await OpenEmptyWarehouseAsync();
        await s.RunAsync(w);

        var play = Assert.Single(await Tables.DumpAsync(w, "songplays"));
        Assert.Contains("|SO2|AR2|", play, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Songs_loaded_after_the_events_match_the_earlier_plays()
    {
        using var s = new Scenario();
        s.Log("2018-11-01", Event("2018-11-01T01:00:00Z", 1, song: "Late", artist: "Band", length: 180.5));
        await using var w = await OpenEmptyWarehouseAsync();
        await s.RunAsync(w);
        Assert.Contains("|NULL|NULL|", Assert.Single(await Tables.DumpAsync(w, "songplays")), StringComparison.Ordinal);

        s.Song("SO5", "Late", "AR5", "Band", 180.5);
        await s.RunAsync(w);
        Assert.Contains("|SO5|AR5|", Assert.Single(await Tables.DumpAsync(w, "songplays")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duplicate_within_one_run_keeps_the_row_of_the_smallest_key_and_line()
    {
        using var s = new Scenario();
        Func<string, string> play = where => Event("2018-11-01T01:00:00Z", 3, song: "X", location: where);
        s.Log("2018-11-02", play("later file"));
        s.Log("2018-11-01", Event("2018-11-01T00:30:00Z", 3, itemInSession: 9, page: "Home"), play("line 2"), play("line 3"));
        await using var w = await OpenEmptyWarehouseAsync();
        await s.RunAsync(w);

        var row = Assert.Single(await Tables.DumpAsync(w, "songplays"));
        Assert.Contains("|line 2|", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_events_collapse_into_one_songplay()
    {
        using var s = new Scenario();
        var play = Event("2018-11-01T01:00:00Z", 3, song: "X", artist: "Y", length: 1);
        s.Log("2018-11-01", play, play);
        s.Log("2018-11-02", play);
        await using var w = await OpenEmptyWarehouseAsync();
        await s.RunAsync(w);

        Assert.Single(await Tables.DumpAsync(w, "songplays"));
        Assert.Single(await Tables.DumpAsync(w, "time"));
        Assert.Single(await Tables.DumpAsync(w, "users"));
    }

    [Fact]
    public async Task Time_uses_iso_weeks_and_sunday_as_weekday_zero()
    {
        using var s = new Scenario();
        s.Log("2018-12-30",
            Event("2018-12-30T23:59:59.123Z", 1, itemInSession: 0),   // a Sunday, ISO week 52 of 2018
            Event("2018-12-31T00:00:00Z", 1, itemInSession: 1),       // a Monday, ISO week 1 of 2019
            Event("2021-01-03T12:00:00Z", 1, itemInSession: 2));      // a Sunday, ISO week 53 of 2020
        await using var w = await OpenEmptyWarehouseAsync();
        await s.RunAsync(w);

        Assert.Equal(new[]
        {
            "2018-12-30 23:59:59.123|23|30|52|12|2018|0",
            "2018-12-31 00:00:00.000|0|31|1|12|2018|1",
            "2021-01-03 12:00:00.000|12|3|53|1|2021|0",
        }, await Tables.DumpAsync(w, "time"));
    }

    [Fact]
    public async Task Only_nextsong_events_with_a_user_become_songplays_and_time_rows()
    {
        using var s = new Scenario();
        s.Log("2018-11-01",
            Event("2018-11-01T01:00:00Z", null, page: "NextSong", song: "X", artist: "Y", length: 1),
            Event("2018-11-01T02:00:00Z", 4, page: "Home"),
            Event("2018-11-01T03:00:00Z", 4, page: "NextSong", song: "X", artist: "Y", length: 1, itemInSession: 1));
        await using var w = await OpenEmptyWarehouseAsync();
        await s.RunAsync(w);

        Assert.Single(await Tables.DumpAsync(w, "songplays"));
        Assert.Equal(["2018-11-01 03:00:00.000|3|1|44|11|2018|4"], await Tables.DumpAsync(w, "time"));
        Assert.Equal(["4|Ann|Lee|F|free|2018-11-01 03:00:00.000"], await Tables.DumpAsync(w, "users"));
    }

    [Fact]
    public async Task Running_the_same_input_again_changes_nothing()
    {
        using var s = new Scenario();
        s.Song("SO1", "Song", "AR1", "Band", 200.0);
        s.Log("2018-11-01", Event("2018-11-01T01:00:00Z", 1, song: "Song", artist: "Band", length: 200.0),
            Event("2018-11-01T02:00:00Z", 2, level: "paid", itemInSession: 1));
        await using var w = await OpenEmptyWarehouseAsync();
        await s.RunAsync(w);
        var first = await Tables.DumpAllAsync(w);

        var again = await s.RunAsync(w);
        Assert.Equal(0, again.Files.Loaded);
        Assert.Equal(first, await Tables.DumpAllAsync(w));

        var reloaded = await s.RunAsync(w, reload: true);
        Assert.Equal(2, reloaded.Files.Loaded);
        Assert.All(reloaded.Rows.Values, c => Assert.Equal((0L, 0L, 0L), (c.Inserted, c.Updated, c.Deleted)));
        Assert.Equal(first, await Tables.DumpAllAsync(w));
    }

    [Fact]
    public async Task Two_files_loaded_in_either_order_give_identical_tables()
    {
        var day1 = new[]
        {
            Event("2018-11-01T01:00:00Z", 1, level: "free", song: "A", artist: "B", length: 10),
            Event("2018-11-01T05:00:00Z", 2, level: "paid", itemInSession: 1),
        };
        var day2 = new[]
        {
            Event("2018-11-02T01:00:00Z", 1, level: "paid", song: "A", artist: "B", length: 10, sessionId: 2),
            Event("2018-11-01T01:00:00Z", 1, level: "free", song: "A", artist: "B", length: 10),   // duplicate of day 1
        };
        async Task<Dictionary<string, List<string>>> Load(bool day1First)
        {
            using var s = new Scenario();
            s.Song("SO1", "A", "AR1", "B", 10);
            await using var w = await OpenEmptyWarehouseAsync();
            s.Log(day1First ? "2018-11-01" : "2018-11-02", day1First ? day1 : day2);
            await s.RunAsync(w);
            s.Log(day1First ? "2018-11-02" : "2018-11-01", day1First ? day2 : day1);
            await s.RunAsync(w);
            return await Tables.DumpAllAsync(w);
        }

        var forward = await Load(day1First: true);
        var backward = await Load(day1First: false);
        Assert.Equal(forward, backward);
        Assert.Equal(3, forward["songplays"].Count);   // the duplicate collapses
        Assert.Equal(["1|Ann|Lee|F|paid|2018-11-02 01:00:00.000", "2|Ann|Lee|F|paid|2018-11-01 05:00:00.000"],
            forward["users"]);
    }

    [Fact]
    public async Task Backfill_with_replace_rewrites_only_the_range()
    {
        using var s = new Scenario();
        s.Log("2018-11-01", Event("2018-11-01T01:00:00Z", 1, level: "free"));
        s.Log("2018-11-02", Event("2018-11-02T01:00:00Z", 1, level: "free"));
        await using var w = await OpenEmptyWarehouseAsync();
        await s.RunAsync(w);

        s.Log("2018-11-02", Event("2018-11-02T03:00:00Z", 1, level: "paid"));   // the day's file was corrected
        var range = new DateRange(new DateOnly(2018, 11, 2), new DateOnly(2018, 11, 2));
        var report = await s.RunAsync(w, range, replace: true);

        Assert.Equal(1, report.Files.Loaded);
        Assert.Equal(new[] { "2018-11-01 01:00:00.000", "2018-11-02 03:00:00.000" },
            (await Tables.DumpAsync(w, "time")).Select(r => r.Split('|')[0]));
        Assert.Equal(2, (await Tables.DumpAsync(w, "songplays")).Count);
    }
}
