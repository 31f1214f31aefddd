using Sparkify.Stream.Records;
using static Sparkify.Stream.Tests.Records.EventLines;

namespace Sparkify.Stream.Tests.Records;

/// <summary>Valid events: every field typed as docs/semantics.md#staging_events says, and the quirks of the real logs accepted.</summary>
public sealed class LogEventParserTests
{
    [Fact]
    public void Parses_every_field_of_a_valid_event()
    {
        var e = Valid(Json());

        Assert.Equal(1541105830796L, e.Ts);
        Assert.Equal(26, e.UserId);
        Assert.Equal("Ada", e.FirstName);
        Assert.Equal("Lovelace", e.LastName);
        Assert.Equal("F", e.Gender);
        Assert.Equal("paid", e.Level);
        Assert.Equal("Logged In", e.Auth);
        Assert.Equal("PUT", e.Method);
        Assert.Equal("NextSong", e.Page);
        Assert.Equal("Portland, OR", e.Location);
        Assert.Equal("Mozilla/5.0 (X11; Linux x86_64)", e.UserAgent);
        Assert.Equal("Miles Davis", e.Artist);
        Assert.Equal("So What", e.Song);
        Assert.Equal(215.5, e.Length);
        Assert.Equal(3, e.ItemInSession);
        Assert.Equal(512, e.SessionId);
        Assert.Equal(200, e.Status);
        Assert.Equal(1540919166796L, e.Registration);
        Assert.Equal(Key, e.SourceKey);
        Assert.Equal(7, e.SourceLine);
    }

    [Fact]
    public void Event_id_is_the_hash_of_ts_session_item_and_user()
    {
        var e = Valid(Json());

        Assert.Equal(EventIds.ComputeFromText("1541105830796|512|3|26"), e.EventId);
        Assert.Equal(EventIds.Compute(1541105830796, 512, 3, 26), e.EventId);
    }

    [Fact]
    public void Event_id_is_equal_for_equal_ts_session_item_and_user_whatever_else_differs()
    {
        var a = Valid(Json());
        var b = Valid(Json(("page", "\"Home\""), ("song", null), ("length", "1.0"), ("userId", "26"), ("ts", "\"1541105830796\"")));

        Assert.Equal(a.EventId, b.EventId);
    }

    [Theory]
    [InlineData("ts", "1541105830797")]
    [InlineData("sessionId", "513")]
    [InlineData("itemInSession", "4")]
    [InlineData("userId", "\"27\"")]
    [InlineData("userId", "\"\"")]
    public void Event_id_differs_when_a_key_field_differs(string field, string json)
    {
        Assert.NotEqual(Valid(Json()).EventId, Valid(Json((field, json))).EventId);
    }

    [Fact]
    public void Accepts_a_logged_out_event_with_empty_user_id_as_null_user()
    {
        var e = Valid(Json(("userId", "\"\""), ("auth", "\"Logged Out\""), ("firstName", "null"), ("registration", "null"),
            ("length", "null"), ("song", "null"), ("artist", "null")));

        Assert.Null(e.UserId);
        Assert.Null(e.FirstName);
        Assert.Null(e.Registration);
        Assert.Null(e.Length);
        Assert.Null(e.Song);
        Assert.Equal(EventIds.ComputeFromText("1541105830796|512|3|"), e.EventId);
    }

    [Theory]
    [InlineData("null")]
    [InlineData(null)]
    public void Accepts_null_or_missing_user_id_as_null_user(string? json)
    {
        Assert.Null(Valid(Json(("userId", json))).UserId);
    }

    [Theory]
    [InlineData("\"8\"", 8)]
    [InlineData("8", 8)]
    [InlineData("8.0", 8)]
    [InlineData("\"8.0\"", 8)]
    [InlineData("8e0", 8)]
    [InlineData("0.8e1", 8)]
    [InlineData("-5", -5)]
    [InlineData("\"2147483647\"", int.MaxValue)]
    [InlineData("-2147483648", int.MinValue)]
    [InlineData("\"\\u0038\"", 8)]
    public void Reads_user_id_from_any_integral_number_or_string_holding_one(string json, int expected)
    {
        Assert.Equal(expected, Valid(Json(("userId", json))).UserId);
    }

