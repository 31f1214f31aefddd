using Sparkify.Stream.IntegrationTests.Infrastructure;
using Sparkify.Stream.Staging;
using Sparkify.Stream.Tests.Semantics;
using Sparkify.Stream.Warehouse;
using static Sparkify.Stream.Tests.Semantics.Scenario;

namespace Sparkify.Stream.IntegrationTests.Postgres;

/// <summary>docs/semantics.md#runs: a run that fails leaves the Postgres warehouse exactly as it was; the next run loads normally.</summary>
public sealed class PostgresRunFailureTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    /// <summary>The star schema, the ledger, the merge's bookkeeping and staging: everything a run may write.</summary>
    private static readonly string[] AllTables =
    [
        .. StarTables.All, "sparkify_load_ledger", "sparkify_song_catalog", "sparkify_play_keys",
        "sparkify_user_events", "staging_events", "staging_songs", "staging_files",
    ];

    private static async Task<Dictionary<string, List<string>>> DumpEverythingAsync(IWarehouse w)
    {
        var dump = new Dictionary<string, List<string>>();
        foreach (var table in AllTables) dump[table] = await PostgresWarehouses.DumpAsync(w, table);
        return dump;
    }

    private static Scenario FirstDay() => new Scenario()
        .Song("SO1", "Song", "AR1", "Band", 200.0)
        .Log("2018-11-01",
            Event("2018-11-01T01:00:00Z", 1, level: "free", song: "Song", artist: "Band", length: 200.0),
            Event("2018-11-01T02:00:00Z", 1, level: "free", song: "Late", artist: "Band", length: 100.0, itemInSession: 1),
            Event("2018-11-01T03:00:00Z", 2, level: "paid", page: "Home", itemInSession: 2));

    /// <summary>Changes every kind of row: a song that re-matches an earlier play, an artist's smaller song, level changes, a new user.</summary>
    private static void SecondDay(Scenario s) => s
        .Song("SO0", "Late", "AR1", "Renamed Band", 100.0, location: "New Town")
        .Log("2018-11-02",
            Event("2018-11-02T01:00:00Z", 1, level: "paid", firstName: "Changed", song: "Song", artist: "Band", length: 200.0),
            Event("2018-11-02T02:00:00Z", 3, level: "free", itemInSession: 1, song: "X", artist: "Y", length: 1));

    [Theory]
    [InlineData("merge/20_song_catalog")]
    [InlineData("merge/50_users")]
    [InlineData("merge/80_ledger")]
    [InlineData("merge/90_cleanup")]
    public async Task A_run_failing_in_the_merge_leaves_all_tables_and_the_ledger_exactly_as_before(string failingStep)
    {
        using var s = FirstDay();
        await using var w = await PostgresWarehouses.OpenEmptyAsync(postgres);
        await s.RunAsync(w);
        var before = await DumpEverythingAsync(w);
        Assert.Equal(2, before["sparkify_load_ledger"].Count);
        Assert.Equal(2, before["songplays"].Count);

        SecondDay(s);
        var reached = new List<string>();
        Task Inject(string step)
        {
            if (!step.StartsWith("merge/", StringComparison.Ordinal)) return Task.CompletedTask;
            reached.Add(step);
            return step == failingStep ? throw new InvalidOperationException($"injected failure before {step}") : Task.CompletedTask;
        }
        var failure = await Assert.ThrowsAsync<LoadStepException>(() => s.RunAsync(w, onPhase: Inject));
        Assert.Equal(failingStep, failure.Step);
        Assert.IsType<InvalidOperationException>(failure.InnerException);
        Assert.Equal($"the postgres load failed at merge step {failingStep}: InvalidOperationException: injected failure " +
                     $"before {failingStep} (nothing was committed)", failure.Message);
        Assert.Equal(failingStep, reached[^1]);

        Assert.Equal(before, await DumpEverythingAsync(w));

        // The same session goes on: the next run loads the two files the failed run did not record.
        var report = await s.RunAsync(w);
        Assert.Equal(2, report.Files.Loaded);
        Assert.Equal(4, (await PostgresWarehouses.DumpAsync(w, "sparkify_load_ledger")).Count);
        var after = await Tables.DumpAllAsync(w);
        Assert.NotEqual(before["users"], after["users"]);
        Assert.NotEqual(before["artists"], after["artists"]);

        // ... and ends exactly where one run over everything ends.
        await using var fresh = await PostgresWarehouses.OpenEmptyAsync(postgres);
        await s.RunAsync(fresh);
        Assert.Equal(await Tables.DumpAllAsync(fresh), after);
    }

    [Fact]
    public async Task A_server_error_during_the_merge_rolls_back_and_the_session_stays_usable()
    {
        using var s = FirstDay();
        await using var w = await PostgresWarehouses.OpenEmptyAsync(postgres);
        await s.RunAsync(w);
        var before = await DumpEverythingAsync(w);

        SecondDay(s);
        // A statement the server rejects, inside the run's transaction, after staging and part of the merge.
        var failure = await Assert.ThrowsAsync<LoadStepException>(() => s.RunAsync(w, onPhase: async step =>
        {
            if (step == "merge/60_songplays") await w.QueryAsync("SELECT 1 / 0", CancellationToken.None);
        }));
        Assert.Equal("merge/60_songplays", failure.Step);
        Assert.Equal("22012", Assert.IsType<Npgsql.PostgresException>(failure.InnerException).SqlState);   // division_by_zero
        Assert.Equal(before, await DumpEverythingAsync(w));

        Assert.Equal(2, (await s.RunAsync(w)).Files.Loaded);
    }

    /// <summary>
    /// Issue 29: the connection breaks right after the COMMIT, so the row counts read after it fail. The load is in:
    /// exit 4, "loaded and committed; …", never "nothing was committed" — and the rows are there.
    /// </summary>
    [Fact]
    public async Task A_read_failing_after_the_commit_is_exit_4_loaded_and_committed_and_the_rows_stay()
    {
        using var s = FirstDay();
        var connection = await PostgresWarehouses.NewSchemaAsync(postgres);
        var failure = await Assert.ThrowsAsync<CommittedException>(async () =>
        {
            await using var w = await PostgresWarehouse.OpenAsync(connection, CancellationToken.None);
            var pid = (await w.QueryAsync("SELECT pg_backend_pid()", CancellationToken.None)).Rows[0][0];
            await s.RunAsync(w, onPhase: async phase =>
            {
                if (phase != LoadPhases.Committed) return;
                await using var admin = await postgres.OpenConnectionAsync();
                await using var kill = new Npgsql.NpgsqlCommand($"SELECT pg_terminate_backend({pid})", admin);
                await kill.ExecuteNonQueryAsync();
            });
        });
        Assert.Equal(ExitCodes.Committed, failure.ExitCode);
        Assert.StartsWith("loaded and committed; the row counts after the commit could not be read", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("nothing was committed", failure.Message, StringComparison.Ordinal);

        await using var after = await PostgresWarehouse.OpenAsync(connection, CancellationToken.None);
        var dump = await DumpEverythingAsync(after);
        Assert.Equal(2, dump["songplays"].Count);
        Assert.Equal(2, dump["sparkify_load_ledger"].Count);
        var packages = await new PackageStore(new LocalStagingStore(s.StagingDir)).ListAsync(CancellationToken.None);
        Assert.Equal(PackageState.Loaded, Assert.Single(packages).Status.State);
    }
}
