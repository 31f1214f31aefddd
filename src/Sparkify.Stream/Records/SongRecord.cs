namespace Sparkify.Stream.Records;

/// <summary>One validated song of a song file: a row of <c>staging_songs</c> (SPEC §2).</summary>
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
}
