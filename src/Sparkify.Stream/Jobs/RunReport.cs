using System.Text.Json;
using System.Text.Json.Serialization;
using Sparkify.Stream.Staging;

namespace Sparkify.Stream.Jobs;

/// <summary>report.json: what one run listed, read, rejected, loaded and how long each stage took.</summary>
internal sealed record RunReport
{
    public required string RunId { get; init; }
    public required RunStatus Status { get; init; }
    public string? Error { get; init; }
    public required string Target { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
    public required FileTotals Files { get; init; }
    public required RecordTotals Records { get; init; }
    public required IReadOnlyDictionary<string, RecordTotals> RecordsByKind { get; init; }
    public required IReadOnlyDictionary<string, TableChanges> Rows { get; init; }
    public required IReadOnlyDictionary<string, long> Totals { get; init; }
    public required IReadOnlyDictionary<string, double> Seconds { get; init; }
    public double EventsPerSecond { get; init; }
    public long BytesRead { get; init; }
    public double PeakMemoryMb { get; init; }
    public string? Staging { get; init; }
    public string? RejectsFile { get; init; }
    /// <summary>The load packages this run committed (its own and any it resumed), or null when it loaded none.</summary>
    public IReadOnlyList<string>? Packages { get; init; }

    /// <summary>Schema drift: fields outside the contract and contract fields that vanished (see SchemaDrift); null when no file was read.</summary>
    public DriftReport? Drift { get; init; }
    public required IReadOnlyList<FileReport> PerFile { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        // Properties are named in snake_case by this policy (report.json/package.json field names); an attribute only
        // where a name differs.
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = JobsJsonContext.Default,
    };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static RunReport Parse(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<RunReport>(json, Json) ?? throw new InvalidDataException("empty report");

    /// <summary>Where a run's report lives in the staging area.</summary>
    public static string PathOf(string runId) => $"{RunPaths.Prefix(runId)}/report.json";

    /// <summary>Stores the report as <c>runs/&lt;run_id&gt;/report.json</c> and, with <c>--report</c>, at that path too.</summary>
    public async Task WriteAsync(IStagingStore store, string? copyTo, CancellationToken ct)
    {
        var json = ToJson();
        await store.PutBytesAsync(PathOf(RunId), json, ct);
        if (copyTo is null) return;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(copyTo))!);
        await File.WriteAllBytesAsync(copyTo, json, ct);
    }

    /// <summary>
    /// <see cref="WriteAsync"/> for a run whose load committed: not cancellable, and a failure is exit 4 ("loaded and
    /// committed; the report could not be written …"), never "nothing was committed".
    /// </summary>
    public Task WriteAfterCommitAsync(IStagingStore store, string? copyTo) =>
        CommittedException.AfterCommitAsync(
            $"the report could not be written to {(copyTo is null ? store.UrlOf(PathOf(RunId)) : $"{store.UrlOf(PathOf(RunId))} and {copyTo}")}",
            () => WriteAsync(store, copyTo, CancellationToken.None));

    /// <summary>
    /// Before anything runs: the <c>--report</c> path can be written (its folder made, the file opened for writing; a
    /// file this made is removed again), so a run never loads and commits only to fail at its report. Exit 2 otherwise.
    /// </summary>
    public static void CheckWritable(string? path)
    {
        if (path is null) return;
        try
        {
            var full = Path.GetFullPath(path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            var existed = File.Exists(full);
            using (new FileStream(full, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite))
            {
            }
            if (!existed) File.Delete(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ConfigurationException($"--report {path} cannot be written ({e.Message}); nothing was run", e);
        }
    }

    /// <summary>The report of <paramref name="runId"/> in the staging area, or null when it wrote none.</summary>
    public static async Task<RunReport?> ReadAsync(IStagingStore store, string runId, CancellationToken ct) =>
        await StagingReads.ReadBytesAsync(store, PathOf(runId), ct) is { } json ? Parse(json) : null;
}

/// <summary>How a run ended ("succeeded", "staged", "reject_limit", "schema_drift" in report.json). A failed run writes no report.</summary>
internal enum RunStatus
{
    /// <summary>Loaded and committed (or nothing to load).</summary>
    Succeeded,

    /// <summary>`sparkify stage` (--stage-only): a load package written, nothing loaded.</summary>
    Staged,

    /// <summary>More rejects than --max-rejects allows: nothing loaded; exit 3.</summary>
    RejectLimit,

    /// <summary>A contract field vanished and --on-drift is fail: nothing loaded; exit 3.</summary>
    SchemaDrift,
}

internal static class RunStatuses
{
    /// <summary>The status as report.json and the summary line spell it: "succeeded", "staged", "reject_limit", "schema_drift".</summary>
    public static string Name(this RunStatus status) => JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());

    /// <summary>An outcome that loaded nothing on purpose (exit 3): the reject limit or schema drift with --on-drift fail.</summary>
    public static bool IsStopped(this RunStatus status) => status is RunStatus.RejectLimit or RunStatus.SchemaDrift;
}

internal sealed record FileTotals(
    int Listed,
    int Skipped,
    int Loaded);

internal sealed record RecordTotals(
    long Read,
    long Valid,
    long Rejected,
    IReadOnlyDictionary<string, long>? RejectedByReason = null);

internal sealed record TableChanges(
    long Inserted,
    long Updated,
    long Deleted);

internal sealed record FileReport(
    string SourceKey,
    string Kind,
    long Read,
    long Valid,
    long Rejected,
    FileDrift? Drift = null);

/// <summary>
/// report.json's serialization code, generated at build time (System.Text.Json source generation) instead of made by
/// reflection at run time: a run no longer JIT-compiles the serializer's reflection paths for a report of 20,000
/// files. Its options are those of <see cref="RunReport"/>'s serializer (which also sets the encoder).
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunReport))]
internal sealed partial class JobsJsonContext : JsonSerializerContext;
