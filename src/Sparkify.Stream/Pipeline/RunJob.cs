using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Sparkify.Stream.Configuration;
using Sparkify.Stream.Records;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Staging;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Pipeline;

/// <summary>
/// One pass (SPEC §4): list the sources, skip what the ledger has, stream the rest through the pipeline into
/// Parquet + manifests, enforce the reject limit, load and merge in one transaction, write report.json.
/// </summary>
internal sealed class RunJob(SparkifyOptions options, Infrastructure infrastructure, ILogger logger)
{
    public async Task<RunReport> RunOnceAsync(CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var runId = NewRunId(started);
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        var warehouse = infrastructure.Warehouse;

        await warehouse.CreateTablesAsync(drop: false, ct);
        var ledger = await warehouse.ReadLedgerAsync(ct);
        var listed = new List<SourceObject>();
        listed.AddRange(await ListAsync(infrastructure.Songs, RecordKind.Song, DateRange.All, ct));
        listed.AddRange(await ListAsync(infrastructure.Logs, RecordKind.Event, options.Range, ct));
        var todo = listed.Where(f => !IsLoaded(f, ledger)).ToList();
        seconds["list"] = clock.Elapsed.TotalSeconds;
        logger.LogInformation("run {RunId}: {Listed} files listed, {Todo} to load, {Skipped} already loaded",
            runId, listed.Count, todo.Count, listed.Count - todo.Count);

        var pipeline = new IngestPipeline(f => f.Kind == RecordKind.Song ? infrastructure.Songs : infrastructure.Logs,
            infrastructure.Staging, infrastructure.PipelineOptions);
        var ingest = await pipeline.RunAsync(todo, runId, ct);
        seconds["parse_and_stage"] = ingest.ParseTime.TotalSeconds;
        seconds["write_manifests"] = ingest.StageTime.TotalSeconds;
        var accounting = ingest.Accounting;

        LoadResult? load = null;
        string status = "succeeded";
        string? error = null;
        if (options.MaxRejects.IsExceeded(accounting.Rejected(), accounting.Read()))
        {
            status = "reject_limit";
            error = $"{accounting.Rejected():N0} of {accounting.Read():N0} records rejected, over --max-rejects " +
                    $"{options.MaxRejects}; nothing was loaded (see {ingest.RejectsUrl})";
        }
        else if (options.StageOnly)
        {
            status = "staged";
        }
        else if (todo.Count > 0)
        {
            load = await warehouse.LoadAsync(new LoadRequest(runId, infrastructure.Staging,
                ingest.EventsManifest, ingest.SongsManifest, ingest.FilesManifest,
                options.Replace ? options.Range : null), ct);
            seconds["load_staging"] = load.LoadStaging.TotalSeconds;
            seconds["merge"] = load.Merge.TotalSeconds;
        }
        seconds["total"] = clock.Elapsed.TotalSeconds;

        var totals = load?.Totals ?? (options.StageOnly ? new Dictionary<string, long>() : await warehouse.CountRowsAsync(ct));
        var report = BuildReport(runId, status, error, started, listed, todo, accounting, load, totals, seconds, ingest);
        var json = report.ToJson();
        await infrastructure.Staging.PutBytesAsync($"{RunPaths.Prefix(runId)}/report.json", json, ct);
        if (options.ReportPath is { } path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.WriteAllBytesAsync(path, json, ct);
        }
        if (status == "reject_limit") throw new RejectLimitException(error!) { Report = report };
        return report;
    }

    private bool IsLoaded(SourceObject file, IReadOnlyDictionary<string, string> ledger)
    {
        if (options.Reload) return false;
        if (options.Replace && file.Kind == RecordKind.Event) return false;   // backfill --replace re-reads its range
        return ledger.TryGetValue(file.Key, out var version) && version == file.Version;
    }

    private static async Task<List<SourceObject>> ListAsync(
        IObjectSource source, RecordKind kind, DateRange range, CancellationToken ct)
    {
        var files = new List<SourceObject>();
        await foreach (var file in source.ListAsync(kind, range, ct)) files.Add(file);
        return files;
    }

    private RunReport BuildReport(string runId, string status, string? error, DateTimeOffset started,
        List<SourceObject> listed, List<SourceObject> todo, RunAccounting accounting, LoadResult? load,
        IReadOnlyDictionary<string, long> totals, Dictionary<string, double> seconds, IngestResult ingest)
    {
        var rows = StarTables.All.ToDictionary(t => t, t => new TableChanges(
            Change(load, t, "inserted"), Change(load, t, "updated"), Change(load, t, "deleted")));
        var events = accounting.Read(RecordKind.Event);
        return new RunReport
        {
            RunId = runId,
            Status = status,
            Error = error,
            Target = infrastructure.Warehouse.Target,
            StartedAt = started,
            FinishedAt = DateTimeOffset.UtcNow,
            Files = new FileTotals(listed.Count, listed.Count - todo.Count, status == "succeeded" ? todo.Count : 0),
            Records = new RecordTotals(accounting.Read(), accounting.Valid(), accounting.Rejected(), accounting.RejectedByReason),
            RecordsByKind = new Dictionary<string, RecordTotals>
            {
                ["event"] = new(events, accounting.Valid(RecordKind.Event), accounting.Rejected(RecordKind.Event)),
                ["song"] = new(accounting.Read(RecordKind.Song), accounting.Valid(RecordKind.Song), accounting.Rejected(RecordKind.Song)),
            },
            Rows = rows,
            Totals = totals,
            Seconds = seconds,
            EventsPerSecond = seconds["total"] > 0 ? Math.Round(events / seconds["total"], 1) : 0,
            BytesRead = accounting.BytesRead,
            PeakMemoryMb = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1),
            Staging = infrastructure.Staging.UrlOf(RunPaths.Prefix(runId)),
            RejectsFile = ingest.RejectsUrl,
            PerFile = [.. accounting.Files.Select(f => new FileReport(f.File.Key, f.File.Kind.Name(), f.Read, f.Valid, f.Rejected))],
        };
    }

    private static long Change(LoadResult? load, string table, string kind) =>
        load?.Changes.TryGetValue($"{table}.{kind}", out var n) == true ? n : 0;

    private static string NewRunId(DateTimeOffset started) =>
        $"{started:yyyyMMdd'T'HHmmss'Z'}-{Guid.NewGuid().ToString("N")[..8]}";
}

/// <summary>The run's sources, staging store, warehouse and pipeline sizing, opened once from the options.</summary>
internal sealed record Infrastructure(
    IObjectSource Songs, IObjectSource Logs, IStagingStore Staging, IWarehouse Warehouse, PipelineOptions PipelineOptions)
    : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Warehouse.DisposeAsync();
}
