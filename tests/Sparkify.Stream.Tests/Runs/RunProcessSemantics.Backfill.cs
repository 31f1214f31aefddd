using Sparkify.Stream.Jobs;
using Sparkify.Stream.Tests.Semantics;
using static Sparkify.Stream.Tests.Semantics.Scenario;

namespace Sparkify.Stream.Tests.Runs;

/// <summary>The backfill command end to end (docs/semantics.md#backfill-and-replace): its options reach the run.</summary>
public abstract partial class RunProcessSemantics
{
    [Fact]
    public async Task Backfill_command_reads_only_its_range_and_replace_rereads_loaded_files()
    {
        using var s = new Scenario();
        s.Song("SO1", "Song", "AR1", "Band", 200.0);
        for (var d = 1; d <= 4; d++)
            s.Log($"2018-11-0{d}", Event($"2018-11-0{d}T10:00:00Z", d, song: "Song", artist: "Band", length: 200.0),
                Event($"2018-11-0{d}T11:00:00Z", d, itemInSession: 1));
        var target = await NewTargetAsync();
        var reportFile = Path.Combine(s.Root, "report.json");
        RunReport Report() => RunReport.Parse(File.ReadAllBytes(reportFile));

        var partial = await RunToEndAsync(s, target, "backfill", "--from", "2018-11-02", "--to", "2018-11-03", "--report", reportFile);
        Assert.True(partial.ExitCode == 0, partial.Describe());
        Assert.Equal((3, 0, 3), (Report().Files.Listed, Report().Files.Skipped, Report().Files.Loaded));
        Assert.Equal(4, (await StateAsync(target))["songplays"].Count);

        var again = await RunToEndAsync(s, target, "backfill", "--from", "2018-11-02", "--to", "2018-11-03", "--report", reportFile);
        Assert.True(again.ExitCode == 0, again.Describe());
        Assert.Equal((3, 3, 0), (Report().Files.Listed, Report().Files.Skipped, Report().Files.Loaded));

        var replace = await RunToEndAsync(s, target, "backfill", "--from", "2018-11-02", "--to", "2018-11-03", "--replace",
            "--report", reportFile);
        Assert.True(replace.ExitCode == 0, replace.Describe());
        Assert.Equal((3, 1, 2), (Report().Files.Listed, Report().Files.Skipped, Report().Files.Loaded));
        Assert.Equal((4L, 4L), (Report().Rows["songplays"].Deleted, Report().Rows["songplays"].Inserted));

        var all = await RunToEndAsync(s, target, "run", "--batch", "--report", reportFile);
        Assert.True(all.ExitCode == 0, all.Describe());
        Assert.Equal((5, 3, 2), (Report().Files.Listed, Report().Files.Skipped, Report().Files.Loaded));
        Assert.Equal(8, (await StateAsync(target))["songplays"].Count);

        var noTo = await RunToEndAsync(s, target, "backfill", "--from", "2018-11-02");
        Assert.Equal(2, noTo.ExitCode);
        Assert.Contains("backfill needs both --from and --to", noTo.Stderr, StringComparison.Ordinal);
    }
}
