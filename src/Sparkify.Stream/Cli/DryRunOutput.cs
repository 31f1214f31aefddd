using System.Globalization;
using Spectre.Console;
using Sparkify.Stream.Configuration;
using Sparkify.Stream.Jobs;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Cli;

/// <summary>
/// What <c>--dry-run</c> prints: the files per kind and action with their sizes, then one line per listed file (action,
/// kind, bytes, key: plain columns to grep and sort), the waiting packages the run would load or mark superseded, what
/// <c>backfill --replace</c> would delete per star table, and the staging folders it would prune.
/// </summary>
internal static class DryRunOutput
{
    private static readonly FileAction[] Actions = Enum.GetValues<FileAction>();

    public static void Print(IAnsiConsole console, TextWriter output, RunPreview preview, SparkifyOptions options)
    {
        console.MarkupLine($"[bold]dry run[/] of {Markup.Escape(What(preview.Mode, options))}: nothing was staged, pruned, created or loaded");
        console.MarkupLine(Markup.Escape(
            preview.WarehouseExists ? $"warehouse: {preview.Target} at {preview.Endpoint}"
            : preview.Endpoint is null ? $"warehouse: no {preview.Target} file at {Path.GetFullPath(InfrastructureFactory.DuckDbPath(options))} yet: every file is new"
            : $"warehouse: {preview.Target} at {preview.Endpoint} holds no sparkify tables yet: every file is new"));

        var summary = new Table().Border(TableBorder.Rounded).Title("files");
        summary.AddColumn("kind");
        foreach (var action in Actions) summary.AddColumn(new TableColumn(Heading(action)).RightAligned());
        foreach (var kind in new[] { RecordKind.Song, RecordKind.Event })
        {
            var files = preview.Files.Where(f => f.File.Kind == kind).ToList();
            summary.AddRow([KindName(kind), .. Actions.Select(a => Cell(files.Where(f => f.Action == a).ToList()))]);
        }
        summary.AddRow(["[bold]all[/]", .. Actions.Select(a => Cell(preview.Files.Where(f => f.Action == a).ToList()))]);
        console.Write(summary);

        // One line per file, in action order (the files read first), then by key.
        var width = preview.Files.Count == 0 ? 0 : preview.Files.Max(f => N(f.File.Size).Length);
        foreach (var file in preview.Files.OrderBy(f => f.Action).ThenBy(f => f.File.Key, StringComparer.Ordinal))
            output.WriteLine($"{file.Action.Name(),-10}  {KindName(file.File.Kind),-4}  {N(file.File.Size).PadLeft(width)}  {file.File.Key}");

        if (preview.Mode == RunMode.Load)
        {
            output.WriteLine(preview.Packages.Count == 0
                ? "waiting packages it would load: none"
                : $"waiting packages it would load with its own files ({preview.Packages.Count}):");
            foreach (var p in preview.Packages)
            {
                output.WriteLine($"  {p.RunId}  {N(p.Package.Files.Count)} files, {N(PackageCommands.Rows(p, "staging_events"))} events, " +
                                 $"{N(PackageCommands.Rows(p, "staging_songs"))} songs, staged {p.Package.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
            }
            foreach (var (p, why) in preview.Superseded)
                output.WriteLine($"  {p.RunId}  would be marked superseded, not loaded: {why}");
        }
        if (preview.Mode == RunMode.Replace)
        {
            if (preview.Replace is not { } r)
            {
                output.WriteLine("--replace would delete nothing: the warehouse holds no songplays yet");
            }
            else
            {
                output.WriteLine($"--replace would delete: songplays {N(r.Songplays)} of {N(r.Totals["songplays"])} (those of the range's days " +
                                 $"and those its log files gave before); time at most {N(r.Time)} of {N(r.Totals["time"])} (the rows no " +
                                 "other songplay uses; a re-read play keeps its own); users, songs, artists: none");
            }
        }
        output.WriteLine(preview.Prune.Count == 0
            ? $"staging: no earlier run's folder would be deleted (--keep-runs {options.KeepRuns})"
            : $"staging: the folders of {preview.Prune.Count} earlier runs would be deleted (--keep-runs {options.KeepRuns}): " +
              string.Join(", ", preview.Prune));
    }

    /// <summary>The same plan as one JSON document (snake_case, as report.json): every listed file with its action.</summary>
    public static string Json(RunPreview preview, SparkifyOptions options)
    {
        var warehouse = preview.Endpoint ?? Path.GetFullPath(InfrastructureFactory.DuckDbPath(options));
        var document = new DryRunPlan(
            preview.Mode.ToString().ToLowerInvariant(), preview.Target, warehouse, preview.WarehouseExists,
            [.. preview.Files.OrderBy(f => f.Action).ThenBy(f => f.File.Key, StringComparer.Ordinal)
                .Select(f => new DryRunFile(f.File.Key, KindName(f.File.Kind), f.Action.Name(), f.File.Size))],
            [.. preview.Packages.Select(p => new DryRunPackage(p.RunId, p.Package.Files.Count,
                PackageCommands.Rows(p, "staging_events"), PackageCommands.Rows(p, "staging_songs"), p.Package.CreatedAt))],
            [.. preview.Superseded.Select(s => new DryRunSuperseded(s.Package.RunId, s.Why))],
            preview.Replace is { } r ? new DryRunReplace(r.Songplays, r.Time, r.Totals) : null,
            preview.Prune);
        return System.Text.Json.JsonSerializer.Serialize(document, DryRunJsonContext.Default.DryRunPlan);
    }

    private static string What(RunMode mode, SparkifyOptions options) => mode switch
    {
        RunMode.Replace => $"backfill --replace {Day(options.Range.From)}…{Day(options.Range.To)}",
        RunMode.Stage => "staging (no load)",
        _ when options.Range != DateRange.All => $"a load of {Day(options.Range.From)}…{Day(options.Range.To)}",
        _ => "a load",
    };

    private static string Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "any day";

    private static string Heading(FileAction action) => action switch
    {
        FileAction.New => "new",
        FileAction.Changed => "changed",
        FileAction.Again => "re-read",
        FileAction.InPackage => "in a waiting package",
        _ => "skipped (loaded)",
    };

    private static string KindName(RecordKind kind) => kind == RecordKind.Song ? "song" : "log";

    private static string Cell(IReadOnlyCollection<PlannedFile> files) =>
        files.Count == 0 ? "0" : $"{N(files.Count)} ({Size(files.Sum(f => f.File.Size))})";

    /// <summary>"812 B", "24.1 KB", "3.6 MB", "1.2 GB" (powers of 1,024).</summary>
    internal static string Size(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        var value = (double)bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:F1} {units[unit]}");
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary><c>--dry-run json</c>: the plan. <paramref name="Warehouse"/>: where it is, or the DuckDB file a run would make.</summary>
internal sealed record DryRunPlan(
    string Mode, string Target, string Warehouse, bool WarehouseExists, IReadOnlyList<DryRunFile> Files,
    IReadOnlyList<DryRunPackage> Packages, IReadOnlyList<DryRunSuperseded> Superseded, DryRunReplace? Replace,
    IReadOnlyList<string> Prune);

/// <summary>A listed file: <paramref name="Action"/> is new, changed, re-read, in-package or skipped.</summary>
internal sealed record DryRunFile(string Key, string Kind, string Action, long Size);

internal sealed record DryRunPackage(string RunId, int Files, long Events, long Songs, DateTimeOffset StagedAt);

internal sealed record DryRunSuperseded(string RunId, string Why);

/// <summary>What backfill --replace would delete: songplays exactly, time rows at most; each table's rows now.</summary>
internal sealed record DryRunReplace(long Songplays, long TimeAtMost, IReadOnlyDictionary<string, long> Totals);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(
    PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(DryRunPlan))]
internal sealed partial class DryRunJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
