using System.Globalization;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Sparkify.Stream.Configuration;
using Sparkify.Stream.Pipeline;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Staging;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Jobs;

/// <summary>
/// One pass (docs/semantics.md#runs): list the sources, skip what the ledger has, stream the rest through the pipeline into
/// Parquet + manifests, enforce the reject limit, load and merge in one transaction, write report.json.
/// </summary>
/// <param name="progress">Watches each pass while it runs (live display or periodic log lines); null for none.</param>
/// <param name="onPhase">Awaited as each phase starts ("ingest", "load_staging/&lt;table&gt;", each merge step,
/// "commit"): the seam tests inject failures and pauses through; null in normal use.</param>
internal sealed class RunJob(
    SparkifyOptions options, Infrastructure infrastructure, ILogger logger, IRunProgress? progress = null,
    Func<string, CancellationToken, Task>? onPhase = null)
{
    private readonly PackageStore _packages = new(infrastructure.Staging);

    /// <summary>A run: always writes its staging folder and report.json, even when there is nothing to load.</summary>
    public async Task<RunReport> RunOnceAsync(CancellationToken ct) => await ExecuteAsync(await PlanAsync(ct), ct);

    /// <summary>
    /// A watch-mode poll: a run when new or changed files are listed or packages wait to be loaded, otherwise null — an idle poll writes no
    /// staging folder and no report (they would push the reports of real loads out of the kept runs).
    /// </summary>
    public async Task<RunReport?> PollAsync(CancellationToken ct)
    {
        var plan = await PlanAsync(ct);
        // Packages staged elsewhere (`sparkify stage` on other machines) are loaded by the watcher too.
        if (plan.Todo.Count > 0 || plan.Choice.Load.Count > 0) return await ExecuteAsync(plan, ct);
        JobLog.NothingNew(logger, plan.Listed.Count);
        return null;
    }

    private async Task<RunPlan> PlanAsync(CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        // The warehouse (opening it, the ledger), the packages and the two listings wait on different things: overlap them.
        var ledgerTask = Task.Run(() => ReadLedgerAsync(ct), ct);
        var packagesTask = Task.Run(async () => options.Reload ? [] : await _packages.ListAsync(ct, pendingOnly: true), ct);
        var songsTask = Task.Run(() => ListAsync(infrastructure.Songs, RecordKind.Song, DateRange.All, logger, ct), ct);
        var logsTask = Task.Run(() => ListAsync(infrastructure.Logs, RecordKind.Event, options.Range, logger, ct), ct);
        // The staging tables' Parquet schemas are built once, at first use (type loading and JIT): while the listings wait.
        var schemasTask = Task.Run(StagingTables.Prepare, ct);
        await Task.WhenAll(ledgerTask, packagesTask, songsTask, logsTask, schemasTask);
        var (ledger, baseline) = await ledgerTask;
        var pending = await packagesTask;
        var listed = new List<SourceObject>(await songsTask);
        listed.AddRange(await logsTask);
        if (!options.Shard.IsAll) listed = [.. listed.Where(f => options.Shard.Owns(f.Key))];

        // Files a pending package holds at their current version are not read again: a stager leaves them to the
        // loader; a run loads those packages (a run that died after staging) with its own files.
        PackageChoice choice;
        if (options.StageOnly)
        {
            choice = PackageChoice.None;
            var held = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in pending.SelectMany(p => p.Package.Files)) held[file.Key] = file.Version;
            var todoStaged = listed.Where(f => !IsLoaded(f, ledger) && !(held.TryGetValue(f.Key, out var v) && v == f.Version));
            return new RunPlan(started, clock, listed, [.. todoStaged], choice, baseline);
        }
        choice = options.Replace
            ? PackageChoice.None
            : PackageLoading.Choose(pending, PackageLoading.Versions(listed), options.Range == DateRange.All, ledger,
                [options.Songs, options.Logs]);
        var resumed = choice.Keys;
        var todo = listed.Where(f => !IsLoaded(f, ledger) && !resumed.Contains(f.Key)).ToList();
        return new RunPlan(started, clock, listed, todo, choice, baseline);
    }

    /// <summary>
    /// The ledger and the schema-drift history. A run creates the tables where missing first; a stager only reads (it
    /// may hold DuckDB read-only): no warehouse (--no-ledger, no DuckDB file yet) or no ledger table means nothing is
    /// loaded, and no history.
    /// </summary>
    private async Task<(IReadOnlyDictionary<string, string> Ledger, IReadOnlyList<FieldBaseline> Baseline)> ReadLedgerAsync(
        CancellationToken ct)
    {
        var warehouse = infrastructure.Warehouse;
        if (!options.StageOnly)
        {
            var target = warehouse ?? throw new InvalidOperationException("a run that loads needs its warehouse open");
            await target.CreateTablesAsync(drop: false, ct);
            return (await target.ReadLedgerAsync(ct), await target.ReadFieldBaselineAsync(ct));
        }
        if (warehouse is null)
        {
            if (!options.NoLedger) JobLog.NoWarehouseYet(logger, options.Connection ?? SparkifyOptions.DefaultDuckDb);
            return (new Dictionary<string, string>(), []);
        }
        return await warehouse.HasLedgerAsync(ct)
            ? (await warehouse.ReadLedgerAsync(ct), await warehouse.ReadFieldBaselineAsync(ct))
            : (new Dictionary<string, string>(), []);
    }

    private async Task<RunReport> ExecuteAsync(RunPlan plan, CancellationToken ct)
    {
        try
        {
            return await ExecuteCoreAsync(plan, ct);
        }
        finally
        {
            progress?.Finished();
        }
    }

    private async Task<RunReport> ExecuteCoreAsync(RunPlan plan, CancellationToken ct)
    {
        var (started, clock, listed, todo, choice, baseline) = plan;
        var runId = NewRunId(started);
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        seconds["list"] = clock.Elapsed.TotalSeconds;
        JobLog.RunPlanned(logger, runId, listed.Count, todo.Count, listed.Count - todo.Count);
        await StagingRetention.PruneAsync(infrastructure.Staging, options.KeepRuns, runId, logger, ct);

        var pipeline = new IngestPipeline(f => f.Kind == RecordKind.Song ? infrastructure.Songs : infrastructure.Logs,
            infrastructure.PipelineOptions, PhaseAsync);
        var running = new RunAccounting();
        progress?.Started(runId, running, todo);
        IngestResult ingest;
        // The sink is disposed before the load: a remote store's local work folder goes then.
        await using (var sink = new StagingSink(infrastructure.Staging, runId))
            ingest = await pipeline.RunAsync(todo, sink, ct, running);
        seconds["parse_and_stage"] = ingest.ParseTime.TotalSeconds;
        seconds["write_manifests"] = ingest.StageTime.TotalSeconds;
        var accounting = ingest.Accounting;
        // Accounting.Files sorts a fresh copy of every file's counts (20,000 entries) each time it is read: read once.
        var files = accounting.Files;
        var drift = SchemaDrift.Judge(files, baseline);
        if (drift.Found) JobLog.DriftFound(logger, drift.Describe());   // once per run

        LoadResult? load = null;
        var status = RunStatus.Succeeded;
        string? error = null;
        var loadedPackages = new List<StoredPackage>();
        if (options.MaxRejects.IsExceeded(accounting.Rejected(), accounting.Read()))
        {
            // No package.json: a run stopped by the reject limit is never loaded, by this run or a later one.
            status = RunStatus.RejectLimit;
            error = $"{accounting.Rejected():N0} of {accounting.Read():N0} records rejected, over --max-rejects " +
                    $"{options.MaxRejects}; nothing was loaded (see {ingest.RejectsUrl})";
        }
        else if (options.OnDrift == DriftPolicy.Fail && drift.VanishedFields.Count > 0)
        {
            // Like the reject limit: no package.json, so neither this run nor a later one loads what it staged.
            status = RunStatus.SchemaDrift;
            error = $"schema drift: {string.Join(", ", drift.VanishedFields.Select(v => $"{v.Kind} field {v.Field}"))} " +
                    "vanished and --on-drift is fail; nothing was loaded (see report.json's drift)";
        }
        else
        {
            // The package is committed (package.json, state "staged") before any load: from here a crash loses nothing.
            var own = todo.Count > 0 ? await _packages.StageAsync(PackageOf(runId, started, ingest, files), ct) : null;
            if (own is not null)
            {
                JobLog.PackageStaged(logger, runId, own.Package.Files.Count, ingest.EventRows, ingest.SongRows,
                    options.Shard.ToString());
            }
            if (options.StageOnly)
            {
                status = RunStatus.Staged;
            }
            else
            {
                await PackageLoading.SettleAsync(_packages, choice, runId, logger, ct);
                loadedPackages = [.. choice.Load];
                if (own is not null) loadedPackages.Add(own);
                if (loadedPackages.Count > 0)
                {
                    if (options.Replace) await SayReplacedAsync(ct);
                    load = await PackageLoading.LoadAsync(Warehouse, _packages, loadedPackages, runId, PhaseAsync,
                        options.Replace ? options.Range : null, logger, ct);
                    seconds["load_staging"] = load.LoadStaging.TotalSeconds;
                    seconds["merge"] = load.Merge.TotalSeconds;
                }
            }
        }
        // After a commit nothing may be cancelled: the report of a committed run must be written, and a late
        // Ctrl+C must not make the run look failed.
        var after = load is null ? ct : CancellationToken.None;
        seconds["total"] = clock.Elapsed.TotalSeconds;
        JobLog.Runtime(logger, GC.GetTotalAllocatedBytes() / 1_048_576,
            GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration().TotalSeconds);

        var totals = load?.Totals ?? (options.StageOnly ? new Dictionary<string, long>() : await Warehouse.CountRowsAsync(after));
        var resumedFiles = choice.Load.Sum(p => p.Package.Files.Count);
        var report = BuildReport(runId, status, error, started, listed, todo, accounting, files, load, totals, seconds, ingest,
            [.. loadedPackages.Select(p => p.RunId)], resumedFiles, drift);
        if (load is null) await report.WriteAsync(infrastructure.Staging, options.ReportPath, after);
        else await report.WriteAfterCommitAsync(infrastructure.Staging, options.ReportPath);
        return report;
    }

    /// <summary>
    /// backfill --replace, before its load deletes: how many songplays of the range the warehouse holds. All of them
    /// are replaced by what the range's log files hold now, whichever source or file they came from.
    /// </summary>
    private async Task SayReplacedAsync(CancellationToken ct)
    {
        var count = await Warehouse.CountSongplaysAsync(options.Range, ct);
        JobLog.Replacing(logger, count, options.Range.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "the first day",
            options.Range.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "the last day");
    }

    private IWarehouse Warehouse =>
        infrastructure.Warehouse ?? throw new InvalidOperationException("a run that loads needs its warehouse open");

    /// <summary>This run's package: every file it read with its version and counts, rows and manifests.</summary>
    private LoadPackage PackageOf(string runId, DateTimeOffset started, IngestResult ingest, IReadOnlyList<FileCounts> counts)
    {
        PackageFile[] files = [.. counts.Select(f => new PackageFile(
            f.File.Key, f.File.Kind.Name(), f.File.Version, f.File.Size, f.Read, f.Valid, f.Rejected))];
        return new LoadPackage
        {
            RunId = runId,
            Shard = options.Shard.ToString(),
            Sources = [options.Songs, options.Logs],
            Files = files,
            Rows = new Dictionary<string, long>
            {
                ["staging_events"] = ingest.EventRows,
                ["staging_songs"] = ingest.SongRows,
                ["staging_files"] = files.Length,
            },
            Manifests = new PackageManifests(ingest.EventsManifest, ingest.SongsManifest, ingest.FilesManifest,
                ingest.FieldCountsManifest),
            RejectsFile = ingest.RejectsUrl,
            CreatedAt = started,
        };
    }

    /// <summary>Called as each phase starts: a debug log line, the progress display, and the injected hook.</summary>
    private async Task PhaseAsync(string phase, CancellationToken ct)
    {
        JobLog.Phase(logger, phase);
        progress?.Phase(phase);
        if (onPhase is not null) await onPhase(phase, ct);
    }

    private bool IsLoaded(SourceObject file, IReadOnlyDictionary<string, string> ledger)
    {
        if (options.Reload) return false;
        if (options.Replace && file.Kind == RecordKind.Event) return false;   // backfill --replace re-reads its range
        return ledger.TryGetValue(file.Key, out var version) && version == file.Version;
    }

    /// <param name="logger">When given, a listing that found nothing where the source holds files, none of them an
    /// input file (a wrong folder, a format sparkify does not read), is a warning naming them; an empty source is not.</param>
    internal static async Task<List<SourceObject>> ListAsync(
        IObjectSource source, RecordKind kind, DateRange range, ILogger? logger, CancellationToken ct)
    {
        var files = new List<SourceObject>();
        await foreach (var file in source.ListAsync(kind, range, ct)) files.Add(file);
        if (files.Count == 0 && logger is not null && await source.OtherFilesAsync(ct) is { Count: > 0 } other)
            JobLog.NoInputFiles(logger, kind.Name(), source.Description, other.Count, InputFiles.Described, other.ToString());
        return files;
    }

    private RunReport BuildReport(string runId, RunStatus status, string? error, DateTimeOffset started,
        List<SourceObject> listed, List<SourceObject> todo, RunAccounting accounting, IReadOnlyList<FileCounts> files,
        LoadResult? load,
        IReadOnlyDictionary<string, long> totals, Dictionary<string, double> seconds, IngestResult ingest,
        IReadOnlyList<string> packages, int resumedFiles, DriftReport drift)
    {
        var rows = StarTables.All.ToDictionary(t => t, t => new TableChanges(
            Change(load, t, "inserted"), Change(load, t, "updated"), Change(load, t, "deleted")));
        var events = accounting.Read(RecordKind.Event);
        return new RunReport
        {
            RunId = runId,
            Status = status,
            Error = error,
            Target = infrastructure.Warehouse?.Target ?? options.Target,
            StartedAt = started,
            FinishedAt = DateTimeOffset.UtcNow,
            Files = new FileTotals(listed.Count, listed.Count - todo.Count - resumedFiles,
                status == RunStatus.Succeeded && load is not null ? todo.Count + resumedFiles : 0),
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
            Packages = packages.Count > 0 ? packages : null,
            Drift = todo.Count > 0 ? drift : null,
            PerFile = [.. files.Select(f => new FileReport(f.File.Key, f.File.Kind.Name(), f.Read, f.Valid, f.Rejected,
                drift.PerFile?.GetValueOrDefault(f.File.Key)))],
        };
    }

    internal static long Change(LoadResult? load, string table, string kind) =>
        load?.Changes.TryGetValue($"{table}.{kind}", out var n) == true ? n : 0;

    internal static string NewRunId(DateTimeOffset started) =>
        $"{started:yyyyMMdd'T'HHmmss.fff'Z'}-{Guid.NewGuid().ToString("N")[..8]}";

    private sealed record RunPlan(
        DateTimeOffset Started, Stopwatch Clock, List<SourceObject> Listed, List<SourceObject> Todo, PackageChoice Choice,
        IReadOnlyList<FieldBaseline> Baseline);
}

/// <summary>The run's sources, staging store, warehouse and pipeline sizing, opened once from the options.</summary>
/// <param name="Warehouse">Null only for staging without a ledger (--no-ledger, or no DuckDB file yet).</param>
internal sealed record Infrastructure(
    IObjectSource Songs, IObjectSource Logs, IStagingStore Staging, IWarehouse? Warehouse, PipelineOptions PipelineOptions)
    : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Warehouse?.DisposeAsync() ?? ValueTask.CompletedTask;
}
