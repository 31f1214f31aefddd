using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sparkify.Stream.Staging;

/// <summary>
/// A load package (<c>runs/&lt;run_id&gt;/package.json</c>): what one staging run wrote, immutable once written.
/// Written after every part, manifest and rejects.csv, so its presence means the folder is complete; its state
/// lives beside it in <c>state.json</c> (<see cref="PackageStatus"/>).
/// </summary>
internal sealed record LoadPackage
{
    /// <summary>The layout this release writes; a package of a newer format is refused, not guessed at.</summary>
    public const int CurrentFormat = 1;

    public int FormatVersion { get; init; } = CurrentFormat;
    public required string RunId { get; init; }

    /// <summary>"I/N" of <c>--shard</c>; "1/1" for the whole input.</summary>
    public required string Shard { get; init; }

    /// <summary>The song and log locations listed (folders or s3:// prefixes, never credentials).</summary>
    public required IReadOnlyList<string> Sources { get; init; }

    public required IReadOnlyList<PackageFile> Files { get; init; }

    /// <summary>Rows staged per staging table.</summary>
    public required IReadOnlyDictionary<string, long> Rows { get; init; }

    /// <summary>The COPY manifest of each staging table, staging-relative ("runs/&lt;id&gt;/staging_events.manifest").</summary>
    public required PackageManifests Manifests { get; init; }

    public string? RejectsFile { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, PackageJson.Options);

    public static LoadPackage Parse(ReadOnlySpan<byte> json, string where)
    {
        LoadPackage? package;
        try
        {
            package = JsonSerializer.Deserialize<LoadPackage>(json, PackageJson.Options);
        }
        catch (JsonException ex)
        {
            throw new SparkifyException($"{where} is not a load package: {ex.Message}", inner: ex);
        }
        if (package is null) throw new SparkifyException($"{where} is empty");
        if (package.FormatVersion != CurrentFormat)
        {
            throw new SparkifyException(
                $"{where} has format_version {package.FormatVersion}; this release reads {CurrentFormat} (use the release that wrote it)");
        }
        return package;
    }
}

/// <summary>An input file a package holds: its ledger key and version when it was read, and what it gave.</summary>
internal sealed record PackageFile(
    string Key,
    string Kind,
    string Version,
    long Size,
    long Read,
    long Valid,
    long Rejected);

/// <summary>The staging tables' manifests (staging-relative paths), in load order.</summary>
/// <param name="FieldCounts">staging_field_counts (schema-drift history); null in packages staged before it existed.</param>
internal sealed record PackageManifests(
    [property: JsonPropertyName("staging_events")] string Events,
    [property: JsonPropertyName("staging_songs")] string Songs,
    [property: JsonPropertyName("staging_files")] string Files,
    [property: JsonPropertyName("staging_field_counts")] string? FieldCounts = null)
{
    /// <summary>Each staging table with its manifest, in load order (a table without one is left out).</summary>
    public IEnumerable<(string Table, string Manifest)> Tables()
    {
        yield return ("staging_events", Events);
        yield return ("staging_songs", Songs);
        yield return ("staging_files", Files);
        if (FieldCounts is not null) yield return ("staging_field_counts", FieldCounts);
    }
}

/// <summary>A package's state: staged → loading → loaded, or failed (retried by the next load), or superseded.</summary>
internal enum PackageState
{
    /// <summary>Complete, not loaded yet.</summary>
    Staged,

    /// <summary>A load took it; if that load died, the next one takes it again.</summary>
    Loading,

    /// <summary>Committed into the warehouse.</summary>
    Loaded,

    /// <summary>A load of it failed and was rolled back; the next load tries again.</summary>
    Failed,

    /// <summary>A file it holds changed at the source (or a newer package holds all its files): never loaded.</summary>
    Superseded,
}

internal static class PackageStates
{
    /// <summary>"staged", "loading", … as state.json and `sparkify packages` spell it.</summary>
    public static string Name(this PackageState state) => JsonNamingPolicy.SnakeCaseLower.ConvertName(state.ToString());

    /// <summary>Still to be loaded: staged, or taken by a load that did not commit.</summary>
    public static bool IsPending(this PackageState state) =>
        state is PackageState.Staged or PackageState.Loading or PackageState.Failed;
}

/// <summary><c>runs/&lt;run_id&gt;/state.json</c>: the only mutable part of a package, replaced whole on each change.</summary>
internal sealed record PackageStatus(
    PackageState State,
    DateTimeOffset UpdatedAt,
    string? ByRun = null,
    string? Error = null)
{
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, PackageJson.Options);

    public static PackageStatus Parse(ReadOnlySpan<byte> json, string where)
    {
        try
        {
            return JsonSerializer.Deserialize<PackageStatus>(json, PackageJson.Options)
                ?? throw new SparkifyException($"{where} is empty");
        }
        catch (JsonException ex)
        {
            throw new SparkifyException($"{where} is not a package state: {ex.Message}", inner: ex);
        }
    }
}

/// <summary>A package with its current state, as <see cref="PackageStore"/> reads them.</summary>
internal sealed record StoredPackage(LoadPackage Package, PackageStatus Status)
{
    public string RunId => Package.RunId;
}

internal static class PackageJson
{
    /// <remarks>Not indented: a package of 20,000 song files is ~2 MB this way, 3 MB indented (`sparkify packages`
    /// is the view for people).</remarks>
    public static readonly JsonSerializerOptions Options = new()
    {
        // Properties are named in snake_case by this policy (report.json/package.json field names); an attribute only
        // where a name differs.
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = StagingJsonContext.Default,
    };
}

/// <summary>
/// package.json's, state.json's and the COPY manifests' serialization code, generated at build time (System.Text.Json
/// source generation) instead of made by reflection at run time. Their options are set where they are used.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LoadPackage))]
[JsonSerializable(typeof(PackageStatus))]
[JsonSerializable(typeof(CopyManifest))]
internal sealed partial class StagingJsonContext : JsonSerializerContext;
