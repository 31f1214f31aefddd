using Microsoft.Extensions.Logging;
using Sparkify.Stream.Staging;

namespace Sparkify.Stream.Jobs;

/// <summary>
/// Keeps the staging area from growing without bound: at the start of a run, the folders of all but the newest
/// <c>keep</c> earlier runs are deleted (run ids start with their UTC start time, so they sort by age).
/// </summary>
/// <remarks>
/// A run killed half-way leaves a folder with partial Parquet and no report.json. That is harmless: a run reads
/// only the manifests it wrote itself, never another run's folder, so a dead run's files are ignored until this
/// clean-up deletes them with the other old runs. The current run is never deleted; deleting is best effort
/// (a failure is logged, the run goes on).
/// </remarks>
internal static class StagingRetention
{
    public static async Task PruneAsync(IStagingStore store, int keep, string currentRunId, ILogger logger,
        CancellationToken ct)
    {
        var runs = new List<string>();
        try
        {
            await foreach (var run in store.ListRunsAsync(ct))
                if (!string.Equals(run, currentRunId, StringComparison.Ordinal)) runs.Add(run);
        }
        catch (Exception ex) when (IsHousekeepingFault(ex))
        {
            JobLog.OldRunsNotListed(logger, Secrets.Mask(ex.Message));
            return;
        }
        runs.Sort(StringComparer.Ordinal);
        foreach (var run in runs.Take(Math.Max(0, runs.Count - keep)))
        {
            try
            {
                await store.DeleteRunAsync(run, ct);
                JobLog.OldRunDeleted(logger, run);
            }
            catch (Exception ex) when (IsHousekeepingFault(ex))
            {
                JobLog.OldRunNotDeleted(logger, run, Secrets.Mask(ex.Message));
            }
        }
    }

    private static bool IsHousekeepingFault(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or SparkifyException or ArgumentException;
}