    [Theory]
    [InlineData("1540919166796.0", 1540919166796L)]
    [InlineData("1.540919166796E12", 1540919166796L)]
    [InlineData("1.540919166796e+12", 1540919166796L)]
    [InlineData("1540919166796", 1540919166796L)]
    [InlineData("\"1.540919166796E12\"", 1540919166796L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9.223372036854775808E18", long.MinValue)]
    public void Reads_registration_exactly_from_its_float_form(string json, long expected)
    {
        Assert.Equal(expected, Valid(Json(("registration", json))).Registration);
    }

    [Theory]
    [InlineData("946684800000", 946684800000L)] // 2000-01-01T00:00:00Z, inclusive
    [InlineData("4102444799999", 4102444799999L)] // the last millisecond of 2099
    [InlineData("\"1541105830796\"", 1541105830796L)]
    [InlineData("1.541105830796E12", 1541105830796L)]
    public void Accepts_ts_inside_its_range_in_any_integral_form(string json, long expected)
    {
        Assert.Equal(expected, Valid(Json(("ts", json))).Ts);
    }

    [Fact]
    public void Unescapes_slashes_and_keeps_literal_quotes_in_user_agent()
    {
        var e = Valid(Json(("userAgent", """ "\"Mozilla\/5.0 (Macintosh; Intel Mac OS X 10_9_4) Safari\/537.78.2\"" """.Trim())));

        Assert.Equal("\"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) Safari/537.78.2\"", e.UserAgent);
    }

    [Fact]
    public void Decodes_unicode_escapes_as_written_without_repairing_double_encoding()
    {
        var e = Valid(Json(("artist", "\"Beyonc\\u00e9\""), ("song", "\"Caf\\u00c3\\u00a9 \\u0019 \\ud83c\\udfb5\"")));

        Assert.Equal("Beyoncé", e.Artist);
        Assert.Equal("Caf\u00c3\u00a9 \u0019 🎵", e.Song); // "Ã©" stays as written; the control character stays
    }

    [Fact]
    public void Keeps_raw_utf8_text()
    {
        Assert.Equal("Sigur Rós", Valid(Json(("artist", "\"Sigur Rós\""))).Artist);
    }

    [Theory]
    [InlineData("27", "27")]
    [InlineData("-1.50e3", "-1.50e3")]
    [InlineData("true", "true")]
    [InlineData("false", "false")]
    public void Takes_the_text_of_a_number_or_boolean_in_a_string_field(string json, string expected)
    {
        Assert.Equal(expected, Valid(Json(("location", json))).Location);
    }

    [Theory]
    [InlineData("location")]
    [InlineData("artist")]
    [InlineData("firstName")]
    [InlineData("page")]
    [InlineData("userAgent")]
    public void Turns_empty_strings_into_null(string field)
    {
        var e = Valid(Json((field, "\"\"")));

        Assert.Null(field switch
        {
            "location" => e.Location,
            "artist" => e.Artist,
            "firstName" => e.FirstName,
            "page" => e.Page,
            _ => e.UserAgent,
        });
    }

    [Fact]
    public void Treats_missing_optional_fields_as_null()
    {
        var e = Valid("""{"ts":1541105830796}""");

        Assert.Null(e.UserId);
        Assert.Null(e.SessionId);
        Assert.Null(e.ItemInSession);
        Assert.Null(e.Status);
        Assert.Null(e.Length);
        Assert.Null(e.Registration);
        Assert.Null(e.Page);
        Assert.Equal(EventIds.ComputeFromText("1541105830796|||"), e.EventId);
    }

    [Theory]
    [InlineData("\"182.5\"", 182.5)]
    [InlineData("0", 0.0)]
    [InlineData("1e2", 100.0)]
    public void Reads_length_from_a_number_or_string_holding_one(string json, double expected)
    {
        Assert.Equal(expected, Valid(Json(("length", json))).Length);
    }

    [Theory]
    [InlineData("itemInSession", "0")]
    [InlineData("status", "100")]
    [InlineData("status", "599")]
    [InlineData("sessionId", "-1")]
    [InlineData("sessionId", "2147483647")]
    public void Accepts_integer_fields_at_the_edges_of_their_range(string field, string json)
    {
        Assert.True(Parse(Json((field, json))).IsValid);
    }

    [Fact]
    public void Ignores_unknown_fields_of_any_shape()
    {
        var e = Valid(Json(("extra", """{"a":[1,{"b":null}],"c":"d"}"""), ("more", "[[]]"), ("flag", "true")));

        Assert.Equal(26, e.UserId);
    }

    [Fact]
    public void Matches_field_names_written_with_escapes()
    {
        var e = Valid("""{"\u0074s":1541105830796,"user\u0049d":"9"}""");

        Assert.Equal(1541105830796L, e.Ts);
        Assert.Equal(9, e.UserId);
    }

    [Fact]
    public void Accepts_whitespace_around_and_inside_the_object()
    {
        Assert.True(Parse("  { \"ts\" : 1541105830796 ,\t\"userId\" : \"1\" }  ").IsValid);
    }

    [Fact]
    public void Accepts_a_string_of_exactly_65535_utf8_bytes()
    {
        var e = Valid(Json(("song", "\"" + new string('a', 65_535) + "\"")));

        Assert.Equal(65_535, e.Song!.Length);
    }

    [Fact]
    public void Accepts_a_string_of_65535_bytes_after_unescaping_though_longer_as_written()
    {
        // 32,767 × "é" (2 bytes each, written as 6-byte \u00e9) + "a" = 65,535 bytes.
        var text = string.Concat(Enumerable.Repeat("\\u00e9", 32_767)) + "a";

        var e = Valid(Json(("artist", "\"" + text + "\"")));

        Assert.Equal(32_768, e.Artist!.Length);
    }

    [Fact]
    public void Repeated_values_share_one_string()
    {
        var parser = new LogEventParser();
        var a = parser.Parse(Utf8(Json()), Key, 1).Record!;
        var b = parser.Parse(Utf8(Json(("ts", "1541105830797"))), Key, 2).Record!;

        Assert.Same(a.Page, b.Page);
        Assert.Same(a.UserAgent, b.UserAgent);
        Assert.Same(a.Location, b.Location);
    }
}
