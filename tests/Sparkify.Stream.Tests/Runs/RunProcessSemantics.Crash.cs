using Sparkify.Stream.Cli;
using Sparkify.Stream.Jobs;
using Sparkify.Stream.Staging;
using Sparkify.Stream.Tests.Semantics;
using static Sparkify.Stream.Tests.Semantics.Scenario;

namespace Sparkify.Stream.Tests.Runs;

/// <summary>Crash safety (docs/semantics.md#runs): a run killed with SIGKILL at any point leaves the warehouse exactly as before it.</summary>
public abstract partial class RunProcessSemantics
{
    /// <summary>
    /// Where the kills land: while events are being staged to Parquet, inside the load transaction after the events
    /// are in the staging table, in the middle of the merge, and after the whole merge just before the commit.
    /// The test-only pause hook (<see cref="TestPause"/>) holds the run at each point, so the kill lands there.
    /// </summary>
    private static readonly string[] KillPoints = ["ingest", "load_staging/staging_songs", "merge/60_songplays", "commit"];

    [Fact]
    public async Task Kill_9_at_any_point_of_a_run_leaves_the_warehouse_as_before_and_the_next_run_loads_everything_once()
    {
        using var s = new Scenario();
        BulkLogs.WriteSongs(s);
        s.Log("2018-11-01", Event("2018-11-01T10:00:00Z", 1, song: "Title 3", artist: "Artist 3", length: 183),
            Event("2018-11-01T11:00:00Z", 7, level: "paid", itemInSession: 1));
        var target = await NewTargetAsync();
        var first = await RunToEndAsync(s, target, "--batch");
        Assert.True(first.ExitCode == 0, first.Describe());
        var before = await StateAsync(target);
        var runs = Path.Combine(s.StagingDir, "runs");
        var firstRun = Path.GetFileName(Assert.Single(Directory.GetDirectories(runs)));

        BulkLogs.Write(s, "2018-11-02", events: 30_000, seed: 2);
        BulkLogs.Write(s, "2018-11-03", events: 30_000, seed: 3);
        foreach (var point in KillPoints)
        {
            var pause = new Dictionary<string, string?>(target.Environment)
            {
                [TestPause.PhaseVariable] = point,
                [TestPause.SecondsVariable] = "120",
            };
            using var child = SparkifyProcess.Start(["--batch", "--parallelism", "2", .. Sources(s), .. target.Arguments],
                s.Root, pause);
            await child.WaitForStderrAsync($"pausing at {point}", timeoutSeconds: 120);
            child.Signal(SparkifyProcess.SigKill);
            Assert.Equal(128 + SparkifyProcess.SigKill, await child.WaitForExitAsync());
            TableAssert.Equal(before, await StateAsync(target), $"after kill -9 at {point}");
        }
        Assert.Equal(1 + KillPoints.Length, Directory.GetDirectories(runs).Length);
        // The run killed in its load left its package complete and "loading"; each later run took that package over
        // (its files unchanged, none read again) and was killed in the same load. The run killed while staging left
        // no package.json, so nothing will ever load its partial Parquet.
        var store = new PackageStore(new LocalStagingStore(s.StagingDir));
        var killed = (await store.ListAsync(CancellationToken.None)).Where(p => p.Status.State != PackageState.Loaded).ToList();
        var package = Assert.Single(killed);
        Assert.Equal(PackageState.Loading, package.Status.State);
        Assert.Equal(2, package.Package.Files.Count(f => f.Kind == "event"));
        Assert.NotEqual(package.RunId, package.Status.ByRun);

        var clean = await RunToEndAsync(s, target, "--batch", "--keep-runs", "1", "--report", Path.Combine(s.Root, "report.json"));
        Assert.True(clean.ExitCode == 0, clean.Describe());
        var report = RunReport.Parse(File.ReadAllBytes(Path.Combine(s.Root, "report.json")));
        // The package is loaded as it was staged: no file is read again.
        Assert.Equal((2, 0L, 0L), (report.Files.Loaded, report.Records.Read, report.BytesRead));
        Assert.Equal([package.RunId], report.Packages);
        Assert.Equal(PackageState.Loaded, (await store.ReadAsync(package.RunId, CancellationToken.None))!.Status.State);
        // Retention kept the pending package and the young folders of the killed runs without one (a stager on
        // another machine could be writing such a folder); the first run's folder went. The next run prunes the
        // package, loaded now.
        Assert.Equal(1 + KillPoints.Length, Directory.GetDirectories(runs).Length);
        Assert.False(Directory.Exists(Path.Combine(runs, firstRun)));
        var next = await RunToEndAsync(s, target, "--batch", "--keep-runs", "1");
        Assert.True(next.ExitCode == 0, next.Describe());
        Assert.False(Directory.Exists(Path.Combine(runs, package.RunId)));
        Assert.Equal(1 + KillPoints.Length, Directory.GetDirectories(runs).Length);

        var after = await StateAsync(target);
        await using var fresh = await (await NewTargetAsync()).OpenAsync();
        await s.RunAsync(fresh);
        var oneShot = await TableAssert.DumpStateAsync(fresh);
        foreach (var state in new[] { after, oneShot })
            state["sparkify_load_ledger"] = [.. state["sparkify_load_ledger"].Select(LedgerFileColumns)];
        TableAssert.Equal(oneShot, after, "the run after the crashes vs one run over all files into a fresh warehouse");
    }

    /// <summary>A ledger row without its run id and load time (which differ between two warehouses by nature).</summary>
    private static string LedgerFileColumns(string row) => string.Join("|", row.Split('|')[..8]);
}
