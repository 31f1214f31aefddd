using Sparkify.Stream.Sources;
using Sparkify.Stream.Tests.Semantics;
using Sparkify.Stream.Warehouse;
using static Sparkify.Stream.Tests.Semantics.Scenario;

namespace Sparkify.Stream.Tests.Warehouse;

/// <summary>
/// What backfill --replace deletes, counted before it runs (the run's "replacing N songplays" line and --dry-run): the
/// songplays of the range's days plus those its re-read log files gave on other days, as merge/05_replace_range
/// chooses them; and the time rows no other songplay uses. File keys reach the SQL as quoted literals.
/// </summary>
public sealed class CountReplacedTests
{
    [Fact]
    public async Task The_range_s_plays_and_those_its_files_gave_on_other_days_are_counted_and_equal_what_the_replace_deletes()
    {
        using var s = new Scenario();
        s.Song("SO1", "Song", "AR1", "Band", 200.0);
        s.Log("2018-11-02", Event("2018-11-02T10:00:00Z", 1, song: "Song", artist: "Band", length: 200.0));
        // The 3rd's file also holds a play of the 5th (logged late), and the 5th's file one of the 3rd.
        s.Log("2018-11-03", Event("2018-11-03T10:00:00Z", 2), Event("2018-11-05T09:00:00Z", 2, itemInSession: 1));
        s.Log("2018-11-05", Event("2018-11-05T09:00:00Z", 3), Event("2018-11-03T10:00:00Z", 3, itemInSession: 1));
        await using var w = await DuckDbWarehouse.OpenAsync(Path.Combine(s.Root, "w.duckdb"), CancellationToken.None);
        await s.RunAsync(w);
        var range = new DateRange(new DateOnly(2018, 11, 3), new DateOnly(2018, 11, 3));
        const string third = "log_data/2018/11/2018-11-03-events.json";

        // By the range alone: the two plays that started on the 3rd; their time row is shared by both.
        Assert.Equal(new ReplacedRows(2, 1), await w.CountReplacedAsync(range, [], CancellationToken.None));
        // With the 3rd's file re-read: also its play of the 5th, whose time row the 5th's own play keeps.
        Assert.Equal(new ReplacedRows(3, 1), await w.CountReplacedAsync(range, [third], CancellationToken.None));
        // A key with a quote is a literal, not SQL; unknown keys add nothing.
        Assert.Equal(new ReplacedRows(2, 1), await w.CountReplacedAsync(range, ["log_data/it's'; DROP TABLE songplays; --.json"], CancellationToken.None));
        // A key Redshift would read otherwise (a backslash) or no literal can hold is left out of the count, not an error.
        Assert.Equal(new ReplacedRows(3, 1), await w.CountReplacedAsync(range, [third, "log_data/a\\'b", "log_data/x\ny"], CancellationToken.None));

        var replaced = await s.RunAsync(w, range, replace: true);
        Assert.Equal(3, replaced.Rows["songplays"].Deleted);
        // 5 - 3 + the 3rd file's 2: the 5th file's play of the 3rd is gone until that file is re-read.
        Assert.Equal(4, (await w.CountRowsAsync(CancellationToken.None))["songplays"]);
    }

    [Fact]
    public void Literals_quote_each_value_and_stand_for_no_value_with_an_empty_string()
    {
        Assert.Equal("'a', 'it''s'", SqlText.Literals(["a", "it's"]));
        Assert.Equal("''", SqlText.Literals([]));
        Assert.Throws<ArgumentException>(() => SqlText.Literals(["line\nbreak"]));
        Assert.True(SqlText.IsPlain("song_data/A/B/it's.json"));
        Assert.False(SqlText.IsPlain("s3://b/a\\b.json"));
        Assert.False(SqlText.IsPlain("a\tb"));
    }
}
