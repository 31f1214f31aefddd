using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sparkify.Stream.Jobs;
using Sparkify.Stream.Tests.Semantics;
using Sparkify.Stream.Warehouse;
using static Sparkify.Stream.Tests.Semantics.Scenario;

namespace Sparkify.Stream.Tests.Cli;

/// <summary>What a first-time user sees: named queries on a hand-written fixture, the summary, quiet output.</summary>
public sealed class ExperienceTests : IDisposable
{
    private readonly Scenario _scenario = new();
    private string Db => Path.Combine(_scenario.Root, "w.duckdb");

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliRun.RunAsync(args);

    /// <summary>
    /// Two songs by two artists; user 1 plays A twice at 10:xx and B once at 11:xx on Sunday 2018-11-04, going
    /// free → paid; user 2 (paid) plays A once at 10:xx on Monday 2018-11-05 in another session.
    /// </summary>
    private async Task LoadFixtureAsync()
    {
        _scenario.Song("SOA", "Song A", "ARA", "Artist A", 100.0).Song("SOB", "Song B", "ARB", "Artist B", 200.0);
        _scenario.Log("2018-11-04",
            Event("2018-11-04T10:00:00Z", 1, level: "free", song: "Song A", artist: "Artist A", length: 100.0, sessionId: 7, itemInSession: 0, firstName: "Ann", lastName: "Lee"),
            Event("2018-11-04T10:05:00Z", 1, level: "paid", song: "Song A", artist: "Artist A", length: 100.0, sessionId: 7, itemInSession: 1, firstName: "Ann", lastName: "Lee"),
            Event("2018-11-04T11:00:00Z", 1, level: "paid", song: "Song B", artist: "Artist B", length: 200.0, sessionId: 7, itemInSession: 2, firstName: "Ann", lastName: "Lee"));
        _scenario.Log("2018-11-05",
            Event("2018-11-05T10:30:00Z", 2, level: "paid", song: "Song A", artist: "Artist A", length: 100.0, sessionId: 9, itemInSession: 0, firstName: "Bo", lastName: "Kim", gender: "M"));
        await using var warehouse = await DuckDbWarehouse.OpenAsync(Db, CancellationToken.None);
        await _scenario.RunAsync(warehouse);
    }

