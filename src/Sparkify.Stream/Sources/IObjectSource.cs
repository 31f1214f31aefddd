namespace Sparkify.Stream.Sources;

/// <summary>Where input files come from: a local folder or an S3 prefix.</summary>
internal interface IObjectSource
{
    /// <summary>A readable description for logs (never contains credentials).</summary>
    string Description { get; }

    /// <summary>
    /// How many files are worth reading at once from here: 1 for a local disk (reads are cheap and sequential), many
    /// for S3 (each GET waits tens of milliseconds for its first byte, and they overlap).
    /// </summary>
    int ConcurrentReads { get; }

    /// <summary>
    /// Lists the <c>.json</c> and <c>.json.gz</c> files below the root, recursively, as <paramref name="kind"/>.
    /// Log files outside <paramref name="range"/> (by the date in the file name) are not listed; a log file
    /// whose name has no date is listed only when the range is open on both sides.
    /// </summary>
    IAsyncEnumerable<SourceObject> ListAsync(RecordKind kind, DateRange range, CancellationToken ct);

    /// <summary>Opens the file for streaming (not decompressed). The caller disposes the stream.</summary>
    Task<System.IO.Stream> OpenReadAsync(SourceObject obj, CancellationToken ct);
}
