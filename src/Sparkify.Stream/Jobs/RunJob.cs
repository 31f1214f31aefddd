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
/// One pass (docs/semantics.md#runs), in named steps: <see cref="PlanAsync"/> (list the sources, skip what the ledger has, choose the
/// waiting packages), <see cref="StageAsync"/> (stream the rest through the pipeline into Parquet + manifests),
/// <see cref="Gate"/> (the reject limit and schema drift: one outcome that stops the run), <see cref="LoadAsync"/> (the
/// package committed, then loaded and merged in one transaction) and <see cref="ReportAsync"/> (report.json). What a
/// step does differently for each <see cref="RunMode"/> is decided in that step.
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
    public async Task<RunReport> RunOnceAsync(CancellationToken ct) => await ExecuteAsync(await PlanAsync(readOnly: false, ct), ct);

    /// <summary>
    /// <c>--dry-run</c>: the plan alone, described — which files the run would read and why, the waiting packages it would
    /// load, what <c>--replace</c> would delete and which old staging folders it would prune. Nothing is staged, pruned,
    /// created or loaded: the warehouse is only read (DuckDB read-only; no tables where there are none).
    /// </summary>
    public async Task<RunPreview> PreviewAsync(CancellationToken ct)
    {
        var plan = await PlanAsync(readOnly: true, ct);
        var todo = plan.Todo.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var resumed = plan.Choice.Keys;
        var files = plan.Listed.Select(f => new PlannedFile(f,
            todo.Contains(f.Key)
                ? !plan.Ledger.TryGetValue(f.Key, out var version) ? FileAction.New
                : version == f.Version ? FileAction.Again : FileAction.Changed
                : resumed.Contains(f.Key) || Holds(plan.Held, f) ? FileAction.InPackage
                : FileAction.Skipped)).ToList();
        var warehouse = infrastructure.Warehouse;
        ReplacePreview? replace = null;
        if (options.Mode == RunMode.Replace && plan.HasLedger)
        {
            var rows = await warehouse!.CountReplacedAsync(options.Range, EventKeys(plan), ct);
            replace = new ReplacePreview(rows.Songplays, rows.Time, await warehouse.CountRowsAsync(ct));
        }
        var prune = await StagingRetention.ExpiredAsync(infrastructure.Staging, options.KeepRuns, currentRunId: null, logger, ct);
        return new RunPreview(options.Mode, warehouse?.Target ?? options.Target, warehouse?.Endpoint, plan.HasLedger, files,
            plan.Choice.Load, plan.Choice.Superseded, replace, prune);
    }

    /// <summary>
    /// A watch-mode poll: a run when new or changed files are listed or packages wait to be loaded, otherwise null — an idle poll writes no
    /// staging folder and no report (they would push the reports of real loads out of the kept runs).
    /// </summary>
    public async Task<RunReport?> PollAsync(CancellationToken ct)
    {
        var plan = await PlanAsync(readOnly: false, ct);
        // Packages staged elsewhere (`sparkify stage` on other machines) are loaded by the watcher too.
        if (plan.Todo.Count > 0 || plan.Choice.Load.Count > 0) return await ExecuteAsync(plan, ct);
        JobLog.NothingNew(logger, plan.Listed.Count);
        return null;
    }

    /// <summary>Step 1: what this run reads (the listed files the ledger does not hold) and which waiting packages it loads.</summary>
    /// <param name="readOnly">A dry run: the warehouse is read as it is (no tables created where there are none).</param>
    private async Task<RunPlan> PlanAsync(bool readOnly, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        // The warehouse (opening it, the ledger), the packages and the two listings wait on different things: overlap them.
        var ledgerTask = Task.Run(() => ReadLedgerAsync(readOnly, ct), ct);
        var packagesTask = Task.Run(async () => options.Reload ? [] : await _packages.ListAsync(pendingOnly: true, ct), ct);
        var songsTask = Task.Run(() => ListAsync(infrastructure.Songs, RecordKind.Song, DateRange.All, logger, ct), ct);
        var logsTask = Task.Run(() => ListAsync(infrastructure.Logs, RecordKind.Event, options.Range, logger, ct), ct);
        // The staging tables' Parquet schemas are built once, at first use (type loading and JIT): while the listings wait.
        var schemasTask = Task.Run(StagingParquet.Prepare, ct);
        await Task.WhenAll(ledgerTask, packagesTask, songsTask, logsTask, schemasTask);
        var (ledger, baseline, hasLedger) = await ledgerTask;
        var pending = await packagesTask;
        var listed = new List<SourceObject>(await songsTask);
        listed.AddRange(await logsTask);
        if (!options.Shard.IsAll) listed = [.. listed.Where(f => options.Shard.Owns(f.Key))];

        // Files a pending package holds at their current version are not read again: a stager leaves them to the
        // loader; a run loads those packages (a run that died after staging) with its own files.
        var choice = ChoosePackages(pending, listed, ledger);
        var held = options.Mode == RunMode.Stage ? HeldVersions(pending) : null;
        var resumed = choice.Keys;
        var todo = listed.Where(f => !IsLoaded(f, ledger) && !resumed.Contains(f.Key)
            && !Holds(held, f)).ToList();
        return new RunPlan(started, clock, listed, todo, choice, ledger, hasLedger, held, baseline);
    }

    /// <summary>
    /// The waiting packages this run loads with its own files: none when it only stages (the loader loads them) or
    /// replaces a range (what it re-reads supersedes them); otherwise those <see cref="PackageLoading.Choose"/> keeps.
    /// </summary>
    private PackageChoice ChoosePackages(
        IReadOnlyList<StoredPackage> pending, List<SourceObject> listed, IReadOnlyDictionary<string, string> ledger) =>
        options.Mode switch
        {
            RunMode.Load => PackageLoading.Choose(pending, PackageLoading.Versions(listed), options.Range == DateRange.All,
                ledger, [options.Songs, options.Logs]),
            _ => PackageChoice.None,
        };

    /// <summary>Whether a waiting package holds <paramref name="file"/> at its current version (null: none is looked at).</summary>
    private static bool Holds(IReadOnlyDictionary<string, string>? held, SourceObject file) =>
        held is not null && held.TryGetValue(file.Key, out var version) && version == file.Version;

    /// <summary>The files the waiting packages hold, by key, at the version they hold: a stager leaves these to the loader.</summary>
    private static Dictionary<string, string> HeldVersions(IReadOnlyList<StoredPackage> pending)
    {
        var held = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in pending.SelectMany(p => p.Package.Files)) held[file.Key] = file.Version;
        return held;
    }

    /// <summary>
    /// The ledger and the schema-drift history. A run creates the tables where missing first; a stager and a dry run
    /// only read (they may hold DuckDB read-only): no warehouse (--no-ledger, no DuckDB file yet) or no ledger table
    /// means nothing is loaded, and no history.
    /// </summary>
    /// <returns>Also whether the warehouse has a ledger table (a dry run says so, and asks for replaced rows only then).</returns>
    private async Task<(IReadOnlyDictionary<string, string> Ledger, IReadOnlyList<FieldBaseline> Baseline, bool HasLedger)> ReadLedgerAsync(
        bool readOnly, CancellationToken ct)
    {
        var warehouse = infrastructure.Warehouse;
        if (options.Mode != RunMode.Stage && !readOnly)
        {
            var target = warehouse ?? throw new InvalidOperationException("a run that loads needs its warehouse open");
            await target.CreateTablesAsync(drop: false, ct);
            return (await target.ReadLedgerAsync(ct), await target.ReadFieldBaselineAsync(ct), true);
        }
        if (warehouse is null)
        {
            if (!options.NoLedger) JobLog.NoWarehouseYet(logger, options.Connection ?? SparkifyOptions.DefaultDuckDb);
            return (new Dictionary<string, string>(), [], false);
        }
        return await warehouse.HasLedgerAsync(ct)
            ? (await warehouse.ReadLedgerAsync(ct), await warehouse.ReadFieldBaselineAsync(ct), true)
            : (new Dictionary<string, string>(), [], false);
    }

    private async Task<RunReport> ExecuteAsync(RunPlan plan, CancellationToken ct)
    {
        try
        {
            var staged = await StageAsync(plan, ct);
            var stopped = Gate(staged);
            var loaded = stopped is null ? await LoadAsync(plan, staged, ct) : Loaded.Nothing;
            return await ReportAsync(plan, staged, stopped, loaded, ct);
        }
        finally
        {
            progress?.Finished();
        }
    }

    /// <summary>Step 2: the run's staging folder — the planned files through the pipeline into Parquet parts and manifests.</summary>
    private async Task<StagedRun> StageAsync(RunPlan plan, CancellationToken ct)
    {
        var runId = NewRunId(plan.Started);
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal) { ["list"] = plan.Clock.Elapsed.TotalSeconds };
        JobLog.RunPlanned(logger, runId, plan.Listed.Count, plan.Todo.Count, plan.Listed.Count - plan.Todo.Count);
        await StagingRetention.PruneAsync(infrastructure.Staging, options.KeepRuns, runId, logger, ct);

        var pipeline = new IngestPipeline(f => f.Kind == RecordKind.Song ? infrastructure.Songs : infrastructure.Logs,
            infrastructure.PipelineOptions, PhaseAsync);
        var running = new RunAccounting();
        progress?.Started(runId, running, plan.Todo);
        IngestResult ingest;
        // The sink is disposed before the load: a remote store's local work folder goes then.
        await using (var sink = new StagingSink(infrastructure.Staging, runId))
            ingest = await pipeline.RunAsync(plan.Todo, sink, running, ct);
        seconds["parse_and_stage"] = ingest.ParseTime.TotalSeconds;
        seconds["write_manifests"] = ingest.StageTime.TotalSeconds;
        // Accounting.Files sorts a fresh copy of every file's counts (20,000 entries) each time it is read: read once.
        var files = ingest.Accounting.Files;
        var drift = SchemaDrift.Judge(files, plan.Baseline);
        if (drift.Found) JobLog.DriftFound(logger, drift.Describe());   // once per run
        return new StagedRun(runId, ingest, files, drift, seconds);
    }

    /// <summary>
    /// Step 3: whether what was staged may be loaded. Too many rejects, or a vanished contract field under --on-drift
    /// fail, stops the run with that outcome; null lets it go on. A stopped run writes no package.json, so neither it
    /// nor a later run loads what it staged.
    /// </summary>
    private Stopped? Gate(StagedRun staged)
    {
        var accounting = staged.Ingest.Accounting;
        if (options.MaxRejects.IsExceeded(accounting.Rejected(), accounting.Read()))
        {
            return new Stopped(RunStatus.RejectLimit,
                $"{accounting.Rejected():N0} of {accounting.Read():N0} records rejected, over --max-rejects " +
                $"{options.MaxRejects}; nothing was loaded (see {staged.Ingest.RejectsUrl})");
        }
        if (options.OnDrift == DriftPolicy.Fail && staged.Drift.VanishedFields.Count > 0)
        {
            return new Stopped(RunStatus.SchemaDrift,
                $"schema drift: {string.Join(", ", staged.Drift.VanishedFields.Select(v => $"{v.Kind} field {v.Field}"))} " +
                "vanished and --on-drift is fail; nothing was loaded (see report.json's drift)");
        }
        return null;
    }

    /// <summary>
    /// Step 4: the run's package committed (package.json, state "staged": from here a crash loses nothing), then — unless
    /// the run only stages — loaded with the waiting packages the plan chose, in one transaction.
    /// </summary>
    private async Task<Loaded> LoadAsync(RunPlan plan, StagedRun staged, CancellationToken ct)
    {
        var ingest = staged.Ingest;
        var own = plan.Todo.Count > 0 ? await _packages.StageAsync(PackageOf(staged.RunId, plan.Started, ingest, staged.Files), ct) : null;
        if (own is not null)
        {
            JobLog.PackageStaged(logger, staged.RunId, own.Package.Files.Count, ingest.EventRows, ingest.SongRows,
                options.Shard.ToString());
        }
        if (options.Mode == RunMode.Stage) return Loaded.Nothing;

        await PackageLoading.SettleAsync(_packages, plan.Choice, staged.RunId, logger, ct);
        List<StoredPackage> packages = [.. plan.Choice.Load];
        if (own is not null) packages.Add(own);
        if (packages.Count == 0) return new Loaded(null, packages);
        var replace = options.Mode == RunMode.Replace ? options.Range : (DateRange?)null;
        if (replace is not null) await SayReplacedAsync(plan, ct);
        var load = await PackageLoading.LoadAsync(Warehouse, _packages, packages, staged.RunId, PhaseAsync, replace, logger, ct);
        staged.Seconds["load_staging"] = load.LoadStaging.TotalSeconds;
        staged.Seconds["merge"] = load.Merge.TotalSeconds;
        return new Loaded(load, packages);
    }

    /// <summary>Step 5: report.json (and --report's copy), with the warehouse's row totals.</summary>
    private async Task<RunReport> ReportAsync(RunPlan plan, StagedRun staged, Stopped? stopped, Loaded loaded, CancellationToken ct)
    {
        // After a commit nothing may be cancelled: the report of a committed run must be written, and a late
        // Ctrl+C must not make the run look failed.
        var load = loaded.Load;
        var after = load is null ? ct : CancellationToken.None;
        staged.Seconds["total"] = plan.Clock.Elapsed.TotalSeconds;
        JobLog.Runtime(logger, GC.GetTotalAllocatedBytes() / 1_048_576,
            GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration().TotalSeconds);

        var totals = load?.Totals
            ?? (options.Mode == RunMode.Stage ? new Dictionary<string, long>() : await Warehouse.CountRowsAsync(after));
        var status = stopped?.Status ?? (options.Mode == RunMode.Stage ? RunStatus.Staged : RunStatus.Succeeded);
        var report = BuildReport(plan, staged, status, stopped?.Error, loaded, totals);
        if (load is null) await report.WriteAsync(infrastructure.Staging, options.ReportPath, after);
        else await report.WriteAfterCommitAsync(infrastructure.Staging, options.ReportPath);
        return report;
    }

    /// <summary>
    /// backfill --replace, before its load deletes: how many songplays of the range (its days, and those its log files
    /// gave on other days) the warehouse holds. All of them are replaced by what the range's log files hold now,
    /// whichever source or file they came from.
    /// </summary>
    private async Task SayReplacedAsync(RunPlan plan, CancellationToken ct)
    {
        var count = (await Warehouse.CountReplacedAsync(options.Range, EventKeys(plan), ct)).Songplays;
        JobLog.Replacing(logger, count, options.Range.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "the first day",
            options.Range.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "the last day");
    }

    /// <summary>The log files the plan reads, by key: under backfill --replace, every one of the range.</summary>
    private static string[] EventKeys(RunPlan plan) => [.. plan.Todo.Where(f => f.Kind == RecordKind.Event).Select(f => f.Key)];

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
        if (options.Mode == RunMode.Replace && file.Kind == RecordKind.Event) return false;   // backfill --replace re-reads its range
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

    private RunReport BuildReport(RunPlan plan, StagedRun staged, RunStatus status, string? error, Loaded loaded,
        IReadOnlyDictionary<string, long> totals)
    {
        var (listed, todo) = (plan.Listed, plan.Todo);
        var (accounting, files, drift, seconds) = (staged.Ingest.Accounting, staged.Files, staged.Drift, staged.Seconds);
        var load = loaded.Load;
        var resumedFiles = plan.Choice.Load.Sum(p => p.Package.Files.Count);
        var rows = StarTables.All.ToDictionary(t => t, t => new TableChanges(
            Change(load, t, "inserted"), Change(load, t, "updated"), Change(load, t, "deleted")));
        var events = accounting.Read(RecordKind.Event);
        return new RunReport
        {
            RunId = staged.RunId,
            Status = status,
            Error = error,
            Target = infrastructure.Warehouse?.Target ?? options.Target,
            StartedAt = plan.Started,
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
            Staging = infrastructure.Staging.UrlOf(RunPaths.Prefix(staged.RunId)),
            RejectsFile = staged.Ingest.RejectsUrl,
            Packages = loaded.Packages.Count > 0 ? [.. loaded.Packages.Select(p => p.RunId)] : null,
            Drift = todo.Count > 0 ? drift : null,
            PerFile = [.. files.Select(f => new FileReport(f.File.Key, f.File.Kind.Name(), f.Read, f.Valid, f.Rejected,
                drift.PerFile?.GetValueOrDefault(f.File.Key)))],
        };
    }

    internal static long Change(LoadResult? load, string table, string kind) =>
        load?.Changes.TryGetValue($"{table}.{kind}", out var n) == true ? n : 0;

    internal static string NewRunId(DateTimeOffset started) =>
        $"{started:yyyyMMdd'T'HHmmss.fff'Z'}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>What <see cref="PlanAsync"/> decided: the files to read and the waiting packages to load with them.</summary>
    private sealed record RunPlan(
        DateTimeOffset Started, Stopwatch Clock, List<SourceObject> Listed, List<SourceObject> Todo, PackageChoice Choice,
        IReadOnlyDictionary<string, string> Ledger, bool HasLedger, IReadOnlyDictionary<string, string>? Held,
        IReadOnlyList<FieldBaseline> Baseline);

    /// <summary>What <see cref="StageAsync"/> wrote: the pipeline's result, every file's counts, the drift found, the step times.</summary>
    private sealed record StagedRun(
        string RunId, IngestResult Ingest, IReadOnlyList<FileCounts> Files, DriftReport Drift, Dictionary<string, double> Seconds);

    /// <summary>Why <see cref="Gate"/> stopped a run: the status (exit 3) and the one-line error.</summary>
    private sealed record Stopped(RunStatus Status, string Error);

    /// <summary>What <see cref="LoadAsync"/> loaded: the load's result (null when nothing was) and the packages it loaded.</summary>
    private sealed record Loaded(LoadResult? Load, IReadOnlyList<StoredPackage> Packages)
    {
        public static readonly Loaded Nothing = new(null, []);
    }
}

/// <summary>The run's sources, staging store, warehouse and pipeline sizing, opened once from the options.</summary>
/// <param name="Warehouse">Null only for staging without a ledger (--no-ledger, or no DuckDB file yet).</param>
internal sealed record Infrastructure(
    IObjectSource Songs, IObjectSource Logs, IStagingStore Staging, IWarehouse? Warehouse, PipelineOptions PipelineOptions)
    : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Warehouse?.DisposeAsync() ?? ValueTask.CompletedTask;
}
