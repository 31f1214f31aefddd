using Sparkify.Stream.Cli;
using Sparkify.Stream.Jobs;
using Sparkify.Stream.Tests.Semantics;
using Sparkify.Stream.Warehouse;
using static Sparkify.Stream.Tests.Semantics.Scenario;

namespace Sparkify.Stream.Tests.Runs;

/// <summary>A fresh, empty warehouse for a child process: how the CLI reaches it, and how the test opens it.</summary>
/// <param name="Arguments">Target options for the command line (e.g. --target duckdb --connection FILE).</param>
/// <param name="Environment">Extra environment for the child (e.g. a connection string kept off the command line).</param>
/// <param name="OpenAsync">Opens it in the test process. DuckDB lets one process hold the file: dispose before the
/// next child starts.</param>
internal sealed record TargetUnderTest(
    IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string?> Environment, Func<Task<IWarehouse>> OpenAsync);

/// <summary>
/// docs/semantics.md#runs at the process level, on every target: the real CLI as a child process, signalled and killed.
/// Each target subclasses it and says how to make a fresh warehouse.
/// </summary>
public abstract partial class RunProcessSemantics
{
    internal abstract Task<TargetUnderTest> NewTargetAsync();

    private static IEnumerable<string> Sources(Scenario s) =>
        ["--songs", s.SongDir, "--logs", s.LogDir, "--staging", s.StagingDir];

    private static async Task<Dictionary<string, List<string>>> StateAsync(TargetUnderTest target)
    {
        await using var warehouse = await target.OpenAsync();
        return await TableAssert.DumpStateAsync(warehouse);
    }

