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
    /// Lists the input files below the root (<see cref="InputFiles"/>: JSON and JSON Lines, gzipped or not),
    /// recursively, as <paramref name="kind"/>.
    /// Log files outside <paramref name="range"/> (by the date in the file name) are not listed; a log file
    /// whose name has no date is listed only when the range is open on both sides.
    /// </summary>
    IAsyncEnumerable<SourceObject> ListAsync(RecordKind kind, DateRange range, CancellationToken ct);

    /// <summary>
    /// When the root holds files but no input file at all, those files (names below the root); otherwise
    /// <see cref="OtherFiles.None"/>. Asked only when a listing found nothing, to tell a wrong folder from an empty one.
    /// </summary>
    Task<OtherFiles> OtherFilesAsync(CancellationToken ct);

    /// <summary>Opens the file for streaming (not decompressed). The caller disposes the stream.</summary>
    Task<System.IO.Stream> OpenReadAsync(SourceObject obj, CancellationToken ct);
}
