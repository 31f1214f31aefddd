namespace Sparkify.Stream.Records;

/// <summary>One validated song of a song file: a row of <c>staging_songs</c> (docs/semantics.md#staging_songs).</summary>
/// <remarks>Strings are null where the input was missing, null or empty; <see cref="Year"/> 0 becomes null.</remarks>
internal sealed record SongRecord
{
    public required string SongId { get; init; }
    public string? Title { get; init; }
    public string? ArtistId { get; init; }
    public string? ArtistName { get; init; }
    public string? ArtistLocation { get; init; }
    public double? ArtistLatitude { get; init; }
    public double? ArtistLongitude { get; init; }
    public double? Duration { get; init; }
    public int? Year { get; init; }
    public int? NumSongs { get; init; }
    public required string SourceKey { get; init; }

    /// <summary>Row <paramref name="row"/> of a <c>staging_songs</c> batch as a record (tests and small callers).</summary>
    public static SongRecord FromRow(RecordBatch batch, int row)
    {
        object? V(string column) => batch.Value(column, row);
        return new SongRecord
        {
            SongId = (string)V("song_id")!,
            Title = (string?)V("title"),
            ArtistId = (string?)V("artist_id"),
            ArtistName = (string?)V("artist_name"),
            ArtistLocation = (string?)V("artist_location"),
            ArtistLatitude = (double?)V("artist_latitude"),
            ArtistLongitude = (double?)V("artist_longitude"),
            Duration = (double?)V("duration"),
            Year = (int?)V("year"),
            NumSongs = (int?)V("num_songs"),
            SourceKey = (string)V("source_key")!,
        };
    }
}
