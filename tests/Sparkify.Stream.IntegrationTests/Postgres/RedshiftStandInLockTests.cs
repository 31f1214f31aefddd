using Npgsql;
using Sparkify.Stream.IntegrationTests.Infrastructure;
using Sparkify.Stream.Jobs;
using Sparkify.Stream.Tests.Semantics;
using Sparkify.Stream.Warehouse;
using static Sparkify.Stream.Tests.Semantics.Scenario;

namespace Sparkify.Stream.IntegrationTests.Postgres;

/// <summary>
/// Issue 28: Redshift's locks, on the Redshift statement sequence run on Postgres (<see cref="RedshiftStandIn"/>), whose
/// load LOCK is ACCESS EXCLUSIVE as on Redshift. The load locks the ledger alone (Sql/redshift/lock.sql): readers of
/// the star schema read on during a held load, readers of the ledger wait for it and then succeed, and a load's reads
/// after its COMMIT never wait for the next load (overlapping loaders: <see cref="PostgresConcurrentRunsTests"/>).
/// </summary>
public sealed class RedshiftStandInLockTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task During_a_held_load_star_readers_read_on_and_ledger_readers_wait_then_read_what_it_committed()
    {
        using var s = new Scenario();
        s.Song("SO1", "Song", "AR1", "Band", 200.0)
         .Log("2018-11-01", Event("2018-11-01T01:00:00Z", 1, song: "Song", artist: "Band", length: 200.0));
        var connection = await PostgresWarehouses.NewSchemaAsync(postgres);
        // The readers' sessions give up on a statement after 1 s, as Npgsql's default 30 s would on a longer load.
        var readers = new NpgsqlConnectionStringBuilder(connection) { CommandTimeout = 1 }.ConnectionString;
        await using var loader = await RedshiftStandIn.OpenAsync(connection);
        await s.RunAsync(loader);
        s.Log("2018-11-02", Event("2018-11-02T01:00:00Z", 2, song: "Song", artist: "Band", length: 200.0));

        var loaderPid = await PidAsync(loader);
        // The readers' sessions are opened up front and closed only after the load ends: closing a session whose
        // statement still waits for the load's lock would wait too, and the load is released only after that.
        await using var star = await RedshiftStandIn.OpenAsync(readers);
        var starPid = await PidAsync(star);
        await using var ledgerReader = await RedshiftStandIn.OpenAsync(readers);
        var ledgerPid = await PidAsync(ledgerReader);
        var hold = new PhaseHold("merge/60_songplays");
        var load = Task.Run(() => s.RunAsync(loader, onPhase: hold.OnPhaseAsync));
        Task<IReadOnlyDictionary<string, string>> ledger;
        try
        {
            await hold.ReachedAsync(load);
            var counts = Task.Run(() => star.CountRowsAsync(CancellationToken.None));
            Assert.False(await WaitedAsync(counts, starPid), "a star-schema reader waited for the load");
            Assert.Equal(1, (await counts)["songplays"]);   // the last committed snapshot
            foreach (var query in NamedQueries.All)
                await star.QueryAsync(query.Sql(star.Scripts, 10), CancellationToken.None);
            // Redshift's lock mode on what the load locks, and on nothing else of the warehouse's own tables.
            Assert.Equal(["sparkify_load_ledger"], await AccessExclusiveAsync(loaderPid));

            ledger = Task.Run(() => ledgerReader.ReadLedgerAsync(CancellationToken.None));
            Assert.True(await WaitedAsync(ledger, ledgerPid), "the ledger read did not wait for the load");
            await Task.Delay(TimeSpan.FromSeconds(2));   // held past the readers' 1 s statement timeout
        }
        finally
        {
            hold.Release();
        }
        Assert.Equal(1, (await load.WaitAsync(Patience)).Files.Loaded);
        Assert.Equal(3, (await ledger.WaitAsync(Patience)).Count);   // what the load committed: the song file and both log files
    }

    [Fact]
    public async Task A_loads_reads_after_its_commit_never_wait_for_the_next_load()
    {
        using var a = new Scenario();
        a.Song("SO1", "Song", "AR1", "Band", 200.0)
         .Log("2018-11-01", Event("2018-11-01T01:00:00Z", 1, song: "Song", artist: "Band", length: 200.0));
        using var b = new Scenario();
        b.Log("2018-11-02", Event("2018-11-02T01:00:00Z", 2, level: "paid"), Event("2018-11-02T02:00:00Z", 3, itemInSession: 1));
        var connection = await PostgresWarehouses.NewSchemaAsync(postgres);
        await using var first = await RedshiftStandIn.OpenAsync(connection);
        await using var second = await RedshiftStandIn.OpenAsync(connection);
        await first.CreateTablesAsync(drop: false, CancellationToken.None);
        var firstPid = await PidAsync(first);

        // Right after the first load's COMMIT, the second takes the load lock and holds it in its merge; then the first
        // reads its row counts.
        var secondHolds = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseSecond = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<RunReport>? secondRun = null;
        var firstRun = Task.Run(() => a.RunAsync(first, onPhase: async phase =>
        {
            if (phase != LoadPhases.Committed) return;
            secondRun = Task.Run(() => b.RunAsync(second, onPhase: async p =>
            {
                if (p != "merge/50_users") return;
                secondHolds.TrySetResult();
                await releaseSecond.Task;
            }));
            await Task.WhenAny(secondHolds.Task, secondRun).WaitAsync(Patience);
        }));
        bool waited;
        try
        {
            waited = await WaitedAsync(firstRun, firstPid);
        }
        finally
        {
            releaseSecond.TrySetResult();
        }
        Assert.False(waited, "the first load's reads after its COMMIT waited for the second load");
        Assert.True(secondHolds.Task.IsCompleted, "the second load never held the lock");
        var report = await firstRun.WaitAsync(Patience);
        Assert.Equal(RunStatus.Succeeded, report.Status);
        Assert.Equal(1, report.Totals["songplays"]);   // its own committed rows, read while the second load ran
        Assert.NotNull(secondRun);
        Assert.Equal(2, (await secondRun.WaitAsync(Patience)).Rows["songplays"].Inserted);
        Assert.Equal(3, (await first.CountRowsAsync(CancellationToken.None))["songplays"]);
    }

    private static TimeSpan Patience => LockWaits.Patience;

    private static Task<int> PidAsync(IWarehouse warehouse) => LockWaits.PidAsync(warehouse);

    /// <summary>Whether the session <paramref name="pid"/> is seen waiting for a lock before <paramref name="work"/> ends.</summary>
    private async Task<bool> WaitedAsync(Task work, int pid) => await LockWaits.WaitingForAsync(postgres, work, pid) is not null;

    /// <summary>The warehouse's own tables (not temporary ones) session <paramref name="pid"/> holds ACCESS EXCLUSIVE.</summary>
    private async Task<List<string>> AccessExclusiveAsync(int pid)
    {
        await using var admin = await postgres.OpenConnectionAsync();
        await using var locks = new NpgsqlCommand(
            "SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace " +
            "WHERE l.pid = @pid AND l.granted AND l.mode = 'AccessExclusiveLock' AND n.nspname NOT LIKE 'pg_temp%' " +
            "AND c.relkind = 'r' ORDER BY 1", admin);
        locks.Parameters.AddWithValue("pid", pid);
        var names = new List<string>();
        await using var reader = await locks.ExecuteReaderAsync();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        return names;
    }
}
