using System.Text;
using System.Text.Json;
using Sparkify.Stream.Cli;
using Sparkify.Stream.Generation;
using Sparkify.Stream.Jobs;

namespace Sparkify.Stream.Tests.Cli;

/// <summary>The `sparkify` command line end to end, in-process, on generated data (DuckDB target).</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-cli-").FullName;

    private string Data => Path.Combine(_dir, "data");
    private string Db => Path.Combine(_dir, "w.duckdb");
    private string Staging => Path.Combine(_dir, "staging");

    private string[] Where(params string[] more) =>
    [
        "--songs", Path.Combine(Data, "song_data"), "--logs", Path.Combine(Data, "log_data"),
        "--staging", Staging, "--connection", Db, .. more,
    ];

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var code = await SparkifyCli.RunAsync(args, output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    private void Generate(int events = 3000) =>
        DataGenerator.Generate(new GeneratorOptions(Data) { Songs = 150, Events = events, Users = 40, Days = 3, Seed = 7 });

    /// <summary>
    /// Issue 29: `--report` into a folder that cannot be made (here a file stands where it would be) was found out only
    /// after the load had committed, then reported as "the run failed, nothing was committed". Now it is checked first:
    /// exit 2 naming the path, and nothing is read or loaded (not even the warehouse file is made).
    /// </summary>
    [Fact]
    public async Task A_report_path_that_cannot_be_written_is_exit_2_before_anything_is_loaded()
    {
        Generate(events: 300);
        var file = Path.Combine(_dir, "not-a-folder");
        await File.WriteAllTextAsync(file, "");
        var report = Path.Combine(file, "r.json");

        var run = await Run(["--batch", "--report", report, .. Where()]);

        Assert.Equal(2, run.Code);
        Assert.Contains($"error: --report {report} cannot be written", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("committed", run.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Db), "the warehouse was opened");
        Assert.False(Directory.Exists(Staging), "files were staged");
    }

    [Fact]
    public async Task A_batch_run_loads_then_a_second_run_loads_nothing_and_changes_nothing()
    {
        Generate();
        var first = await Run(["--batch", .. Where()]);
        Assert.Equal(0, first.Code);
        Assert.Contains("153 loaded", first.Out, StringComparison.Ordinal);
        Assert.Matches(@"songplays\s*│\s*[1-9][\d,]*", first.Out);
        Assert.DoesNotContain("\u001b[", first.Out, StringComparison.Ordinal);   // no ANSI codes without a terminal
        var tablesAfterFirst = (await Run("query", "top-users", "--limit", "100", "--format", "csv", "--connection", Db)).Out;

        var second = await Run(["run", "--batch", .. Where()]);
        Assert.Equal(0, second.Code);
        Assert.Contains("153 skipped (already loaded), 0 loaded", second.Out, StringComparison.Ordinal);
        Assert.Equal(tablesAfterFirst, (await Run("query", "top-users", "--limit", "100", "--format", "csv", "--connection", Db)).Out);
    }

    [Fact]
    public async Task Report_json_accounts_for_every_record_per_file()
    {
        Generate();
        var reportPath = Path.Combine(_dir, "report.json");
        Assert.Equal(0, (await Run(["--batch", "--report", reportPath, .. Where()])).Code);

        var report = RunReport.Parse(await File.ReadAllBytesAsync(reportPath));
        Assert.Equal(RunStatus.Succeeded, report.Status);
        Assert.Equal(153, report.PerFile.Count);
        Assert.All(report.PerFile, f => Assert.Equal(f.Read, f.Valid + f.Rejected));
        Assert.Equal(report.Records.Read, report.PerFile.Sum(f => f.Read));
        Assert.Equal(3000, report.RecordsByKind["event"].Read);
        Assert.Equal(150, report.RecordsByKind["song"].Read);
        Assert.True(File.Exists(Path.Combine(Staging, "runs", report.RunId, "report.json")));
        Assert.True(report.Totals["songplays"] > 0);
        Assert.Equal(report.Totals["songplays"], report.Rows["songplays"].Inserted);
    }

    [Fact]
    public async Task Query_prints_table_csv_and_json_and_check_passes()
    {
        Generate();
        Assert.Equal(0, (await Run(["--batch", .. Where()])).Code);

        var list = await Run("query", "--list");
        Assert.Equal(0, list.Code);
        foreach (var name in new[] { "top-songs", "top-artists", "top-users", "plays-by-hour", "plays-by-level" })
            Assert.Contains(name, list.Out, StringComparison.Ordinal);

        var csv = await Run("query", "plays-by-level", "--format", "csv", "--connection", Db);
        Assert.Equal(0, csv.Code);
        var lines = csv.Out.Trim().Split('\n');
        Assert.Equal("level,plays,users", lines[0].Trim());
        Assert.Equal(["free", "paid"], lines.Skip(1).Select(l => l.Split(',')[0]));

        var json = await Run("query", "plays-by-hour", "--format", "json", "--connection", Db);
        var hours = JsonDocument.Parse(json.Out).RootElement;
        Assert.InRange(hours.GetArrayLength(), 1, 24);
        Assert.True(hours[0].GetProperty("plays").GetInt64() > 0);

        var table = await Run("query", "top-songs", "--limit", "3", "--connection", Db);
        Assert.Equal(0, table.Code);
        Assert.Contains("plays", table.Out, StringComparison.Ordinal);

        var check = await Run("check", "--connection", Db);
        Assert.Equal(0, check.Code);
        Assert.DoesNotContain("FAIL", check.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_the_reject_limit_the_run_exits_3_and_commits_nothing()
    {
        Generate(events: 500);
        var log = Directory.EnumerateFiles(Path.Combine(Data, "log_data"), "*.json", SearchOption.AllDirectories).First();
        await File.AppendAllTextAsync(log, "\nnot json at all\n{\"ts\":\"yesterday\"}\n", new UTF8Encoding(false));

        var failed = await Run(["--batch", "--max-rejects", "1", .. Where()]);
        Assert.Equal(3, failed.Code);
        Assert.Contains("2 of 652 records rejected", failed.Err, StringComparison.Ordinal);
        var runDir = Directory.GetDirectories(Path.Combine(Staging, "runs")).Single();
        var rejects = await File.ReadAllLinesAsync(Path.Combine(runDir, "rejects.csv"));
        Assert.Equal("source_key,line,kind,reason,field,message,raw", rejects[0]);
        Assert.Contains(rejects, r => r.Contains(",malformed_json,", StringComparison.Ordinal));
        Assert.Contains(rejects, r => r.Contains(",wrong_type,ts,", StringComparison.Ordinal));
        Assert.Equal(RunStatus.RejectLimit, RunReport.Parse(await File.ReadAllBytesAsync(Path.Combine(runDir, "report.json"))).Status);
        var counts = await Run("query", "users-by-level", "--format", "csv", "--connection", Db);
        Assert.Equal("level,users", counts.Out.Trim());   // nothing loaded

        var within = await Run(["--batch", "--max-rejects", "1%", .. Where()]);
        Assert.Equal(0, within.Code);
    }

    [Fact]
    public async Task Generate_realism_messy_loads_without_a_reject_into_as_many_star_rows_as_the_clean_shape()
    {
        var totals = new List<IReadOnlyDictionary<string, long>>();
        foreach (var shape in new[] { "clean", "messy" })
        {
            var data = Path.Combine(_dir, shape);
            var generated = await Run("generate", "--out", data, "--songs", "150", "--events", "3000", "--users", "40",
                "--days", "3", "--seed", "7", "--realism", shape);
            Assert.Equal(0, generated.Code);
            Assert.Contains($"MB, {shape})", generated.Out, StringComparison.Ordinal);
            var reportPath = Path.Combine(_dir, shape + ".json");
            var run = await Run("--batch", "--report", reportPath, "--songs", Path.Combine(data, "song_data"),
                "--logs", Path.Combine(data, "log_data"), "--staging", Path.Combine(_dir, shape + "-staging"),
                "--connection", Path.Combine(_dir, shape + ".duckdb"));
            Assert.Equal(0, run.Code);
            var report = RunReport.Parse(await File.ReadAllBytesAsync(reportPath));
            Assert.Equal((3000, 150, 0), (report.RecordsByKind["event"].Read, report.RecordsByKind["song"].Read, report.Records.Rejected));
            totals.Add(report.Totals);
        }
        Assert.Equal(totals[0], totals[1]);
    }

    [Fact]
    public async Task An_unknown_realism_is_a_one_line_error_and_exit_2()
    {
        var result = await Run("generate", "--out", Data, "--realism", "tidy");
        Assert.Equal(2, result.Code);
        Assert.Equal("error: --realism must be clean or messy (got 'tidy')", result.Err.Trim());
    }

    [Theory]
    [InlineData("--max-rejects", "lots")]
    [InlineData("--target", "oracle")]
    [InlineData("--from", "2018-13-01")]
    [InlineData("--parallelism", "0")]
    [InlineData("--config", "/nonexistent/dwh.cfg")]
    public async Task A_bad_value_is_a_one_line_error_and_exit_2(string option, string value)
    {
        var result = await Run("--batch", option, value, "--connection", Db);
        Assert.Equal(2, result.Code);
        Assert.Single(result.Err.Trim().Split('\n'));
        Assert.StartsWith("error: ", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_option_is_a_usage_error()
    {
        var result = await Run("--batch", "--no-such-option");
        Assert.Equal(2, result.Code);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
