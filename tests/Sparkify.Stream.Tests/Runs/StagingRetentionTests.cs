using Microsoft.Extensions.Logging.Abstractions;
using Sparkify.Stream.Jobs;
using Sparkify.Stream.Staging;

namespace Sparkify.Stream.Tests.Runs;

public sealed class StagingRetentionTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sparkify-retention-").FullName;

    private string[] Runs() =>
        [.. Directory.EnumerateDirectories(Path.Combine(_root, "runs")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    private void MakeRuns(params string[] ids)
    {
        foreach (var id in ids)
        {
            Directory.CreateDirectory(Path.Combine(_root, "runs", id, "events"));
            File.WriteAllText(Path.Combine(_root, "runs", id, "events", "part-00000.parquet"), "x");
        }
    }

    [Fact]
    public async Task Deletes_all_but_the_newest_n_earlier_runs_and_never_the_current_one()
    {
        // Run ids start with their UTC start time; the current run may sort anywhere (clock steps back).
        MakeRuns("20181101T000000.000Z-aaaaaaaa", "20181102T000000.000Z-bbbbbbbb", "20181103T000000.000Z-cccccccc",
            "20181104T000000.000Z-dddddddd", "20181101T120000.000Z-current0");
        await StagingRetention.PruneAsync(new LocalStagingStore(_root), keep: 2, "20181101T120000.000Z-current0",
            NullLogger.Instance, CancellationToken.None);

        Assert.Equal(["20181101T120000.000Z-current0", "20181103T000000.000Z-cccccccc", "20181104T000000.000Z-dddddddd"], Runs());
    }

    [Fact]
    public async Task Keep_zero_leaves_only_the_current_run_and_an_empty_staging_area_is_fine()
    {
        await StagingRetention.PruneAsync(new LocalStagingStore(_root), keep: 0, "now", NullLogger.Instance, CancellationToken.None);
        MakeRuns("20181101T000000.000Z-aaaaaaaa", "now");
        await StagingRetention.PruneAsync(new LocalStagingStore(_root), keep: 0, "now", NullLogger.Instance, CancellationToken.None);

        Assert.Equal(["now"], Runs());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
