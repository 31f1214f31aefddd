using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Tests.Warehouse;

/// <summary>`sparkify check` finds each kind of violation it names (on the embedded DuckDB warehouse).</summary>
public sealed class WarehouseChecksTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sparkify-checks-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Every_check_passes_on_consistent_rows_and_fails_on_its_own_violation()
    {
        await using var w = await DuckDbWarehouse.OpenAsync(Path.Combine(_folder, "w.duckdb"), CancellationToken.None);
        // Without the key constraints, as Redshift has them (informational only): the checks are what finds a breach.
        foreach (var statement in SqlScripts.Split(w.Scripts.Get("create_tables").Replace(" PRIMARY KEY", "", StringComparison.Ordinal)))
            await w.QueryAsync(statement.Text, CancellationToken.None);
        await ExecAsync(w,
            "INSERT INTO users VALUES (1, 'Ann', 'Lee', 'F', 'free', TIMESTAMP '2018-11-01 00:00:00')",
            "INSERT INTO songs VALUES ('SO1', 'One', 'AR1', 2000, 100.0)",
            "INSERT INTO artists VALUES ('AR1', 'Band', NULL, NULL, NULL)",
            "INSERT INTO songplays VALUES (10, TIMESTAMP '2018-11-01 00:00:00', 1, 'free', 'SO1', 'AR1', 5, 'L', 'UA')",
            "INSERT INTO \"time\" VALUES (TIMESTAMP '2018-11-01 00:00:00', 0, 1, 44, 11, 2018, 4)");
        Assert.All(await WarehouseChecks.RunAsync(w, CancellationToken.None), o => Assert.True(o.Passed, o.Description));

        await ExecAsync(w,
            // a play whose song, artist, user and time row are all missing, at a bad level
            "INSERT INTO songplays VALUES (11, TIMESTAMP '2018-11-02 00:00:00', 2, 'gold', 'SO9', 'AR9', 5, 'L', 'UA')",
            // a duplicate user key
            "INSERT INTO users VALUES (1, 'Ann', 'Lee', 'F', 'paid', TIMESTAMP '2018-11-02 00:00:00')",
            // a time row without a play, and a song with a NULL key
            "INSERT INTO \"time\" VALUES (TIMESTAMP '2018-11-03 00:00:00', 0, 3, 44, 11, 2018, 6)",
            "INSERT INTO songs VALUES (NULL, 'Nameless', 'AR1', NULL, 1.0)");
        var outcomes = (await WarehouseChecks.RunAsync(w, CancellationToken.None)).ToDictionary(o => o.Description);

        Assert.Equal("1 violations", outcomes["No NULL keys in the star schema"].Detail);
        Assert.Equal("3 violations", outcomes["Matched songplays point at existing songs, artists and users"].Detail);
        Assert.Equal("2 violations", outcomes["Every songplay has its time row, and every time row a songplay"].Detail);
        // the user key twice, and the NULL song key (COUNT(DISTINCT) leaves NULLs out)
        Assert.Equal("2 violations", outcomes["Primary keys are unique"].Detail);
        Assert.Equal("1 violations", outcomes["User and songplay levels are 'free' or 'paid'"].Detail);
        Assert.All(outcomes.Values.Where(o => o.Detail.EndsWith("violations", StringComparison.Ordinal)),
            o => Assert.False(o.Passed, o.Description));
    }

    private static async Task ExecAsync(IWarehouse w, params string[] statements)
    {
        foreach (var sql in statements) await w.QueryAsync(sql, CancellationToken.None);
    }
}
