using System.Security.Cryptography;
using Sparkify.Stream.Cli;
using Sparkify.Stream.Generation;

namespace Sparkify.Stream.Tests.Cli;

/// <summary>
/// `sparkify query --sql` / `--sql-file` on DuckDB, end to end in-process: the user's SELECT answered in each format
/// with --limit capping the rows; any write refused (exit 2) by construction — the file is opened read-only, external
/// access is off, one statement only — and the warehouse file unchanged byte for byte. (Postgres: the integration tests.)
/// </summary>
public sealed class QuerySqlTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-query-sql-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Db => Path.Combine(_dir, "w.duckdb");

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var (output, errors) = (new StringWriter(), new StringWriter());
        var code = await SparkifyCli.RunAsync(args, output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    private async Task LoadAsync()
    {
        var data = Path.Combine(_dir, "data");
        DataGenerator.Generate(new GeneratorOptions(data) { Songs = 60, Events = 600, Users = 20, Days = 2, Seed = 11 });
        var run = await Run("--batch", "--songs", Path.Combine(data, "song_data"), "--logs", Path.Combine(data, "log_data"),
            "--staging", Path.Combine(_dir, "staging"), "--connection", Db, "-q");
        Assert.True(run.Code == 0, run.Err);
    }

    private string Hash() => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Db)));

    [Fact]
    public async Task A_select_is_answered_in_each_format_and_limit_caps_the_rows_printed()
    {
        await LoadAsync();
        var plays = await Run("query", "--sql", "SELECT COUNT(*) AS plays FROM songplays", "--format", "csv", "--connection", Db);
        Assert.True(plays.Code == 0, plays.Err);
        var total = long.Parse(plays.Out.Trim().Split('\n')[1], System.Globalization.CultureInfo.InvariantCulture);
        var named = await Run("query", "plays-by-level", "--format", "csv", "--connection", Db);
        Assert.Equal(total, named.Out.Trim().Split('\n').Skip(1).Sum(l => long.Parse(l.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)));

        var capped = await Run("query", "--sql", "SELECT songplay_id FROM songplays ORDER BY songplay_id", "--limit", "3",
            "--format", "json", "--connection", Db);
        Assert.Equal(0, capped.Code);
        Assert.Equal(3, System.Text.Json.JsonDocument.Parse(capped.Out).RootElement.GetArrayLength());
        Assert.Contains("the first 3 rows: there are more", capped.Err, StringComparison.Ordinal);

        var file = Path.Combine(_dir, "q.sql");
        await File.WriteAllTextAsync(file, "-- users by level\nSELECT level, COUNT(*) AS n FROM users GROUP BY level ORDER BY level;\n");
        var fromFile = await Run("query", "--sql-file", file, "--connection", Db);
        Assert.True(fromFile.Code == 0, fromFile.Err);
        Assert.Matches(@"│\s*(free|paid)\s*│\s*\d+\s*│", fromFile.Out);
    }

    [Theory]
    [InlineData("DELETE FROM songplays", "only reads, and the warehouse refused this statement")]
    [InlineData("DROP TABLE songplays", "only reads, and the warehouse refused this statement")]
    [InlineData("COMMIT; DROP TABLE songplays", "--sql takes one statement")]
    [InlineData("CREATE TABLE evil AS SELECT 1", "only reads, and the warehouse refused this statement")]
    [InlineData("COPY songplays TO 'OUT'", "only reads, and the warehouse refused this statement")]
    [InlineData("ATTACH 'OTHER' AS other", "only reads, and the warehouse refused this statement")]
    public async Task A_write_is_refused_with_exit_2_and_the_warehouse_is_unchanged(string sql, string message)
    {
        await LoadAsync();
        var before = Hash();
        var outside = Path.Combine(_dir, "outside");
        var write = await Run("query", "--sql", sql.Replace("OUT", outside + ".csv").Replace("OTHER", outside + ".duckdb"), "--connection", Db);

        Assert.Equal(2, write.Code);
        Assert.Contains(message, write.Err, StringComparison.Ordinal);
        Assert.Equal(before, Hash());
        Assert.False(File.Exists(outside + ".csv") || File.Exists(outside + ".duckdb"), "a file was written outside the warehouse");
        Assert.Equal(0, (await Run("query", "--sql", "SELECT COUNT(*) FROM songplays", "--connection", Db)).Code);
    }

    [Fact]
    public async Task Bad_sql_a_missing_warehouse_and_conflicting_choices_are_exit_2_saying_why()
    {
        Assert.Contains("no warehouse at", (await Run("query", "--sql", "SELECT 1", "--connection", Db)).Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Db), "query --sql made a warehouse");
        await LoadAsync();
        var bad = await Run("query", "--sql", "SELEC 1", "--connection", Db);
        Assert.Equal(2, bad.Code);
        Assert.Contains("the query failed: Parser Error", bad.Err, StringComparison.Ordinal);
        var both = await Run("query", "top-songs", "--sql", "SELECT 1", "--connection", Db);
        Assert.Equal(2, both.Code);
        Assert.Contains("give one of: a query name, --sql or --sql-file", both.Err, StringComparison.Ordinal);
        var missing = await Run("query", "--sql-file", Path.Combine(_dir, "none.sql"), "--connection", Db);
        Assert.Equal(2, missing.Code);
        Assert.Contains("cannot read --sql-file", missing.Err, StringComparison.Ordinal);
    }
}
