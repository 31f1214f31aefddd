using Npgsql;
using Sparkify.Stream.IntegrationTests.Infrastructure;
using Sparkify.Stream.Tests.Semantics;
using Sparkify.Stream.Warehouse;
using static Sparkify.Stream.Tests.Semantics.Scenario;

namespace Sparkify.Stream.IntegrationTests.Postgres;

/// <summary>
/// Two processes loading one Postgres warehouse at once: the second waits for the first (the load's LOCK TABLE), both
/// succeed, also when the server runs every transaction at REPEATABLE READ or SERIALIZABLE (Redshift's isolation).
/// </summary>
public sealed class PostgresConcurrentRunsTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    /// <param name="isolation">Both loads' isolation level: "serializable" stands in for Redshift, where every
    /// transaction is serializable (or snapshot) isolation; "redshift" runs both loads as the Redshift statement
    /// sequence (<see cref="RedshiftStandIn"/>: SERIALIZABLE, the ledger locked ACCESS EXCLUSIVE).</param>
    [Theory]
    [InlineData(null)]
    [InlineData("repeatable read")]
    [InlineData("serializable")]
    [InlineData("redshift")]
    public async Task A_second_load_waits_for_the_first_and_both_commit(string? isolation)
    {
        // Two sources with different files but the same users, songs matched across them.
        using var a = new Scenario();
        a.Song("SO1", "One", "AR1", "Band", 100.0)
         .Log("2018-11-01", Event("2018-11-01T01:00:00Z", 1, level: "free", song: "Two", artist: "Band", length: 200.0),
             Event("2018-11-01T02:00:00Z", 2, level: "free", itemInSession: 1));
        using var b = new Scenario();
        b.Song("SO2", "Two", "AR1", "Band", 200.0, file: "B/B/B/TRSO2.json")
         .Log("2018-11-02", Event("2018-11-02T01:00:00Z", 1, level: "paid", song: "One", artist: "Band", length: 100.0),
             Event("2018-11-02T02:00:00Z", 2, level: "paid", itemInSession: 1));

        // Mid-merge, the other process starts its load; it must block on the load's locks, not race us.
        await using var first = await RunOverlappingAsync(isolation, "merge/50_users", (w, hook) => a.RunAsync(w, onPhase: hook), w => b.RunAsync(w));

        await using var sequential = await PostgresWarehouses.OpenEmptyAsync(postgres);
        await a.RunAsync(sequential);
        await b.RunAsync(sequential);
        Assert.Equal(await Tables.DumpAllAsync(sequential), await Tables.DumpAllAsync(first));
        Assert.Equal(4, (await PostgresWarehouses.DumpAsync(first, "sparkify_load_ledger")).Count);
        Assert.Equal(["1|Ann|Lee|F|paid|2018-11-02 01:00:00.000", "2|Ann|Lee|F|paid|2018-11-02 02:00:00.000"],
            await Tables.DumpAsync(first, "users"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("serializable")]
    [InlineData("redshift")]
    public async Task Two_runs_of_the_same_files_at_once_give_the_single_run_result(string? isolation)
    {
        using var a = new Scenario();
        a.Song("SO1", "One", "AR1", "Band", 100.0)
         .Log("2018-11-01", Event("2018-11-01T01:00:00Z", 1, level: "free", song: "One", artist: "Band", length: 100.0),
             Event("2018-11-01T02:00:00Z", 2, level: "paid", itemInSession: 1));
        // Both plan the same files (neither sees the other's ledger rows yet); the second loads after the first.
        await using var first = await RunOverlappingAsync(isolation, "merge/60_songplays", (w, hook) => a.RunAsync(w, onPhase: hook), w => a.RunAsync(w));

        await using var single = await PostgresWarehouses.OpenEmptyAsync(postgres);
        await a.RunAsync(single);
        Assert.Equal(await Tables.DumpAllAsync(single), await Tables.DumpAllAsync(first));
        Assert.Equal(2, (await PostgresWarehouses.DumpAsync(first, "sparkify_load_ledger")).Count);
    }

    /// <summary>
    /// Runs <paramref name="runFirst"/> on one session of a new warehouse and, when it reaches <paramref name="step"/>,
    /// <paramref name="runSecond"/> on another, waits until that one waits for the load's locks, lets the first finish
    /// and then the second. Returns the first session (for the caller's checks; it disposes it).
    /// </summary>
    private async Task<SqlWarehouse> RunOverlappingAsync(string? isolation, string step,
        Func<IWarehouse, Func<string, Task>, Task<Jobs.RunReport>> runFirst, Func<IWarehouse, Task<Jobs.RunReport>> runSecond)
    {
        var connection = await PostgresWarehouses.NewSchemaAsync(postgres);
        async Task<SqlWarehouse> OpenAsync() => isolation == "redshift"
            ? await RedshiftStandIn.OpenAsync(connection)
            : await PostgresWarehouse.OpenAsync(connection, CancellationToken.None);
        var first = await OpenAsync();
        await using var second = await OpenAsync();
        await first.CreateTablesAsync(drop: false, CancellationToken.None);
        if (isolation != "redshift") SetIsolation(isolation, first, second);
        Task? secondRun = null;
        await runFirst(first, async at =>
        {
            if (at != step || secondRun is not null) return;
            secondRun = runSecond(second);
            await WaitForWaitingLoadAsync(connection);
        });
        Assert.NotNull(secondRun);
        await secondRun;
        return first;
    }

    /// <summary>
    /// The load transactions at this isolation level (Npgsql's BEGIN names READ COMMITTED unless told otherwise, so
    /// the server's default_transaction_isolation alone would not reach them).
    /// </summary>
    private static void SetIsolation(string? isolation, params SqlWarehouse[] warehouses)
    {
        foreach (var w in warehouses)
            w.Isolation = isolation switch
            {
                null => System.Data.IsolationLevel.Unspecified,
                "repeatable read" => System.Data.IsolationLevel.RepeatableRead,
                _ => System.Data.IsolationLevel.Serializable,
            };
    }

    /// <summary>Until another session of this database waits for a table lock (at most 30 s).</summary>
    private static async Task WaitForWaitingLoadAsync(string connectionString)
    {
        await using var watcher = new NpgsqlConnection(connectionString);
        await watcher.OpenAsync();
        await using var waiting = new NpgsqlCommand(
            "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database " +
            "WHERE l.locktype = 'relation' AND NOT l.granted AND d.datname = current_database()", watcher);
        for (var i = 0; i < 300; i++)
        {
            if ((long)(await waiting.ExecuteScalarAsync())! > 0) return;
            await Task.Delay(100);
        }
        throw new TimeoutException("the second load never waited for the load lock");
    }
}
