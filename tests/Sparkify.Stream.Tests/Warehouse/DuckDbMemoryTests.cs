using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Tests.Warehouse;

/// <summary>DuckDB's memory is bounded (issue 17): a memory limit, a temp folder to spill to, no key index to hold.</summary>
public sealed class DuckDbMemoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-duckmem-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<string?> SettingAsync(IWarehouse w, string name) =>
        (await w.QueryAsync($"SELECT current_setting('{name}')", CancellationToken.None)).Rows.Single()[0]?.ToString();

    [Fact]
    public async Task The_default_limit_is_bounded_and_spills_beside_the_warehouse()
    {
        var path = Path.Combine(_dir, "w.duckdb");
        await using var w = await DuckDbWarehouse.OpenAsync(path, CancellationToken.None);
        var limit = await SettingAsync(w, "memory_limit");
        await using (var explicitly = await DuckDbWarehouse.OpenAsync(Path.Combine(_dir, "x.duckdb"),
                         DuckDbWarehouse.DefaultMemoryLimitFor(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes), CancellationToken.None))
            Assert.Equal(await SettingAsync(explicitly, "memory_limit"), limit);   // as DuckDB prints it
        Assert.EndsWith("MiB", limit, StringComparison.Ordinal);   // 128 to 667 MiB
        Assert.Equal(path + ".tmp", await SettingAsync(w, "temp_directory"));
    }

    [Theory]
    [InlineData(24L << 30, "667MiB")]     // 700 MB: 10 M events under 1.5 GB of RSS
    [InlineData(8L << 30, "667MiB")]
    [InlineData(2L << 30, "512MiB")]      // a small container: a quarter of it
    [InlineData(1L << 30, "256MiB")]
    [InlineData(256L << 20, "128MiB")]    // never under 128 MiB
    public void The_default_is_700_megabytes_or_a_quarter_of_a_smaller_memory(long available, string expected) =>
        Assert.Equal(expected, DuckDbWarehouse.DefaultMemoryLimitFor(available));

    [Fact]
    public async Task A_load_over_the_limit_fails_naming_the_setting_and_commits_nothing()
    {
        var data = Path.Combine(_dir, "data");
        Stream.Generation.DataGenerator.Generate(new Stream.Generation.GeneratorOptions(data) { Songs = 200, Events = 5000, Days = 2, Seed = 3 });
        var db = Path.Combine(_dir, "w.duckdb");
        using var run = await Runs.SparkifyProcess.RunAsync(
            ["--batch", "--songs", Path.Combine(data, "song_data"), "--logs", Path.Combine(data, "log_data"),
             "--staging", Path.Combine(_dir, "staging"), "--connection", db],
            _dir, new Dictionary<string, string?> { ["SPARKIFY_WAREHOUSE__MEMORY_LIMIT"] = "4MiB" });
        Assert.True(run.ExitCode == 1, run.Describe());
        Assert.Contains("Out of Memory Error", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("memory_limit (4.0 MiB) is too small for this load: raise [WAREHOUSE] MEMORY_LIMIT", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("(nothing was committed)", run.Stderr, StringComparison.Ordinal);
        await using var w = await DuckDbWarehouse.OpenAsync(db, CancellationToken.None);
        Assert.Equal(0L, Convert.ToInt64((await w.QueryAsync("SELECT COUNT(*) FROM sparkify_load_ledger", CancellationToken.None)).Rows[0][0],
            System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_configured_limit_is_applied()
    {
        await using var w = await DuckDbWarehouse.OpenAsync(Path.Combine(_dir, "w.duckdb"), "512MiB", CancellationToken.None);
        Assert.Equal("512.0 MiB", await SettingAsync(w, "memory_limit"));
    }

    [Fact]
    public async Task The_star_tables_hold_no_key_index_in_duckdb()
    {
        await using var w = await DuckDbWarehouse.OpenAsync(Path.Combine(_dir, "w.duckdb"), CancellationToken.None);
        await w.CreateTablesAsync(drop: false, CancellationToken.None);
        var constraints = await w.QueryAsync(
            "SELECT count(*) FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE')", CancellationToken.None);
        Assert.Equal("0", constraints.Rows.Single()[0]!.ToString());
    }

    [Theory]
    [InlineData("1GB", "1GB")]
    [InlineData(" 512MiB ", "512MiB")]
    [InlineData("1.5 gb", "1.5 gb")]
    public void A_memory_size_is_accepted(string text, string expected) =>
        Assert.Equal(expected, DuckDbWarehouse.MemoryLimitOf(text));

    [Theory]
    [InlineData("lots")]
    [InlineData("1GB'; DROP TABLE songs; --")]
    [InlineData("-1GB")]
    [InlineData("1")]
    public void A_bad_memory_size_is_a_configuration_error(string text)
    {
        var error = Assert.Throws<ConfigurationException>(() => DuckDbWarehouse.MemoryLimitOf(text));
        Assert.Contains("MEMORY_LIMIT", error.Message, StringComparison.Ordinal);
    }
}
