using Sparkify.Stream.Records;
using static Sparkify.Stream.Tests.Records.SongFiles;

namespace Sparkify.Stream.Tests.Records;

/// <summary>Song records: every field typed as docs/semantics.md#staging_songs says, every song rule of docs/semantics.md#validation-rules with its reason and field.</summary>
public sealed class SongFileParserTests
{
    [Fact]
    public void Parses_every_field_of_a_song_file()
    {
        var s = Valid(Song);

        Assert.Equal("SOUPIRU12A6D4FA1E1", s.SongId);
        Assert.Equal("Der Kleine Dompfaff", s.Title);
        Assert.Equal("ARJIE2Y1187B994AB7", s.ArtistId);
        Assert.Equal("Line Renaud", s.ArtistName);
        Assert.Equal("Memphis, TN", s.ArtistLocation);
        Assert.Equal(35.14968, s.ArtistLatitude);
        Assert.Equal(-90.04892, s.ArtistLongitude);
        Assert.Equal(152.92036, s.Duration);
        Assert.Equal(1995, s.Year);
        Assert.Equal(1, s.NumSongs);
        Assert.Equal(Key, s.SourceKey);
    }

    [Fact]
    public void Reads_the_compact_form_without_spaces()
    {
        Assert.Equal("SOUPIRU12A6D4FA1E1", Valid(Song.Replace("\": ", "\":", StringComparison.Ordinal).Replace(", \"", ",\"", StringComparison.Ordinal)).SongId);
    }

    [Fact]
    public void Turns_year_0_into_null()
    {
        Assert.Null(Valid(SongWith("year", "0")).Year);
    }

    [Theory]
    [InlineData("\"2005\"", 2005)]
    [InlineData("2005.0", 2005)]
    [InlineData("-5", -5)]
    public void Reads_year_from_any_integral_number(string json, int expected)
    {
        Assert.Equal(expected, Valid(SongWith("year", json)).Year);
    }

    [Fact]
    public void Accepts_null_coordinates_and_empty_location_as_null()
    {
        var s = Valid(SongWith(("artist_latitude", "null"), ("artist_longitude", "null"), ("artist_location", "\"\"")));

        Assert.Null(s.ArtistLatitude);
        Assert.Null(s.ArtistLongitude);
        Assert.Null(s.ArtistLocation);
    }

    [Fact]
    public void Takes_a_number_in_artist_location_as_its_text()
    {
        Assert.Equal("27", Valid(SongWith("artist_location", "27")).ArtistLocation);
    }

    [Fact]
    public void Decodes_unicode_escapes_in_titles()
    {
        Assert.Equal("Clementina Santafè", Valid(SongWith("title", "\"Clementina Santaf\\u00e8\"")).Title);
    }

    [Theory]
    [InlineData("-90", -90.0)]
    [InlineData("90", 90.0)]
    [InlineData("\"45.5\"", 45.5)]
    public void Accepts_latitude_from_minus_90_to_90(string json, double expected)
    {
        Assert.Equal(expected, Valid(SongWith("artist_latitude", json)).ArtistLatitude);
    }

    [Fact]
    public void Treats_missing_optional_fields_as_null()
    {
        var s = Valid("""{"song_id":"SOAAAAA12A8C13B0D9"}""");

        Assert.Equal("SOAAAAA12A8C13B0D9", s.SongId);
        Assert.Null(s.Title);
        Assert.Null(s.Duration);
        Assert.Null(s.Year);
        Assert.Null(s.NumSongs);
    }

    [Fact]
    public void Ignores_unknown_fields()
    {
        Assert.Equal(1995, Valid(SongWith("tags", """[{"genre":"chanson"}]""")).Year);
    }

    [Theory]
    [InlineData(null, "song_id is missing")]
    [InlineData("null", "song_id is null")]
    [InlineData("\"\"", "song_id is empty")]
    public void Rejects_song_without_song_id_as_missing_field(string? json, string message)
    {
        Assert.Equal(message, Rejected(SongWith("song_id", json), RejectReason.MissingField, "song_id").Message);
    }

    [Theory]
    [InlineData("duration", "\"long\"", RejectReason.WrongType)]
    [InlineData("duration", "true", RejectReason.WrongType)]
    [InlineData("duration", "-0.001", RejectReason.OutOfRange)]
    [InlineData("duration", "1e309", RejectReason.OutOfRange)]
    [InlineData("year", "1995.5", RejectReason.WrongType)]
    [InlineData("year", "\"nineteen\"", RejectReason.WrongType)]
    [InlineData("year", "3000000000", RejectReason.OutOfRange)]
    [InlineData("num_songs", "\"x\"", RejectReason.WrongType)]
    [InlineData("num_songs", "{}", RejectReason.WrongType)]
    [InlineData("num_songs", "-2147483649", RejectReason.OutOfRange)]
    [InlineData("artist_latitude", "90.0001", RejectReason.OutOfRange)]
    [InlineData("artist_latitude", "-91", RejectReason.OutOfRange)]
    [InlineData("artist_latitude", "\"north\"", RejectReason.WrongType)]
    [InlineData("artist_longitude", "180.5", RejectReason.OutOfRange)]
    [InlineData("artist_longitude", "-181", RejectReason.OutOfRange)]
    [InlineData("artist_longitude", "[]", RejectReason.WrongType)]
    [InlineData("title", "{\"en\":\"x\"}", RejectReason.WrongType)]
    [InlineData("artist_name", "[\"a\",\"b\"]", RejectReason.WrongType)]
    [InlineData("artist_id", "{}", RejectReason.WrongType)]
    [InlineData("song_id", "{}", RejectReason.WrongType)]
    public void Rejects_bad_song_fields_with_their_field(string field, string json, string reason)
    {
        Rejected(SongWith(field, json), reason, field);
    }

    [Fact]
    public void Rejects_a_title_of_65536_bytes_as_too_long_but_accepts_65535()
    {
        Assert.Equal(65_535, Valid(SongWith("title", "\"" + new string('t', 65_535) + "\"")).Title!.Length);

        var reject = Rejected(SongWith("title", "\"" + new string('t', 65_536) + "\""), RejectReason.TooLong, "title");

        Assert.Equal(1024, reject.Raw.Length);
    }

    [Fact]
    public void Reports_missing_song_id_before_other_rules()
    {
        var content = SongWith(("duration", "-1"), ("year", "\"x\""), ("title", "{}"), ("song_id", null));

        Rejected(content, RejectReason.MissingField, "song_id");
    }

    [Fact]
    public void Reports_duration_before_coordinates_and_string_types()
    {
        var content = SongWith(("artist_name", "{}"), ("artist_latitude", "100"), ("duration", "-1"));

        Rejected(content, RejectReason.OutOfRange, "duration");
    }
}
