using Sparkify.Stream.Configuration;
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
    public async Task The_default_limit_is_one_gigabyte_and_spills_beside_the_warehouse()
    {
        var path = Path.Combine(_dir, "w.duckdb");
        await using var w = await DuckDbWarehouse.OpenAsync(path, CancellationToken.None);
        var limit = await SettingAsync(w, "memory_limit");
        Assert.True(limit is "953.6 MiB" or "1.0 GiB" or "1000.0 MiB", limit);   // 1GB = 10^9 bytes, as DuckDB prints it
        Assert.Equal(path + ".tmp", await SettingAsync(w, "temp_directory"));
    }

    [Fact]
    public async Task A_configured_limit_is_applied()
    {
        await using var w = await DuckDbWarehouse.OpenAsync(Path.Combine(_dir, "w.duckdb"), CancellationToken.None, "512MiB");
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
