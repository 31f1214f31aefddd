using System.Text;
using Sparkify.Stream.Records;

namespace Sparkify.Stream.Tests.Records;

/// <summary>Song files: one object, an array of objects or objects one after another; every song rule of SPEC §1.</summary>
public sealed class SongFileParserTests
{
    private const string Key = "song_data/A/B/C/TRABCEI128F424C983.json";

    /// <summary>A valid song in the shape of the course's local files (spaces after ':' and ',').</summary>
    private static readonly (string Name, string Json)[] Fields =
    [
        ("num_songs", "1"),
        ("artist_id", "\"ARJIE2Y1187B994AB7\""),
        ("artist_latitude", "35.14968"),
        ("artist_longitude", "-90.04892"),
        ("artist_location", "\"Memphis, TN\""),
        ("artist_name", "\"Line Renaud\""),
        ("song_id", "\"SOUPIRU12A6D4FA1E1\""),
        ("title", "\"Der Kleine Dompfaff\""),
        ("duration", "152.92036"),
        ("year", "1995"),
    ];

    private static readonly string Song = SongWith();

    /// <summary>The base song with each named field set to the given raw JSON (null removes the field).</summary>
    private static string SongWith(params (string Name, string? Json)[] changes)
    {
        var fields = Fields.Select(f => (f.Name, Json: (string?)f.Json)).ToList();
        foreach (var (name, json) in changes)
        {
            var at = fields.FindIndex(f => f.Name == name);
            if (at >= 0) fields[at] = (name, json);
            else fields.Add((name, json));
        }

        return "{" + string.Join(", ", fields.Where(f => f.Json is not null).Select(f => $"\"{f.Name}\": {f.Json}")) + "}";
    }

    private static string SongWith(string field, string? json) => SongWith((field, json));

    private static (int Read, List<SongRecord> Songs, List<Reject> Rejects) Parse(byte[] content)
    {
        var songs = new List<SongRecord>();
        var rejects = new List<Reject>();
        var read = new SongFileParser().Parse(content, Key, songs, rejects);
        Assert.Equal(read, songs.Count + rejects.Count);
        return (read, songs, rejects);
    }

    private static (int Read, List<SongRecord> Songs, List<Reject> Rejects) Parse(string content) =>
        Parse(Encoding.UTF8.GetBytes(content));

    private static SongRecord Valid(string content)
    {
        var (_, songs, rejects) = Parse(content);
        Assert.Empty(rejects);
        return Assert.Single(songs);
    }

    private static Reject Rejected(string content, string reason, string? field)
    {
        var (_, songs, rejects) = Parse(content);
        Assert.Empty(songs);
        var reject = Assert.Single(rejects);
        Assert.Equal((reason, field), (reject.Reason, reject.Field));
        Assert.Equal("song", reject.Kind);
        Assert.Equal(Key, reject.SourceKey);
        return reject;
    }

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

    [Fact]
    public void Reads_an_array_of_songs_numbering_them_from_one()
    {
        var second = SongWith("song_id", "\"SOSECOND12A6D4FA1E\"");
        var bad = SongWith("duration", "-1");

        var (read, songs, rejects) = Parse($"[{Song},\n {second}, {bad}]");

        Assert.Equal(3, read);
        Assert.Equal(["SOUPIRU12A6D4FA1E1", "SOSECOND12A6D4FA1E"], songs.Select(s => s.SongId));
        var reject = Assert.Single(rejects);
        Assert.Equal((3, RejectReason.OutOfRange, "duration"), (reject.Line, reject.Reason, reject.Field));
        Assert.Equal(bad, reject.Raw);
    }

