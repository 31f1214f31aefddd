using Microsoft.Extensions.Logging.Abstractions;
using Sparkify.Stream.Cli;
using Sparkify.Stream.Tests.Semantics;
using Sparkify.Stream.Warehouse;
using static Sparkify.Stream.Tests.Semantics.Scenario;

namespace Sparkify.Stream.Tests.Runs;

/// <summary>
/// Watch mode on DuckDB shares the file: a watcher opens it only for a pass's ledger read and load, so `query`,
/// `check` and `packages` work between passes; a command (or a pass) that finds the file held by another process
/// waits for it, saying so once on stderr, up to [WAREHOUSE] LOCK_WAIT_SECONDS. DuckDB's lock is per process: every
/// party here is a process of its own (the CLI as a child, or this test process holding the file).
/// </summary>
public sealed class DuckDbWatchSharingTests : IDisposable
{
    private const string Waiting = "is in use by another process (a pass of a watcher, a run, a query): waiting up to";

    private readonly Scenario _s = new();
    private readonly string _warehouse;

    public DuckDbWatchSharingTests()
    {
        _warehouse = Path.Combine(_s.Root, "w.duckdb");
        _s.OneSongplay();
    }

    private string[] Target => ["--target", "duckdb", "--connection", _warehouse];

    private string[] Sources => ["--songs", _s.SongDir, "--logs", _s.LogDir, "--staging", _s.StagingDir];

    private Task<SparkifyProcess> RunAsync(params string[] arguments) =>
        SparkifyProcess.RunAsync(arguments, _s.Root, timeoutSeconds: 120);

    private static int Count(string text, string part) => text.Split('\n').Count(l => l.Contains(part, StringComparison.Ordinal));

    [Fact]
    public async Task Between_passes_query_check_and_packages_run_while_a_watcher_waits_for_its_next_poll()
    {
        using var watcher = SparkifyProcess.Start(["--interval", "3600", .. Sources, .. Target], _s.Root);
        var runs = Path.Combine(_s.StagingDir, "runs");
        await WaitForAsync(() => Directory.Exists(runs) && Directory.EnumerateFiles(runs, "report.json", SearchOption.AllDirectories).Any(),
            watcher);

        var query = await RunAsync(["query", "plays-by-level", "--format", "csv", .. Target]);
        Assert.True(query.ExitCode == 0, query.Describe());
        Assert.Contains("free,1,1", query.Stdout, StringComparison.Ordinal);
        var check = await RunAsync(["check", .. Target]);
        Assert.True(check.ExitCode == 0, check.Describe());
        Assert.DoesNotContain("FAIL", check.Stdout, StringComparison.Ordinal);
        var packages = await RunAsync("packages", "--staging", _s.StagingDir, "--format", "csv");
        Assert.True(packages.ExitCode == 0, packages.Describe());
        Assert.Contains(",loaded,", packages.Stdout, StringComparison.Ordinal);
        foreach (var command in new[] { query, check, packages })
            Assert.DoesNotContain("in use by another process", command.Stderr, StringComparison.Ordinal);

        watcher.Signal(SparkifyProcess.SigInt);
        Assert.Equal(0, await watcher.WaitForExitAsync());
    }

    [Fact]
    public async Task A_reader_and_a_writer_that_meet_a_pass_in_progress_wait_for_it_and_say_so_once()
    {
        var pause = new Dictionary<string, string?>
        {
            [TestPause.PhaseVariable] = "merge/60_songplays",
            [TestPause.SecondsVariable] = "15",
        };
        using var watcher = SparkifyProcess.Start(["--interval", "3600", .. Sources, .. Target], _s.Root, pause);
        await watcher.WaitForStderrAsync("pausing at merge/60_songplays", timeoutSeconds: 120);

        // Both start while the pass holds the file in its load transaction.
        var checking = RunAsync(["check", .. Target]);
        var running = RunAsync(["--batch", .. Sources, .. Target]);
        var (check, run) = (await checking, await running);

        Assert.True(check.ExitCode == 0, check.Describe());
        Assert.Equal(1, Count(check.Stderr, Waiting));
        // The check ran after the pass committed: it sees the pass's rows.
        Assert.DoesNotContain("FAIL", check.Stdout, StringComparison.Ordinal);
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Equal(1, Count(run.Stderr, Waiting));
        // The run read the ledger after the pass's commit: both files were skipped as loaded.
        Assert.Contains("files: 2 listed, 2 skipped (already loaded), 0 loaded", run.Stdout, StringComparison.Ordinal);

        watcher.Signal(SparkifyProcess.SigInt);
        Assert.Equal(0, await watcher.WaitForExitAsync());
        Assert.DoesNotContain("the pass failed", watcher.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pass_waits_for_another_process_holding_the_file_and_a_command_gives_up_after_the_wait_bound()
    {
        var first = await RunAsync(["--batch", .. Sources, .. Target]);
        Assert.True(first.ExitCode == 0, first.Describe());
        _s.Log("2018-11-02", Event("2018-11-02T10:00:00Z", 2, itemInSession: 1));

        using var watcher = SparkifyProcess.Start(["--interval", "1", "--verbose", .. Sources, .. Target], _s.Root);
        await watcher.WaitForStderrAsync("none new or changed", timeoutSeconds: 120);
        await using (var held = await DuckDbWarehouse.OpenAsync(_warehouse, NullLogger.Instance, memoryLimit: null,
                         lockWait: TimeSpan.FromSeconds(60), CancellationToken.None))
        {
            // A command with a short bound gives up, naming the setting.
            var bounded = await SparkifyProcess.RunAsync(["check", .. Target], _s.Root,
                new Dictionary<string, string?> { ["SPARKIFY_WAREHOUSE__LOCK_WAIT_SECONDS"] = "1" });
            Assert.Equal(1, bounded.ExitCode);
            Assert.Equal(1, Count(bounded.Stderr, Waiting));
            Assert.Contains("is in use by another process (one writer at a time; waited 1s, [WAREHOUSE] LOCK_WAIT_SECONDS)",
                bounded.Stderr, StringComparison.Ordinal);

            // The watcher's next pass meets the held file: it waits for it (said once) instead of failing.
            _s.Log("2018-11-02", Event("2018-11-02T10:00:00Z", 2, itemInSession: 1));
            await watcher.WaitForStderrAsync(Waiting, timeoutSeconds: 120);
            await Task.Delay(1500);
            Assert.Equal(1, Count(watcher.Stderr, Waiting));
            Assert.DoesNotContain("the pass failed", watcher.Stderr, StringComparison.Ordinal);
        }
        // Released: the waiting pass loads the new file.
        var runs = Path.Combine(_s.StagingDir, "runs");
        await WaitForAsync(() => Directory.EnumerateFiles(runs, "report.json", SearchOption.AllDirectories).Count() == 2, watcher);
        watcher.Signal(SparkifyProcess.SigInt);
        Assert.Equal(0, await watcher.WaitForExitAsync());
        Assert.DoesNotContain("the pass failed", watcher.Stderr, StringComparison.Ordinal);
        await using var warehouse = await DuckDbWarehouse.OpenAsync(_warehouse, CancellationToken.None);
        Assert.Equal(2L, (await warehouse.CountRowsAsync(CancellationToken.None))["songplays"]);
    }

    private static async Task WaitForAsync(Func<bool> condition, SparkifyProcess child, int timeoutSeconds = 120)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(timeoutSeconds)) Assert.Fail($"timed out\n{child.Describe()}");
            await Task.Delay(50);
        }
    }

    public void Dispose() => _s.Dispose();
}
