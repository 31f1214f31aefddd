using Sparkify.Stream.Sources;
using static Sparkify.Stream.Tests.Semantics.Scenario;

namespace Sparkify.Stream.Tests.Semantics;

/// <summary>docs/semantics.md#runs and #backfill-and-replace on every target: the load ledger, changed files and date-range backfills.</summary>
public abstract partial class StarSchemaSemantics
{
    private const string Agent = "Mozilla/5.0";

    private static string Play(string ts, int user, string level, string? songId, string? artistId, int session) =>
        $"{Id(ts, session, ItemOf(ts), user)}|{ts.Replace('T', ' ').TrimEnd('Z')}.000|{user}|{level}|" +
        $"{songId ?? "NULL"}|{artistId ?? "NULL"}|{session}|Town, ST|{Agent}";

    // The backfill fixture's item in session: 1 for the extra play at 15:00, else 0.
    private static int ItemOf(string ts) => ts.EndsWith("T15:00:00Z", StringComparison.Ordinal) ? 1 : 0;

    [Fact]
    public async Task A_changed_file_is_re_read_and_its_current_content_wins_without_duplicates()
    {
        using var s = new Scenario();
        s.Song("SO1", "Song", "AR1", "Band", 200.0);
        var a = Event("2018-11-01T01:00:00Z", 1, level: "free", song: "Song", artist: "Band", length: 200.0, itemInSession: 0);
        s.Log("2018-11-01", a, Event("2018-11-01T02:00:00Z", 1, level: "free", song: "X", artist: "Y", length: 1, itemInSession: 1));
        await using var w = await OpenEmptyWarehouseAsync();
        await s.RunAsync(w);

        // Corrected upstream: a new first line shifts the others down, and the second play's level is fixed.
        s.Log("2018-11-01",
            Event("2018-11-01T00:30:00Z", 1, level: "free", song: "X", artist: "Y", length: 1, itemInSession: 2),
            a,
            Event("2018-11-01T02:00:00Z", 1, level: "paid", song: "X", artist: "Y", length: 1, itemInSession: 1));
        s.Touch(s.LogPath("2018-11-01"));
        var changed = await s.RunAsync(w);

        Assert.Equal((2, 1, 1), (changed.Files.Listed, changed.Files.Skipped, changed.Files.Loaded));
        Assert.Equal(new[]
        {
            $"{Id("2018-11-01T00:30:00Z", 1, 2, 1)}|2018-11-01 00:30:00.000|1|free|NULL|NULL|1|Town, ST|{Agent}",
            $"{Id("2018-11-01T01:00:00Z", 1, 0, 1)}|2018-11-01 01:00:00.000|1|free|SO1|AR1|1|Town, ST|{Agent}",
            $"{Id("2018-11-01T02:00:00Z", 1, 1, 1)}|2018-11-01 02:00:00.000|1|paid|NULL|NULL|1|Town, ST|{Agent}",
        }.Order(StringComparer.Ordinal), await Tables.DumpAsync(w, "songplays"));
        Assert.Equal(["1|Ann|Lee|F|paid|2018-11-01 02:00:00.000"], await Tables.DumpAsync(w, "users"));
        var state = await Tables.DumpAllAsync(w);
        TableAssert.Equal(await OneShotAsync(s), state, "a re-read changed file vs one run over its current content");

        var again = await s.RunAsync(w);
        Assert.Equal((2, 0), (again.Files.Skipped, again.Files.Loaded));

        s.Touch(s.LogPath("2018-11-01"));   // same size, new modification time: a new version, re-read
        var touched = await s.RunAsync(w);
        Assert.Equal(1, touched.Files.Loaded);
        Assert.All(touched.Rows.Values, c => Assert.Equal((0L, 0L, 0L), (c.Inserted, c.Updated, c.Deleted)));
        TableAssert.Equal(state, await Tables.DumpAllAsync(w), "re-reading an unchanged file");
    }

