using Sparkify.Stream.Cli;
using Sparkify.Stream.Jobs;
using Sparkify.Stream.Staging;
using Sparkify.Stream.Tests.Semantics;
using static Sparkify.Stream.Tests.Semantics.Scenario;

namespace Sparkify.Stream.Tests.Runs;

/// <summary>Ctrl+C (SIGINT) during a one-pass run: it says where it left things and exits 130.</summary>
public abstract partial class RunProcessSemantics
{
    [Fact]
    public async Task Ctrl_C_before_the_commit_rolls_back_says_nothing_committed_and_exits_130()
    {
        using var s = new Scenario();
        s.OneSongplay();
        var target = await NewTargetAsync();
        var first = await RunToEndAsync(s, target, "--batch");
        Assert.True(first.ExitCode == 0, first.Describe());
        var before = await StateAsync(target);

        s.Log("2018-11-02", Event("2018-11-02T10:00:00Z", 2, itemInSession: 1));
        // Staging, in the middle of the merge, and with every step done just before the COMMIT is sent.
        foreach (var point in new[] { "ingest", "merge/60_songplays", "commit" })
        {
            var pause = PausedAt(target, point, seconds: 120);
            using var child = SparkifyProcess.Start(["--batch", .. Sources(s), .. target.Arguments], s.Root, pause);
            await child.WaitForStderrAsync($"pausing at {point}", timeoutSeconds: 120);
            child.Signal(SparkifyProcess.SigInt);

            Assert.Equal(ExitCodes.Interrupted, await child.WaitForExitAsync());
            Assert.Contains(RunInterruption.NothingCommitted, child.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("error:", child.Stderr, StringComparison.Ordinal);
            TableAssert.Equal(before, await StateAsync(target), $"after Ctrl+C at {point}");
        }
        var after = await RunToEndAsync(s, target, "--batch");
        Assert.True(after.ExitCode == 0, after.Describe());
        Assert.Equal(2, (await StateAsync(target))["songplays"].Count);
    }

    [Fact]
    public async Task Ctrl_C_once_the_commit_is_done_lets_the_run_finish_says_committed_and_exits_130()
    {
        using var s = new Scenario();
        s.OneSongplay();
        var target = await NewTargetAsync();
        var pause = PausedAt(target, "committed", seconds: 3);
        var reportPath = Path.Combine(s.Root, "report.json");
        using var child = SparkifyProcess.Start(["--batch", "--report", reportPath, .. Sources(s), .. target.Arguments], s.Root, pause);
        await child.WaitForStderrAsync("pausing at committed", timeoutSeconds: 120);
        child.Signal(SparkifyProcess.SigInt);

        Assert.Equal(ExitCodes.Interrupted, await child.WaitForExitAsync());
        Assert.Contains("interrupted after the commit was sent: finishing the run", child.Stderr, StringComparison.Ordinal);
        Assert.Contains(RunInterruption.Committed, child.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("nothing committed", child.Stderr, StringComparison.Ordinal);
        // The run finished what follows the commit: its report, its package marked loaded.
        var report = RunReport.Parse(File.ReadAllBytes(reportPath));
        Assert.Equal((RunStatus.Succeeded, 2), (report.Status, report.Files.Loaded));
        var store = new PackageStore(new LocalStagingStore(s.StagingDir));
        Assert.Equal(PackageState.Loaded, (await store.ReadAsync(report.RunId, CancellationToken.None))!.Status.State);
        var state = await StateAsync(target);
        Assert.Single(state["songplays"]);
        Assert.Equal(2, state["sparkify_load_ledger"].Count);
    }
}
