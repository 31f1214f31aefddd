using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sparkify.Stream.Staging;

/// <summary>A Redshift COPY manifest: every part file once, with its exact size (docs/semantics.md#parquet-encoding).</summary>
internal sealed record CopyManifest(
    [property: JsonPropertyName("entries")] IReadOnlyList<ManifestEntry> Entries)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, TypeInfoResolver = StagingJsonContext.Default };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static CopyManifest Parse(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<CopyManifest>(json, Json)
        ?? throw new InvalidDataException("empty COPY manifest");
}

internal sealed record ManifestEntry(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("mandatory")] bool Mandatory,
    [property: JsonPropertyName("meta")] ManifestMeta Meta);

internal sealed record ManifestMeta(
    [property: JsonPropertyName("content_length")] long ContentLength);
