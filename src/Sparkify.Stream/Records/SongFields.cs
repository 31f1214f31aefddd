using System.Text.Json;

namespace Sparkify.Stream.Records;

/// <summary>The fields of a song record (SPEC §1); <see cref="None"/> is any other name.</summary>
internal enum SongField : byte
{
    None,
    SongId,
    Duration,
    Year,
    NumSongs,
    ArtistLatitude,
    ArtistLongitude,
    Title,
    ArtistId,
    ArtistName,
    ArtistLocation,
}

/// <summary>Matches property names to <see cref="SongField"/> on their UTF-8 bytes, by length first.</summary>
internal static class SongFieldNames
{
    public static SongField Match(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped) return Match(reader.ValueSpan);
        if (reader.ValueSpan.Length > 128) return SongField.None; // decodes to more than 16 bytes: no field is that long
        Span<byte> buffer = stackalloc byte[128];
        try
        {
            return Match(buffer[..reader.CopyString(buffer)]);
        }
        catch (InvalidOperationException)
        {
            return SongField.None; // a name with a lone surrogate escape is no field of ours
        }
    }

    public static SongField Match(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 when name.SequenceEqual("year"u8) => SongField.Year,
        5 when name.SequenceEqual("title"u8) => SongField.Title,
        7 when name.SequenceEqual("song_id"u8) => SongField.SongId,
        8 when name.SequenceEqual("duration"u8) => SongField.Duration,
        9 when name.SequenceEqual("artist_id"u8) => SongField.ArtistId,
        9 when name.SequenceEqual("num_songs"u8) => SongField.NumSongs,
        11 when name.SequenceEqual("artist_name"u8) => SongField.ArtistName,
        15 when name.SequenceEqual("artist_location"u8) => SongField.ArtistLocation,
        15 when name.SequenceEqual("artist_latitude"u8) => SongField.ArtistLatitude,
        16 when name.SequenceEqual("artist_longitude"u8) => SongField.ArtistLongitude,
        _ => SongField.None,
    };

    public static string Name(SongField field) => field switch
    {
        SongField.SongId => "song_id",
        SongField.Duration => "duration",
        SongField.Year => "year",
        SongField.NumSongs => "num_songs",
        SongField.ArtistLatitude => "artist_latitude",
        SongField.ArtistLongitude => "artist_longitude",
        SongField.Title => "title",
        SongField.ArtistId => "artist_id",
        SongField.ArtistName => "artist_name",
        SongField.ArtistLocation => "artist_location",
        _ => "",
    };
}

/// <summary>The values of one song while its object is read; a plain struct on the stack.</summary>
internal struct SongFields
{
    public string? SongId, Title, ArtistId, ArtistName, ArtistLocation;
    public double Latitude, Longitude, Duration;
    public long Year, NumSongs;
    public ValueState SongIdState, LatitudeState, LongitudeState, DurationState, YearState, NumSongsState;
    public bool SongIdEmpty;

    public readonly SongRecord ToSong(string sourceKey) => new()
    {
        SongId = SongId!,
        Title = Title,
        ArtistId = ArtistId,
        ArtistName = ArtistName,
        ArtistLocation = ArtistLocation,
        ArtistLatitude = LatitudeState == ValueState.Value ? Latitude : null,
        ArtistLongitude = LongitudeState == ValueState.Value ? Longitude : null,
        Duration = DurationState == ValueState.Value ? Duration : null,
        Year = YearState == ValueState.Value && Year != 0 ? (int)Year : null, // year 0 means unknown
        NumSongs = NumSongsState == ValueState.Value ? (int)NumSongs : null,
        SourceKey = sourceKey,
    };
}