    /// <summary>The target's environment plus the test-only pause at <paramref name="phase"/> (<see cref="TestPause"/>;
    /// 30 s unless said).</summary>
    private static Dictionary<string, string?> PausedAt(TargetUnderTest target, string phase, int seconds = 30) =>
        new(target.Environment)
        {
            [TestPause.PhaseVariable] = phase,
            [TestPause.SecondsVariable] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

    private static async Task<SparkifyProcess> RunToEndAsync(Scenario s, TargetUnderTest target, params string[] arguments)
    {
        var child = await SparkifyProcess.RunAsync([.. arguments, .. Sources(s), .. target.Arguments], s.Root, target.Environment);
        return child;
    }

    private static void WriteAtomically(string path, params string[] lines)
    {
        // Written beside the target under a name the source does not list, then renamed over it: a poll never sees
        // half a file.
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path + ".tmp", string.Join("\n", lines));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>The run reports in the staging area (each written atomically at the end of its run), oldest first.</summary>
    private static List<RunReport> Reports(Scenario s)
    {
        var runs = Path.Combine(s.StagingDir, "runs");
        if (!Directory.Exists(runs)) return [];
        return [.. Directory.EnumerateDirectories(runs)
            .Select(d => Path.Combine(d, "report.json")).Where(File.Exists)
            .Select(f => RunReport.Parse(File.ReadAllBytes(f)))
            .OrderBy(r => r.StartedAt)];
    }

    private static async Task<RunReport> WaitForReportAsync(Scenario s, SparkifyProcess child, Func<RunReport, bool> match,
        int timeoutSeconds = 60)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(timeoutSeconds))
        {
            if (Reports(s).FirstOrDefault(match) is { } report) return report;
            await Task.Delay(50);
        }
        Assert.Fail($"no matching report.json within {timeoutSeconds}s\n{child.Describe()}");
        return null!;
    }

    [Fact]
    public async Task Watch_mode_loads_files_added_later_on_the_next_poll_and_exits_0_on_sigint()
    {
        using var s = new Scenario();
        s.OneSongplay();
        var target = await NewTargetAsync();
        using var child = SparkifyProcess.Start(["run", "--interval", "1", .. Sources(s), .. target.Arguments], s.Root, target.Environment);

        var first = await WaitForReportAsync(s, child, r => r.Files.Loaded > 0);
        Assert.Equal((2, 0, 2), (first.Files.Listed, first.Files.Skipped, first.Files.Loaded));

        var added = DateTimeOffset.UtcNow;
        WriteAtomically(s.LogPath("2018-11-02"), Event("2018-11-02T10:00:00Z", 2, itemInSession: 1));
        WriteAtomically(s.LogPath("2018-11-03"), Event("2018-11-03T10:00:00Z", 3, itemInSession: 2));
        var second = await WaitForReportAsync(s, child, r => r.StartedAt > first.StartedAt);
        Assert.Equal((4, 2, 2), (second.Files.Listed, second.Files.Skipped, second.Files.Loaded));
        // Polls start one interval after the previous one ends, so the files are picked up within two intervals;
        // the extra second is for an idle poll's own duration on a busy machine.
        Assert.True(second.StartedAt - added < TimeSpan.FromSeconds(2 + 1),
            $"added at {added:O}, loaded by the run started at {second.StartedAt:O}");

        child.Signal(SparkifyProcess.SigInt);
        Assert.Equal(0, await child.WaitForExitAsync());
        Assert.Contains("finishing the current pass, then stopping", child.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, Reports(s).Count);   // idle polls write no report
        var state = await StateAsync(target);
        Assert.Equal(3, state["songplays"].Count);
        Assert.Equal(4, state["sparkify_load_ledger"].Count);
    }

    [Fact]
    public async Task In_watch_mode_a_failed_pass_is_logged_and_the_next_poll_tries_again()
    {
        using var s = new Scenario();
        s.Log("2018-11-01", "{not json", "{not json either");
        var target = await NewTargetAsync();
        using var child = SparkifyProcess.Start(["--interval", "1", .. Sources(s), .. target.Arguments], s.Root, target.Environment);

        var failed = await WaitForReportAsync(s, child, r => r.Status == RunStatus.RejectLimit);
        await child.WaitForStderrAsync("the pass failed; trying again");
        WriteAtomically(s.LogPath("2018-11-01"), Event("2018-11-01T10:00:00Z", 1));   // corrected upstream
        var fixedRun = await WaitForReportAsync(s, child, r => r.StartedAt > failed.StartedAt && r.Status == RunStatus.Succeeded);
        Assert.Equal(1, fixedRun.Files.Loaded);

        child.Signal(SparkifyProcess.SigTerm);
        Assert.Equal(0, await child.WaitForExitAsync());
        Assert.Single((await StateAsync(target))["songplays"]);
    }

    [Fact]
    public async Task Sigterm_during_a_pass_lets_it_finish_and_commit_then_exits_0()
    {
        using var s = new Scenario();
        s.OneSongplay();
        var target = await NewTargetAsync();
        var pause = PausedAt(target, "merge/60_songplays", seconds: 3);
        using var child = SparkifyProcess.Start(["run", "--interval", "60", "--verbose", .. Sources(s), .. target.Arguments], s.Root, pause);

        await child.WaitForStderrAsync("pausing at merge/60_songplays");
        child.Signal(SparkifyProcess.SigTerm);
        Assert.Equal(0, await child.WaitForExitAsync());

        var log = child.Stderr;
        var signalled = log.IndexOf("finishing the current pass", StringComparison.Ordinal);
        Assert.True(signalled > 0 && signalled < log.IndexOf("phase commit", StringComparison.Ordinal),
            $"the signal arrived during the pass, before its commit\n{child.Describe()}");
        var report = Assert.Single(Reports(s));
        Assert.Equal((RunStatus.Succeeded, 2), (report.Status, report.Files.Loaded));
        var state = await StateAsync(target);
        Assert.Single(state["songplays"]);
        Assert.Equal(2, state["sparkify_load_ledger"].Count);
    }

    [Fact]
    public async Task A_second_signal_aborts_the_pass_in_flight_and_commits_nothing()
    {
        using var s = new Scenario();
        s.OneSongplay();
        var target = await NewTargetAsync();
        var batch = await RunToEndAsync(s, target, "--batch");
        Assert.True(batch.ExitCode == 0, batch.Describe());
        var before = await StateAsync(target);

        s.Log("2018-11-02", Event("2018-11-02T10:00:00Z", 2, itemInSession: 1));
        var pause = PausedAt(target, "merge/60_songplays");
        using var child = SparkifyProcess.Start(["run", "--interval", "60", .. Sources(s), .. target.Arguments], s.Root, pause);
        await child.WaitForStderrAsync("pausing at merge/60_songplays");
        child.Signal(SparkifyProcess.SigInt);
        await child.WaitForStderrAsync("finishing the current pass");
        child.Signal(SparkifyProcess.SigInt);

        Assert.Equal(1, await child.WaitForExitAsync());
        Assert.Contains("nothing from the unfinished pass was committed", child.Stderr, StringComparison.Ordinal);
        TableAssert.Equal(before, await StateAsync(target), "after an aborted pass");
    }
}
