using System.Globalization;
using Sparkify.Stream.Cli;
using Sparkify.Stream.Jobs;
using Sparkify.Stream.Tests.BadInput;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Tests.Cli;

/// <summary>
/// <c>--max-rejects</c> through the command line on a generated data set with 25 known bad records: above the limit
/// the run exits 3, writes rejects.csv and report.json, and commits nothing — not even the ledger, so the next run
/// reads every file again.
/// </summary>
public sealed class RejectLimitTests : IDisposable
{
    private const int BadRecords = 25;   // 2 lines of each of 8 classes, 2 cut-off last lines, 7 records in bad song files
    private const int Read = 3000 + 150 + BadRecords;

    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-limit-").FullName;

    private string Data => Path.Combine(_dir, "data");
    private string Db => Path.Combine(_dir, "w.duckdb");
    private string Staging => Path.Combine(_dir, "staging");

    private string[] Where(params string[] more) =>
    [
        "--batch", "--songs", Path.Combine(Data, "song_data"), "--logs", Path.Combine(Data, "log_data"),
        "--staging", Staging, "--connection", Db, .. more,
    ];

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var code = await SparkifyCli.RunAsync(args, output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    private async Task GenerateAsync()
    {
        var generated = await Run("generate", "--out", Data, "--songs", "150", "--events", "3000", "--users", "40",
            "--days", "3", "--seed", "7", "--bad-lines", "2");
        Assert.Equal(0, generated.Code);
        Assert.Contains("plus bad input that a run rejects: 25 records (invalid_utf8 3, malformed_json 8, " +
                        "missing_field 4, out_of_range 3, too_long 2, wrong_type 5)", generated.Out, StringComparison.Ordinal);
    }

    private async Task<(IReadOnlyDictionary<string, long> Totals, long Ledger)> WarehouseAsync()
    {
        await using var warehouse = await DuckDbWarehouse.OpenAsync(Db, CancellationToken.None);
        var ledger = await warehouse.QueryAsync("SELECT COUNT(*) FROM sparkify_load_ledger", CancellationToken.None);
        return (await warehouse.CountRowsAsync(CancellationToken.None), Convert.ToInt64(ledger.Rows[0][0], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Over_a_percentage_the_run_exits_3_keeps_rejects_and_report_commits_nothing_and_the_next_run_reads_it_all()
    {
        await GenerateAsync();
        var reportPath = Path.Combine(_dir, "report.json");

        var failed = await Run(Where("--max-rejects", "0.5%", "--report", reportPath));

        Assert.Equal(3, failed.Code);
        Assert.Contains($"error: 25 of {Read:N0} records rejected, over --max-rejects 0.5%; nothing was loaded",
            failed.Err, StringComparison.Ordinal);
        var runDir = Directory.GetDirectories(Path.Combine(Staging, "runs")).Single();
        var rejects = Corpus.ReadRejects(Path.Combine(runDir, "rejects.csv"));
        var report = RunReport.Parse(await File.ReadAllBytesAsync(Path.Combine(runDir, "report.json")));
        Assert.Equal(await File.ReadAllBytesAsync(reportPath), await File.ReadAllBytesAsync(Path.Combine(runDir, "report.json")));
        Assert.Equal((RunStatus.RejectLimit, 0), (report.Status, report.Files.Loaded));
        Assert.Equal((Read, Read - BadRecords, BadRecords), (report.Records.Read, report.Records.Valid, report.Records.Rejected));
        Assert.Equal(BadRecords, rejects.Count);
        Corpus.CheckAccounting(report, rejects);
        Assert.All(report.Rows.Values, change => Assert.Equal(new TableChanges(0, 0, 0), change));
        var (totals, ledger) = await WarehouseAsync();
        Assert.All(StarTables.All, table => Assert.Equal(0, totals[table]));
        Assert.Equal(0, ledger);

        var passed = await Run(Where("--max-rejects", "1%", "--report", reportPath));

        Assert.Equal(0, passed.Code);
        var second = RunReport.Parse(await File.ReadAllBytesAsync(reportPath));
        Assert.Equal((RunStatus.Succeeded, 0, second.Files.Listed), (second.Status, second.Files.Skipped, second.Files.Loaded));
        Assert.Equal((Read, BadRecords), (second.Records.Read, second.Records.Rejected));
        (totals, ledger) = await WarehouseAsync();
        Assert.Equal(second.Files.Listed, ledger);
        Assert.True(totals["songplays"] > 0);
    }

    [Theory]
    [InlineData("25", 0)]        // the limit is the most rejects allowed
    [InlineData("24", 3)]
    [InlineData("0", 3)]
    [InlineData("0.79%", 0)]     // 25 of 3,175 is 0.787%
    [InlineData("0.78%", 3)]
    [InlineData("100%", 0)]
    public async Task The_limit_is_a_count_or_a_percentage_of_the_records_read(string limit, int exitCode)
    {
        await GenerateAsync();

        var result = await Run(Where("--max-rejects", limit));

        Assert.Equal(exitCode, result.Code);
        var (totals, ledger) = await WarehouseAsync();
        Assert.Equal(exitCode == 0, ledger > 0);
        Assert.Equal(exitCode == 0, totals["songs"] > 0);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
