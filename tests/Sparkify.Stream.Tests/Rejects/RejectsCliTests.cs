using System.Globalization;
using CsvHelper;
using Sparkify.Stream.Generation;
using Sparkify.Stream.Jobs;
using Sparkify.Stream.Records;

namespace Sparkify.Stream.Tests.Rejects;

/// <summary>`sparkify rejects [RUN_ID|latest]` in-process on generated bad lines, local staging (S3: the integration tests).</summary>
public sealed class RejectsCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-rejects-cli-").FullName;

    private string Data => Path.Combine(_dir, "data");
    private string Staging => Path.Combine(_dir, "staging");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Generates 2 bad lines of each class (plus <see cref="RejectsCheck.FormulaLines"/>), runs, returns the report.</summary>
    private async Task<(GeneratorResult Made, RunReport Report)> RunWithBadLinesAsync(bool formulas = false)
    {
        var made = DataGenerator.Generate(new GeneratorOptions(Data) { Songs = 60, Events = 900, Users = 15, Days = 3, Seed = 11, BadLines = 2 });
        if (formulas) RejectsCheck.AppendTo(Directory.EnumerateFiles(Path.Combine(Data, "log_data"), "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First());
        var run = await RejectsCheck.RunAsync("run", "--batch", "-q", "--max-rejects", "100%", "--songs", Path.Combine(Data, "song_data"),
            "--logs", Path.Combine(Data, "log_data"), "--staging", Staging, "--connection", Path.Combine(_dir, "w.duckdb"));
        Assert.True(run.Code == 0, run.Err);
        var runDir = Assert.Single(Directory.GetDirectories(Path.Combine(Staging, "runs")));
        return (made, RunReport.Parse(await File.ReadAllBytesAsync(Path.Combine(runDir, "report.json"))));
    }

    [Fact]
    public async Task Rejects_latest_counts_every_generated_bad_line_by_reason_as_report_json_does()
    {
        var (made, report) = await RunWithBadLinesAsync();

        var json = await RejectsCheck.RunAsync("rejects", "latest", "--staging", Staging, "--format", "json");
        Assert.True(json.Code == 0, json.Err);
        Assert.Equal(made.BadRecords!.OrderBy(p => p.Key, StringComparer.Ordinal),
            RejectsCheck.CountsByReason(json.Out).OrderBy(p => p.Key, StringComparer.Ordinal));
        RejectsCheck.MatchesReport(json.Out, report);
        var groups = RejectsCheck.Rows(json.Out);
        Assert.Contains(groups, g => g["reason"].GetString() == RejectReason.WrongType && g["field"].GetString() == "ts"
            && g["count"].GetInt64() == 2 && g["first"].GetString()!.StartsWith("log_data/", StringComparison.Ordinal));
        Assert.All(groups, g => Assert.Matches(@":\d+$", g["first"].GetString()!));

        // The default is latest; a run id names the same run; table and csv carry the same counts.
        Assert.Equal(json.Out, (await RejectsCheck.RunAsync("rejects", "--staging", Staging, "--format", "json")).Out);
        Assert.Equal(json.Out, (await RejectsCheck.RunAsync("rejects", report.RunId, "--staging", Staging, "--format", "json")).Out);
        var table = await RejectsCheck.RunAsync("rejects", "--staging", Staging);
        Assert.True(table.Code == 0, table.Err);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture,
            $"run {report.RunId}: {report.Records.Rejected:N0} of {report.Records.Read:N0} records rejected"), table.Out, StringComparison.Ordinal);
        foreach (var reason in made.BadRecords!.Keys) Assert.Contains(reason, table.Out, StringComparison.Ordinal);
        var csv = await RejectsCheck.RunAsync("rejects", "--staging", Staging, "--format", "csv");
        using var reader = new CsvParser(new StringReader(csv.Out), CultureInfo.InvariantCulture);
        Assert.True(reader.Read());
        Assert.Equal(["reason", "field", "count", "first", "message", "raw"], reader.Record!);
        long sum = 0;
        while (reader.Read()) sum += long.Parse(reader.Record![2], CultureInfo.InvariantCulture);
        Assert.Equal(report.Records.Rejected, sum);

        var all = await RejectsCheck.RunAsync("rejects", "latest", "--all", "--staging", Staging, "--format", "json");
        Assert.Equal(report.Records.Rejected, RejectsCheck.Rows(all.Out).Count);
    }

    [Fact]
    public async Task Json_prints_formula_leading_raw_lines_exactly_and_csv_output_escapes_them()
    {
        var (made, report) = await RunWithBadLinesAsync(formulas: true);
        Assert.Equal(made.BadRecords![RejectReason.MalformedJson] + RejectsCheck.FormulaLines.Length,
            report.Records.RejectedByReason![RejectReason.MalformedJson]);

        var all = await RejectsCheck.RunAsync("rejects", "latest", "--all", "--staging", Staging, "--format", "json");
        Assert.True(all.Code == 0, all.Err);
        var raws = RejectsCheck.Raws(all.Out);
        foreach (var line in RejectsCheck.FormulaLines) Assert.Contains(line, raws);
        RejectsCheck.MatchesReport((await RejectsCheck.RunAsync("rejects", "latest", "--staging", Staging, "--format", "json")).Out, report);

        var csv = await RejectsCheck.RunAsync("rejects", "latest", "--all", "--staging", Staging, "--format", "csv");
        using var parser = new CsvParser(new StringReader(csv.Out), CultureInfo.InvariantCulture);
        while (parser.Read())
            Assert.All(parser.Record!, cell => Assert.False(cell.Length > 0 && "=+-@\t\r".Contains(cell[0], StringComparison.Ordinal), cell));
        Assert.Contains("\"'=1+2\"", csv.Out, StringComparison.Ordinal);
        var table = await RejectsCheck.RunAsync("rejects", "latest", "--all", "--staging", Staging);
        Assert.Contains("\\r=cr", table.Out, StringComparison.Ordinal);   // a control character shown, not printed
    }

    [Fact]
    public async Task An_unknown_run_or_a_staging_area_without_runs_exits_2()
    {
        var empty = await RejectsCheck.RunAsync("rejects", "latest", "--staging", Staging);
        Assert.Equal(2, empty.Code);
        Assert.Contains("no run in the staging area", empty.Err, StringComparison.Ordinal);

        await RunWithBadLinesAsync();
        var unknown = await RejectsCheck.RunAsync("rejects", "20990101T000000.000Z-00000000", "--staging", Staging);
        Assert.Equal(2, unknown.Code);
        Assert.Contains("no run 20990101T000000.000Z-00000000", unknown.Err, StringComparison.Ordinal);
        var bad = await RejectsCheck.RunAsync("rejects", "latest", "--staging", Staging, "--format", "xml");
        Assert.Equal(2, bad.Code);
    }
}
