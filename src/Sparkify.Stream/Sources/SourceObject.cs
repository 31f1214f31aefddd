namespace Sparkify.Stream.Sources;

/// <summary>One input file as listed by a source, before it is read.</summary>
/// <param name="Key">Stable identity in the ledger: <c>song_data/A/B/C/x.json</c> relative to the source root
/// for local folders, the full <c>s3://bucket/key</c> for S3.</param>
/// <param name="Kind">Song or event file.</param>
/// <param name="Size">Bytes as stored (compressed size for .json.gz).</param>
/// <param name="Version">ETag for S3; size and modification time for local files. With the key, decides "already loaded".</param>
/// <param name="Date">For log files, the date read from the file name; null for song files.</param>
internal sealed record SourceObject(string Key, RecordKind Kind, long Size, string Version, DateOnly? Date)
{
    public bool IsGzip => Key.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
}