    [Fact]
    public void Reads_several_objects_one_after_another()
    {
        var (read, songs, _) = Parse($"{Song}\n{SongWith("year", "2001")}\n{SongWith("year", "2002")}");

        Assert.Equal(3, read);
        Assert.Equal([1995, 2001, 2002], songs.Select(s => s.Year));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n\t\r\n")]
    [InlineData("\uFEFF")]
    [InlineData("\uFEFF \n")]
    [InlineData("[]")]
    [InlineData(" [ ] ")]
    public void An_empty_file_or_array_reads_no_records(string content)
    {
        var (read, songs, rejects) = Parse(content);

        Assert.Equal(0, read);
        Assert.Empty(songs);
        Assert.Empty(rejects);
    }

    [Fact]
    public void Drops_a_bom_at_the_start()
    {
        Assert.Equal(1995, Valid("\uFEFF" + Song).Year);
    }

    [Fact]
    public void Rejects_an_array_element_that_is_not_an_object_as_malformed()
    {
        var (read, songs, rejects) = Parse($"[{Song}, 42, [1, 2], {SongWith("year", "2001")}]");

        Assert.Equal(4, read);
        Assert.Equal(2, songs.Count);
        Assert.Equal([2, 3], rejects.Select(r => r.Line));
        Assert.All(rejects, r => Assert.Equal(RejectReason.MalformedJson, r.Reason));
        Assert.Equal("array element is a number, not an object", rejects[0].Message);
        Assert.Equal("42", rejects[0].Raw);
        Assert.Equal("[1, 2]", rejects[1].Raw);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"song\"")]
    [InlineData("null")]
    public void Rejects_a_file_that_is_json_but_not_an_object_as_malformed(string content)
    {
        Assert.Equal(1, Rejected(content, RejectReason.MalformedJson, null).Line);
    }

    [Fact]
    public void Rejects_a_file_that_is_not_json_as_one_malformed_record()
    {
        var reject = Rejected("<html>Not Found</html>", RejectReason.MalformedJson, null);

        Assert.Equal(1, reject.Line);
        Assert.StartsWith("not valid JSON: ", reject.Message);
        Assert.Equal("<html>Not Found</html>", reject.Raw);
    }

    [Fact]
    public void Rejects_a_truncated_file_as_malformed()
    {
        Assert.Equal(1, Rejected(Song[..60], RejectReason.MalformedJson, null).Line);
    }

    [Fact]
    public void Keeps_the_records_before_the_one_where_the_json_broke()
    {
        var (read, songs, rejects) = Parse($"[{Song}, {Song[..50]}");

        Assert.Equal(2, read);
        Assert.Single(songs);
        var reject = Assert.Single(rejects);
        Assert.Equal((2, RejectReason.MalformedJson), (reject.Line, reject.Reason));
        Assert.Equal(Song[..50], reject.Raw);
    }

    [Fact]
    public void Numbers_garbage_after_the_last_record_as_the_next_record()
    {
        var (read, songs, rejects) = Parse($"{Song}\n}}");

        Assert.Equal(2, read);
        Assert.Single(songs);
        Assert.Equal((2, "}"), (rejects[0].Line, rejects[0].Raw));
    }

    [Fact]
    public void Rejects_a_file_with_invalid_utf8_as_one_record()
    {
        var content = Encoding.UTF8.GetBytes(SongWith("artist_name", "\"Line Ren#ud\""));
        content[Array.IndexOf(content, (byte)'#')] = 0xC0;

        var (read, songs, rejects) = Parse(content);

        Assert.Equal(1, read);
        Assert.Empty(songs);
        var reject = Assert.Single(rejects);
        Assert.Equal((1, RejectReason.InvalidUtf8, (string?)null), (reject.Line, reject.Reason, reject.Field));
        Assert.Contains("Line Ren\uFFFDud", reject.Raw);
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

    [Fact]
    public void Parses_files_from_many_threads_at_once()
    {
        var files = Enumerable.Range(0, 200)
            .Select(i => Encoding.UTF8.GetBytes(SongWith("year", (1950 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))))
            .ToArray();
        var parser = new SongFileParser();

        var years = new int?[files.Length];
        Parallel.For(0, files.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var songs = new List<SongRecord>();
            parser.Parse(files[i], Key, songs, []);
            years[i] = Assert.Single(songs).Year;
        });

        Assert.Equal(Enumerable.Range(1950, 200).Select(y => (int?)y), years);
    }
}
