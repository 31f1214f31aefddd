using Microsoft.Extensions.Logging;
using Sparkify.Stream.Staging;

namespace Sparkify.Stream.Jobs;

/// <summary>
/// Keeps the staging area from growing without bound: at the start of a run, the folders of all but the newest
/// <c>keep</c> earlier runs are deleted (run ids start with their UTC start time, so they sort by age) — except
/// those still needed.
/// </summary>
/// <remarks>
/// Never deleted: a load package that is not <c>loaded</c> or <c>superseded</c> (a later run or <c>sparkify load</c>
/// loads it), and a folder without package.json or report.json younger than <see cref="InProgressAge"/> (a stager on
/// another machine may be writing it right now; a folder not named by a run id is not kept). A run killed half-way leaves such a folder: harmless, since a load
/// reads only packages, and deleted here once it is old. The current run is never deleted; deleting is best effort
/// (a failure is logged, the run goes on).
/// </remarks>
internal static class StagingRetention
{
    /// <summary>How long a folder with neither package.json nor report.json counts as a stager still at work.</summary>
    public static readonly TimeSpan InProgressAge = TimeSpan.FromHours(24);

    public static async Task PruneAsync(IStagingStore store, int keep, string currentRunId, ILogger logger,
        CancellationToken ct)
    {
        foreach (var run in await ExpiredAsync(store, keep, currentRunId, logger, ct))
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

    /// <summary>
    /// The run folders <see cref="PruneAsync"/> deletes, oldest first, nothing deleted (a dry run shows them). A listing
    /// that fails is logged and gives none; a folder whose state cannot be read is logged and kept.
    /// </summary>
    /// <param name="currentRunId">The run under way (never deleted); null for a dry run, which has none.</param>
    public static async Task<IReadOnlyList<string>> ExpiredAsync(IStagingStore store, int keep, string? currentRunId,
        ILogger logger, CancellationToken ct)
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
            return [];
        }
        runs.Sort(StringComparer.Ordinal);
        var packages = new PackageStore(store);
        var expired = new List<string>();
        foreach (var run in runs.Take(Math.Max(0, runs.Count - keep)))
        {
            try
            {
                if (!await IsNeededAsync(store, packages, run, DateTimeOffset.UtcNow, ct)) expired.Add(run);
            }
            catch (Exception ex) when (IsHousekeepingFault(ex))
            {
                JobLog.OldRunNotDeleted(logger, run, Secrets.Mask(ex.Message));
            }
        }
        return expired;
    }

    private static async Task<bool> IsNeededAsync(IStagingStore store, PackageStore packages, string run,
        DateTimeOffset now, CancellationToken ct)
    {
        if (await packages.ReadStatusAsync(run, ct) is { } status) return status.State.IsPending();
        // Not a package: kept only while it may be a stager at work — young, and without the report a run ends with.
        if (StartOf(run) is not { } started || now - started >= InProgressAge) return false;
        return await StagingReads.ReadBytesAsync(store, RunReport.PathOf(run), ct) is null;
    }

    /// <summary>The UTC start a run id begins with ("20261202T193012.345Z-…"), or null for a folder not named so.</summary>
    internal static DateTimeOffset? StartOf(string runId) =>
        runId.Length >= 20 && DateTimeOffset.TryParseExact(runId[..20], "yyyyMMdd'T'HHmmss.fff'Z'",
            System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal,
            out var started)
            ? started
            : null;

    private static bool IsHousekeepingFault(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or SparkifyException or ArgumentException;
}
