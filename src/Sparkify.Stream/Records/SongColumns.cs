namespace Sparkify.Stream.Records;

/// <summary>
/// <c>staging_songs</c>, column by column (docs/semantics.md#staging-tables order), with how each is read from a song object (docs/semantics.md#validation-rules); see
/// <see cref="EventColumns"/> for what follows it.
/// </summary>
internal static class SongColumns
{
    private const int StringTypeRank = 6, TooLongRank = 7;

    public static readonly StagingTable Table = new("songs", "song",
    [
        Col("song_id", ColumnType.Text, nullable: false, s => s.SongId) with { Source = new("song_id", 0) },
        Col("title", ColumnType.Text, nullable: true, s => s.Title) with { Source = new("title") },
        Text("artist_id", s => s.ArtistId),
        Text("artist_name", s => s.ArtistName),
        Text("artist_location", s => s.ArtistLocation),
        Col("artist_latitude", ColumnType.Double, nullable: true, s => s.ArtistLatitude) with
        {
            Source = new("artist_latitude", 4)
            {
                NumberRange = new(-90, 90, v => $"artist_latitude {v} is outside -90 to 90"),
            },
        },
        Col("artist_longitude", ColumnType.Double, nullable: true, s => s.ArtistLongitude) with
        {
            Source = new("artist_longitude", 5)
            {
                NumberRange = new(-180, 180, v => $"artist_longitude {v} is outside -180 to 180"),
            },
        },
        Col("duration", ColumnType.Double, nullable: true, s => s.Duration) with
        {
            Source = new("duration", 1) { NumberRange = new(0, double.MaxValue, v => $"duration {v} is negative") },
        },
        Col("year", ColumnType.Int32, nullable: true, s => s.Year) with { Source = new("year", 2) { ZeroIsNull = true } },
        Col("num_songs", ColumnType.Int32, nullable: true, s => s.NumSongs) with { Source = new("num_songs", 3) },
        Col("source_key", ColumnType.Text, nullable: false, s => s.SourceKey),
    ], StringTypeRank, TooLongRank);

    private static StagingColumn Col(string name, ColumnType type, bool nullable, Func<SongRecord, object?> get) =>
        new(name, type, nullable) { Get = get };

    /// <summary>An artist's text field: artists repeat across songs, so it has a cache.</summary>
    private static StagingColumn Text(string name, Func<SongRecord, object?> get) =>
        new(name, ColumnType.Text) { Source = new SourceField(name) { CacheSize = 4096 }, Get = get };
}