    [Theory]
    [InlineData("top-songs", "title,artist,plays\nSong A,Artist A,3\nSong B,Artist B,1")]
    [InlineData("top-artists", "artist,plays,listeners\nArtist A,3,2\nArtist B,1,1")]
    [InlineData("top-users", "user_id,first_name,last_name,level,plays\n1,Ann,Lee,paid,3\n2,Bo,Kim,paid,1")]
    [InlineData("plays-by-hour", "hour,plays\n10,3\n11,1")]
    [InlineData("plays-by-weekday", "weekday,plays\n0,3\n1,1")]
    [InlineData("plays-by-level", "level,plays,users\nfree,1,1\npaid,3,2")]
    [InlineData("users-by-level", "level,users\npaid,2")]
    [InlineData("busiest-sessions", "session_id,user_id,plays,started,ended\n7,1,3,2018-11-04 10:00:00.000,2018-11-04 11:00:00.000\n9,2,1,2018-11-05 10:30:00.000,2018-11-05 10:30:00.000")]
    public async Task Named_queries_answer_the_fixture_as_csv_json_and_table(string query, string expectedCsv)
    {
        await LoadFixtureAsync();

        var csv = await Run("query", query, "--format", "csv", "--connection", Db);
        Assert.Equal(0, csv.Code);
        Assert.Equal(expectedCsv, csv.Out.ReplaceLineEndings("\n").Trim());

        var json = await Run("query", query, "--format", "json", "--connection", Db);
        var rows = JsonDocument.Parse(json.Out).RootElement.EnumerateArray().ToList();
        var expected = expectedCsv.Split('\n');
        var columns = expected[0].Split(',');
        Assert.Equal(expected.Length - 1, rows.Count);
        for (var i = 0; i < rows.Count; i++)
            Assert.Equal(expected[i + 1].Split(','), columns.Select(c => JsonText(rows[i].GetProperty(c))));

        var table = await Run("query", query, "--connection", Db);
        foreach (var cell in expected.Skip(1).SelectMany(l => l.Split(',')))
            Assert.Contains(cell, table.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_limit_cuts_a_query_and_list_describes_each_one()
    {
        await LoadFixtureAsync();
        var one = await Run("query", "top-songs", "--limit", "1", "--format", "csv", "--connection", Db);
        Assert.Equal("title,artist,plays\nSong A,Artist A,3", one.Out.ReplaceLineEndings("\n").Trim());

        var list = await Run("query", "--list");
        Assert.Equal(NamedQueries.All.Count, list.Out.Trim().Split('\n').Length);
        Assert.All(NamedQueries.All, q => Assert.Contains($"{q.Name}", list.Out, StringComparison.Ordinal));
        Assert.All(NamedQueries.All, q => Assert.NotEqual(q.Name, q.Description));
    }

    [Fact]
    public async Task The_summary_shows_what_report_json_says()
    {
        _scenario.Song("SOA", "Song A", "ARA", "Artist A", 100.0);
        _scenario.Log("2018-11-04", Event("2018-11-04T10:00:00Z", 1, song: "Song A", artist: "Artist A", length: 100.0),
            "{\"ts\": \"yesterday\"}", Event("2018-11-04T10:01:00Z", 2, page: "Home"));
        var reportPath = Path.Combine(_scenario.Root, "report.json");

        var run = await Run("--batch", "--max-rejects", "50%", "--report", reportPath, "--songs", _scenario.SongDir,
            "--logs", _scenario.LogDir, "--staging", _scenario.StagingDir, "--connection", Db);
        Assert.Equal(0, run.Code);
        var report = RunReport.Parse(await File.ReadAllBytesAsync(reportPath));
        var summary = run.Out;

        Assert.Contains($"Run {report.RunId} {report.Status.Name()}", summary, StringComparison.Ordinal);
        Assert.Contains($"files: {report.Files.Listed} listed, {report.Files.Skipped} skipped (already loaded), {report.Files.Loaded} loaded",
            summary, StringComparison.Ordinal);
        foreach (var (kind, totals) in report.RecordsByKind.Append(KeyValuePair.Create("all", report.Records)))
            Assert.Matches($@"{kind}\s*│\s*{N(totals.Read)}\s*│\s*{N(totals.Valid)}\s*│\s*{N(totals.Rejected)}\s*│", summary);
        foreach (var (reason, count) in report.Records.RejectedByReason!)
            Assert.Matches($@"{reason}\s*│\s*{N(count)}\s*│", summary);
        foreach (var (table, change) in report.Rows)
            Assert.Matches($@"{table}\s*│\s*{N(change.Inserted)}\s*│\s*{N(change.Updated)}\s*│\s*{N(change.Deleted)}\s*│\s*{N(report.Totals[table])}\s*│",
                summary);
        Assert.Contains($"{report.EventsPerSecond:N0} events/s", summary, StringComparison.Ordinal);
        Assert.Equal(1, report.Records.RejectedByReason!["wrong_type"]);
    }

    [Fact]
    public async Task Quiet_prints_nothing_on_success_and_only_the_error_on_failure()
    {
        _scenario.Song("SOA", "Song A", "ARA", "Artist A", 100.0);
        _scenario.Log("2018-11-04", Event("2018-11-04T10:00:00Z", 1));
        string[] where = ["--songs", _scenario.SongDir, "--logs", _scenario.LogDir, "--staging", _scenario.StagingDir, "--connection", Db];

        var ok = await Run(["--batch", "--quiet", .. where]);
        Assert.Equal((0, "", ""), ok);

        var failed = await Run(["--batch", "-q", "--max-rejects", "lots", .. where]);
        Assert.Equal(2, failed.Code);
        Assert.Equal("", failed.Out);
        Assert.Single(failed.Err.Trim().Split('\n'));
    }

    [Fact]
    public async Task Every_command_help_shows_an_example()
    {
        foreach (var command in new[] { "run", "backfill", "create-tables", "generate", "query", "check" })
        {
            var help = await Run(command, "--help");
            Assert.Equal(0, help.Code);
            Assert.Contains("Example: sparkify", help.Out, StringComparison.Ordinal);
        }
    }

    private static string N(long value) => Regex.Escape(value.ToString("N0", CultureInfo.InvariantCulture));

    private static string JsonText(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!.Replace('T', ' '),
        _ => e.GetRawText(),
    };

    public void Dispose() => _scenario.Dispose();
}
