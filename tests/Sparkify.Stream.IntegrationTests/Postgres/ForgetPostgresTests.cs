using Npgsql;
using Sparkify.Stream.Generation;
using Sparkify.Stream.IntegrationTests.Infrastructure;
using Sparkify.Stream.Jobs;
using Sparkify.Stream.Tests.Cli;
using Sparkify.Stream.Tests.Semantics;
using Sparkify.Stream.Warehouse;
using static Sparkify.Stream.Tests.Semantics.Scenario;

namespace Sparkify.Stream.IntegrationTests.Postgres;

/// <summary>
/// `sparkify files` and `sparkify forget` on a real Postgres: through the command line, forget + run reloads exactly the
/// forgotten files and gives the star schema of a clean load; and forget takes the load's lock — with the Postgres
/// scripts and with the Redshift statement sequence (<see cref="RedshiftStandIn"/>: the ledger locked ACCESS EXCLUSIVE,
/// SERIALIZABLE) — so a forget meeting a load in flight waits for it, then forgets what it committed.
/// </summary>
public sealed class ForgetPostgresTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-forget-pg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static TimeSpan Patience => LockWaits.Patience;

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliRun.RunAsync(args);

    private async Task<RunReport> LoadAsync(string data, string connection, string name)
    {
        var report = Path.Combine(_dir, name + ".json");
        var run = await Run("--batch", "--target", "postgres", "--connection", connection, "--songs", Path.Combine(data, "song_data"),
            "--logs", Path.Combine(data, "log_data"), "--staging", Path.Combine(_dir, "staging-" + name), "--report", report, "-q");
        Assert.True(run.Code == 0, run.Err);
        return RunReport.Parse(await File.ReadAllBytesAsync(report));
    }

    /// <summary>The ledger as `sparkify files --format csv` prints it: file → run_id.</summary>
    private static async Task<Dictionary<string, string>> FilesAsync(string connection)
    {
        var files = await Run("files", "--target", "postgres", "--connection", connection, "--format", "csv");
        Assert.True(files.Code == 0, files.Err);
        return files.Out.ReplaceLineEndings("\n").Trim().Split('\n').Skip(1).Select(l => l.Split(','))
            .ToDictionary(f => f[0], f => f[7], StringComparer.Ordinal);
    }

    [Fact]
    public async Task Forget_then_run_reloads_exactly_the_forgotten_files_and_equals_a_clean_load()
    {
        var data = Path.Combine(_dir, "data");
        DataGenerator.Generate(new GeneratorOptions(data) { Songs = 40, Events = 600, Users = 15, Days = 4, Seed = 9 });
        var connection = await PostgresWarehouses.NewSchemaAsync(postgres);
        var first = await LoadAsync(data, connection, "first");
        var before = await FilesAsync(connection);
        Assert.Equal(first.Files.Loaded, before.Count);

        var forget = await Run("forget", "log_data/2018/11/2018-11-0[12]-*", "song_data/A/**", "--yes", "--target", "postgres", "--connection", connection);
        Assert.True(forget.Code == 0, forget.Err);
        var forgotten = before.Keys.Where(k => k.StartsWith("log_data/2018/11/2018-11-01", StringComparison.Ordinal) ||
                                               k.StartsWith("log_data/2018/11/2018-11-02", StringComparison.Ordinal) ||
                                               k.StartsWith("song_data/A/", StringComparison.Ordinal)).ToList();
        Assert.Contains($"forgot {forgotten.Count} files on postgres", forget.Out, StringComparison.Ordinal);
        Assert.Equal(before.Keys.Except(forgotten), (await FilesAsync(connection)).Keys);

        var second = await LoadAsync(data, connection, "second");
        Assert.Equal(forgotten.Count, second.Files.Loaded);
        foreach (var (key, run) in await FilesAsync(connection))
            Assert.Equal(forgotten.Contains(key) ? second.RunId : first.RunId, run);

        var clean = await PostgresWarehouses.NewSchemaAsync(postgres);
        await LoadAsync(data, clean, "clean");
        await using var reloaded = await PostgresWarehouse.OpenAsync(connection, CancellationToken.None);
        await using var fresh = await PostgresWarehouse.OpenAsync(clean, CancellationToken.None);
        TableAssert.Equal(await Tables.DumpAllAsync(fresh), await Tables.DumpAllAsync(reloaded), "forget + run vs a clean load");
    }

    [Fact]
    public async Task Files_and_forget_where_there_is_no_ledger_are_exit_2_and_create_nothing()
    {
        var connection = await PostgresWarehouses.NewSchemaAsync(postgres);
        foreach (var args in new[] { new[] { "files" }, ["forget", "**", "--yes"] })
        {
            var none = await Run([.. args, "--target", "postgres", "--connection", connection]);
            Assert.Equal(2, none.Code);
            Assert.Contains("no load ledger there", none.Err, StringComparison.Ordinal);
        }
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync();
        await using var tables = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()", c);
        Assert.Equal(0L, (long)(await tables.ExecuteScalarAsync())!);
    }

    /// <param name="scripts">"postgres": the Postgres target's own scripts (LOCK … IN EXCLUSIVE MODE); "redshift": the
    /// Redshift statement sequence on Postgres (a bare LOCK, ACCESS EXCLUSIVE; SERIALIZABLE).</param>
    [Theory]
    [InlineData("postgres")]
    [InlineData("redshift")]
    public async Task Forget_waits_for_a_load_in_flight_then_forgets_what_it_committed(string scripts)
    {
        using var s = new Scenario();
        s.OneSongplay();
        async Task<SqlWarehouse> OpenAsync(string connection) => scripts == "redshift"
            ? await RedshiftStandIn.OpenAsync(connection)
            : await PostgresWarehouse.OpenAsync(connection, CancellationToken.None);
        var connection = await PostgresWarehouses.NewSchemaAsync(postgres);
        await using var loader = await OpenAsync(connection);
        await s.RunAsync(loader);
        s.Log("2018-11-02", Event("2018-11-02T10:00:00Z", 2, level: "paid", song: "Song", artist: "Band", length: 200.0));
        string[] keys = ["log_data/2018/11/2018-11-01-events.json", "log_data/2018/11/2018-11-02-events.json"];

        await using var forgetter = await OpenAsync(connection);
        var forgetterPid = await LockWaits.PidAsync(forgetter);
        var hold = new PhaseHold("merge/60_songplays");
        var load = Task.Run(() => s.RunAsync(loader, onPhase: hold.OnPhaseAsync));
        Task<long> forget;
        try
        {
            await hold.ReachedAsync(load);
            // Day 2 is the file the held load is loading: not in the ledger until it commits.
            forget = Task.Run(() => forgetter.ForgetAsync(keys, CancellationToken.None));
            Assert.Equal("sparkify_load_ledger", await LockWaits.WaitingForAsync(postgres, forget, forgetterPid));
        }
        finally
        {
            hold.Release();
        }
        Assert.Equal(1, (await load.WaitAsync(Patience)).Files.Loaded);
        Assert.Equal(2, await forget.WaitAsync(Patience));   // both days: day 2 as the load committed it

        var ledger = await loader.ReadLedgerFilesAsync(LedgerFilter.All, CancellationToken.None);
        Assert.Equal(["song_data/A/B/C/TRSO1.json"], ledger.Select(f => f.Key));
        var again = await s.RunAsync(loader);
        Assert.Equal((3, 1, 2), (again.Files.Listed, again.Files.Skipped, again.Files.Loaded));
        await using var clean = await OpenAsync(await PostgresWarehouses.NewSchemaAsync(postgres));
        await s.RunAsync(clean);
        TableAssert.Equal(await Tables.DumpAllAsync(clean), await Tables.DumpAllAsync(loader), "forget during a load, then run, vs a clean load");
    }
}
