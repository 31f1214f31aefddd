namespace Sparkify.Stream.Records;

/// <summary>Parses a song file: one JSON object, a JSON array of objects, or several objects one after another.</summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class SongFileParser
{
    /// <summary>Parses a whole (decompressed) song file; appends valid songs and rejects.</summary>
    /// <returns>The number of records read (valid + rejected); an empty file reads 0.</returns>
    public int Parse(ReadOnlySpan<byte> content, string sourceKey, List<SongRecord> songs, List<Reject> rejects) =>
        throw new NotImplementedException();
}
