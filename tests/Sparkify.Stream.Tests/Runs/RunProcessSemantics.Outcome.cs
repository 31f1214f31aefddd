using Sparkify.Stream.Cli;
using Sparkify.Stream.Staging;
using Sparkify.Stream.Tests.Semantics;
using static Sparkify.Stream.Tests.Semantics.Scenario;

namespace Sparkify.Stream.Tests.Runs;

/// <summary>Issue 29: a run's outcome is reported truthfully, before and after its commit.</summary>
public abstract partial class RunProcessSemantics
{
    /// <summary>
    /// The report's folder turns into a file while the run waits right after its COMMIT, so writing the report fails:
    /// exit 4, "loaded and committed; the report could not be written …", never "nothing was committed"; the rows are
    /// in, the package is loaded, and the next run loads nothing again.
    /// </summary>
    [Fact]
    public async Task A_report_failing_after_the_commit_is_exit_4_loaded_and_committed_and_the_load_stays()
    {
        using var s = new Scenario();
        s.Song("SO1", "Song", "AR1", "Band", 200.0)
         .Log("2018-11-01", Event("2018-11-01T10:00:00Z", 1, song: "Song", artist: "Band", length: 200.0));
        var target = await NewTargetAsync();
        var reports = Path.Combine(s.Root, "reports");
        var pause = new Dictionary<string, string?>(target.Environment)
        {
            [TestPause.PhaseVariable] = "committed",
            [TestPause.SecondsVariable] = "10",
        };
        using var child = SparkifyProcess.Start(
            ["--batch", "--report", Path.Combine(reports, "r.json"), .. Sources(s), .. target.Arguments], s.Root, pause);
        await child.WaitForStderrAsync("pausing at committed", timeoutSeconds: 120);
        Directory.Delete(reports, recursive: true);
        await File.WriteAllTextAsync(reports, "the report's folder is a file now");

        Assert.True(await child.WaitForExitAsync(120) == 4, child.Describe());
        Assert.Contains("error: loaded and committed; the report could not be written", child.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("nothing was committed", child.Stderr, StringComparison.Ordinal);
        var state = await StateAsync(target);
        Assert.Single(state["songplays"]);
        Assert.Equal(2, state["sparkify_load_ledger"].Count);
        var package = Assert.Single(await new PackageStore(new LocalStagingStore(s.StagingDir)).ListAsync(CancellationToken.None));
        Assert.Equal(PackageState.Loaded, package.Status.State);

        var again = await RunToEndAsync(s, target, "--batch");
        Assert.True(again.ExitCode == 0, again.Describe());
        Assert.Contains("2 skipped (already loaded), 0 loaded", again.Stdout, StringComparison.Ordinal);
        TableAssert.Equal(state, await StateAsync(target), "after the next run");
    }
}