    [Fact]
    public async Task Backfill_replace_changes_only_the_ranges_songplays_and_users_keep_their_newest_values()
    {
        using var s = new Scenario();
        s.Song("SO1", "Song", "AR1", "Band", 200.0);
        for (var d = 1; d <= 10; d++) s.Log(Day(d), BackfillDay(d));
        await using var w = await OpenEmptyWarehouseAsync();
        await s.RunAsync(w);
        var before = await Tables.DumpAllAsync(w);
        Assert.Equal(10 + 4 + 9, before["songplays"].Count);

        var range = new DateRange(new DateOnly(2018, 11, 3), new DateOnly(2018, 11, 5));
        var unchanged = await s.RunAsync(w, range);
        Assert.Equal((4, 4, 0), (unchanged.Files.Listed, unchanged.Files.Skipped, unchanged.Files.Loaded));
        TableAssert.Equal(before, await Tables.DumpAllAsync(w), "backfill without --replace over loaded files");

        // Days 3–5 are corrected upstream: a play removed, a play's level and name fixed (moved to the top), a play added.
        s.Log(Day(3), BackfillDay(3).Where(l => !l.Contains("\"userId\":\"3\"", StringComparison.Ordinal)).ToArray());
        var day4 = BackfillDay(4);
        s.Log(Day(4), [day4[1].Replace("\"free\"", "\"paid\"", StringComparison.Ordinal).Replace("Bob", "Bea", StringComparison.Ordinal), day4[0], day4[2]]);
        s.Log(Day(5), [.. BackfillDay(5), Event("2018-11-05T15:00:00Z", 1, song: "Song", artist: "Band", length: 200.0, sessionId: 51, itemInSession: 1)]);
        foreach (var d in new[] { 3, 4, 5 }) s.Touch(s.LogPath(Day(d)));
        var replaced = await s.RunAsync(w, range, replace: true);

        Assert.Equal((4, 1, 3), (replaced.Files.Listed, replaced.Files.Skipped, replaced.Files.Loaded));
        Assert.Equal((8L, 8L), (replaced.Rows["songplays"].Deleted, replaced.Rows["songplays"].Inserted));
        var after = await Tables.DumpAllAsync(w);
        static bool InRange(string row) => row.Split('|')[1][..10] is "2018-11-03" or "2018-11-04" or "2018-11-05";
        Assert.Equal(before["songplays"].Where(r => !InRange(r)), after["songplays"].Where(r => !InRange(r)));
        Assert.Equal(new[]
        {
            Play("2018-11-03T10:00:00Z", 1, "free", "SO1", "AR1", 31), Play("2018-11-03T11:00:00Z", 2, "free", null, null, 32),
            Play("2018-11-04T10:00:00Z", 1, "free", "SO1", "AR1", 41), Play("2018-11-04T11:00:00Z", 2, "paid", null, null, 42),
            Play("2018-11-04T12:00:00Z", 3, "paid", "SO1", "AR1", 43),
            Play("2018-11-05T10:00:00Z", 1, "free", "SO1", "AR1", 51), Play("2018-11-05T15:00:00Z", 1, "free", "SO1", "AR1", 51),
            Play("2018-11-05T12:00:00Z", 3, "paid", "SO1", "AR1", 53),
        }.Order(StringComparer.Ordinal), after["songplays"].Where(InRange));
        // User 2's newest event is the corrected one; users 1 and 3 keep values from days after the range.
        Assert.Equal(new[]
        {
            "1|Ann|Lee|F|paid|2018-11-10 10:00:00.000", "2|Bea|Lee|F|paid|2018-11-04 11:00:00.000",
            "3|Cy|Lee|F|paid|2018-11-09 12:00:00.000",
        }, after["users"]);
        Assert.DoesNotContain(after["time"], r => r.StartsWith("2018-11-03 12:00:00", StringComparison.Ordinal));
        Assert.Contains(after["time"], r => r.StartsWith("2018-11-05 15:00:00", StringComparison.Ordinal));
        Assert.Equal(after["songplays"].Select(r => r.Split('|')[1]).Distinct().Order(StringComparer.Ordinal),
            after["time"].Select(r => r.Split('|')[0]));
        TableAssert.Equal(await OneShotAsync(s), after, "after backfill --replace vs one run over the current files");
    }

    private static string Day(int d) => $"2018-11-{d:D2}";

    /// <summary>Day d: user 1 every day (paid from day 7), user 2 up to day 4, user 3 up to day 9.</summary>
    private static string[] BackfillDay(int d)
    {
        var lines = new List<string>
        {
            Event($"{Day(d)}T10:00:00Z", 1, level: d <= 6 ? "free" : "paid", song: "Song", artist: "Band", length: 200.0,
                sessionId: d * 10 + 1, firstName: "Ann"),
        };
        if (d <= 4)
            lines.Add(Event($"{Day(d)}T11:00:00Z", 2, level: "free", song: "Other", artist: "Band", length: 100.0,
                sessionId: d * 10 + 2, firstName: "Bob"));
        if (d <= 9)
            lines.Add(Event($"{Day(d)}T12:00:00Z", 3, level: "paid", song: "Song", artist: "Band", length: 200.0,
                sessionId: d * 10 + 3, firstName: "Cy"));
        return [.. lines];
    }

    /// <summary>The tables of one run over the scenario's current files, into a fresh warehouse.</summary>
    private async Task<Dictionary<string, List<string>>> OneShotAsync(Scenario s)
    {
        await using var fresh = await OpenEmptyWarehouseAsync();
        await s.RunAsync(fresh);
        return await Tables.DumpAllAsync(fresh);
    }
}
