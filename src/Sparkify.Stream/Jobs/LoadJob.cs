using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Sparkify.Stream.Configuration;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Staging;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Jobs;

/// <summary>
/// <c>sparkify load</c>: commits the pending load packages of the staging area (or the ones named) in one
/// transaction — one COPY per staging table over all their parts per layer, the merge, the ledger — and writes its
/// report.json in a folder of its own (<c>runs/&lt;load_run_id&gt;/</c>, beside any combined manifests).
/// </summary>
/// <remarks>
/// The sources are listed (not read) first: a package holding a file whose version has changed since it was staged
/// is superseded, never loaded, and the next stage stages the file anew.
/// </remarks>
internal sealed class LoadJob(
    SparkifyOptions options, Infrastructure infrastructure, ILogger logger, IReadOnlyList<string> named,
    Func<string, CancellationToken, Task>? onPhase = null)
{
    private readonly PackageStore _packages = new(infrastructure.Staging);

    /// <returns>The load's report, or null when there was nothing to load.</returns>
    public async Task<RunReport?> RunAsync(CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var warehouse = infrastructure.Warehouse ?? throw new InvalidOperationException("a load needs its warehouse open");
        var ledgerTask = Task.Run(async () =>
        {
            await warehouse.CreateTablesAsync(drop: false, ct);
            return await warehouse.ReadLedgerAsync(ct);
        }, ct);
        var songsTask = Task.Run(() => RunJob.ListAsync(infrastructure.Songs, RecordKind.Song, DateRange.All, logger, ct), ct);
        var logsTask = Task.Run(() => RunJob.ListAsync(infrastructure.Logs, RecordKind.Event, DateRange.All, logger, ct), ct);
        var pendingTask = Task.Run(() => PendingAsync(ct), ct);
        await Task.WhenAll(ledgerTask, songsTask, logsTask, pendingTask);
        var versions = PackageLoading.Versions((await songsTask).Concat(await logsTask));
        var pending = await pendingTask;
        // A loader that lists other sources than the stagers did would find none of their files and supersede every
        // package: refused, naming both.
        string[] sources = [options.Songs, options.Logs];
        if (pending.FirstOrDefault(p => !p.Package.Sources.SequenceEqual(sources, StringComparer.Ordinal)) is { } other)
        {
            throw new ConfigurationException(
                $"package {other.RunId} was staged from {string.Join(" and ", other.Package.Sources)}, but this load lists " +
                $"{string.Join(" and ", sources)}: give the load the stagers' --songs and --logs (or [S3] SONG_DATA, LOG_DATA)");
        }
        var choice = PackageLoading.Choose(pending, versions, wholeInput: true, await ledgerTask);
        var runId = RunJob.NewRunId(started);
        await PackageLoading.SettleAsync(_packages, choice, runId, logger, ct);
        if (choice.Load.Count == 0) return null;
        var listedSeconds = clock.Elapsed.TotalSeconds;

        var load = await PackageLoading.LoadAsync(warehouse, _packages, choice.Load, runId, onPhase, null, logger, ct);
        var files = choice.Load.SelectMany(p => p.Package.Files).ToList();
        RecordTotals Totals(IEnumerable<PackageFile> of)
        {
            var list = of.ToList();
            return new RecordTotals(list.Sum(f => f.Read), list.Sum(f => f.Valid), list.Sum(f => f.Rejected));
        }
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["list"] = listedSeconds,
            ["load_staging"] = load.LoadStaging.TotalSeconds,
            ["merge"] = load.Merge.TotalSeconds,
            ["total"] = clock.Elapsed.TotalSeconds,
        };
        var (eventKind, songKind) = (RecordKind.Event.Name(), RecordKind.Song.Name());
        var events = files.Where(f => f.Kind == eventKind).Sum(f => f.Read);
        var report = new RunReport
        {
            RunId = runId,
            Status = RunStatus.Succeeded,
            Target = warehouse.Target,
            StartedAt = started,
            FinishedAt = DateTimeOffset.UtcNow,
            Files = new FileTotals(files.Count, 0, files.Count),
            Records = Totals(files),
            RecordsByKind = new Dictionary<string, RecordTotals>
            {
                [eventKind] = Totals(files.Where(f => f.Kind == eventKind)),
                [songKind] = Totals(files.Where(f => f.Kind == songKind)),
            },
            Rows = StarTables.All.ToDictionary(t => t, t => new TableChanges(
                RunJob.Change(load, t, "inserted"), RunJob.Change(load, t, "updated"), RunJob.Change(load, t, "deleted"))),
            Totals = load.Totals,
            Seconds = seconds,
            EventsPerSecond = seconds["total"] > 0 ? Math.Round(events / seconds["total"], 1) : 0,
            PeakMemoryMb = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1),
            Staging = infrastructure.Staging.UrlOf(RunPaths.Prefix(runId)),
            Packages = [.. choice.Load.Select(p => p.RunId)],
            PerFile = [.. files.Select(f => new FileReport(f.Key, f.Kind, f.Read, f.Valid, f.Rejected))],
        };
        await report.WriteAfterCommitAsync(infrastructure.Staging, options.ReportPath);
        return report;
    }

    /// <summary>The pending packages, or the named ones (each must exist and be pending).</summary>
    private async Task<List<StoredPackage>> PendingAsync(CancellationToken ct)
    {
        if (named.Count == 0) return await _packages.ListAsync(pendingOnly: true, ct);
        var chosen = new List<StoredPackage>();
        foreach (var id in named.Distinct(StringComparer.Ordinal))
        {
            if (id.Contains('/') || id.Contains('\\') || id is "." or "..")
                throw new ConfigurationException($"--package '{id}' is not a run id (see 'sparkify packages')");
            var package = await _packages.ReadAsync(id, ct)
                ?? throw new ConfigurationException(
                    $"no load package {id} in {infrastructure.Staging.Description} (see 'sparkify packages')");
            if (!package.Status.State.IsPending())
            {
                throw new ConfigurationException(
                    $"package {id} is {package.Status.State.Name()}: only staged, loading or failed packages are loaded");
            }
            chosen.Add(package);
        }
        return chosen;
    }
}
