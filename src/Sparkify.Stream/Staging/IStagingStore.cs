using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Staging;

/// <summary>
/// Where a run's Parquet parts, manifests, rejects.csv and report.json go: a local folder or an S3 prefix.
/// Paths given to it are relative ("runs/&lt;run_id&gt;/events/part-00000.parquet", '/'-separated).
/// </summary>
internal interface IStagingStore
{
    /// <summary>A readable description for logs (never contains credentials).</summary>
    string Description { get; }

    /// <summary>The URL a manifest lists for a relative path: an absolute file path locally, <c>s3://bucket/key</c> on S3.</summary>
    string UrlOf(string relativePath);

    /// <summary>Stores the content of a finished local file under the relative path (upload, or move/copy locally).</summary>
    /// <returns>The stored object's size in bytes.</returns>
    Task<long> PutFileAsync(string relativePath, string localFile, CancellationToken ct);

    /// <summary>Stores small content (manifests, reports) under the relative path.</summary>
    Task PutBytesAsync(string relativePath, ReadOnlyMemory<byte> content, CancellationToken ct);

    /// <summary>Reads small content (package.json, state.json, reports) by relative path; null when there is none.</summary>
    Task<byte[]?> ReadBytesAsync(string relativePath, CancellationToken ct);

    /// <summary>Opens a stored object by the URL <see cref="UrlOf"/> gave for it.</summary>
    Task<System.IO.Stream> OpenReadAsync(string url, CancellationToken ct);

    /// <summary>The stored object's size by URL (to check a manifest's content_length).</summary>
    Task<long> SizeOfAsync(string url, CancellationToken ct);

    /// <summary>Lists the run ids under <c>runs/</c>.</summary>
    IAsyncEnumerable<string> ListRunsAsync(CancellationToken ct);

    /// <summary>Deletes everything under <c>runs/&lt;runId&gt;/</c>.</summary>
    Task DeleteRunAsync(string runId, CancellationToken ct);

    /// <summary>
    /// The path on this machine of what <paramref name="url"/> (as <see cref="UrlOf"/> gave it) names, when the staging
    /// area is a local folder: parts are then written in place and DuckDB reads them where they are. Null when the
    /// store is remote (S3): write locally and upload, download to read.
    /// </summary>
    string? LocalPathOf(string url);

    /// <summary>The bucket and prefix of the staging area when it is on S3 (Redshift COPY reads it there itself); else null.</summary>
    S3Uri? S3Location { get; }
}

/// <summary>Where a run's files live in the staging area.</summary>
internal static class RunPaths
{
    public static string Prefix(string runId) => "runs/" + runId;
}
