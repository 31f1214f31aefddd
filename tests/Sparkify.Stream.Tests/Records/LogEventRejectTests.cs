using Sparkify.Stream.Records;
using static Sparkify.Stream.Tests.Records.EventLines;

namespace Sparkify.Stream.Tests.Records;

/// <summary>Bad event lines: each rule of docs/semantics.md#validation-rules gives its reason, field and message, and the first rule broken wins.</summary>
public sealed class LogEventRejectTests
{
    [Fact]
    public void Rejects_event_without_ts_as_missing_field()
    {
        var reject = Rejected(Json(("ts", null)), RejectReason.MissingField, "ts");

        Assert.Equal("ts is missing", reject.Message);
    }

    [Fact]
    public void Rejects_event_with_null_ts_as_missing_field()
    {
        Assert.Equal("ts is null", Rejected(Json(("ts", "null")), RejectReason.MissingField, "ts").Message);
    }

    [Fact]
    public void Rejects_a_string_holding_an_escaped_nul_as_invalid_utf8()
    {
        var reject = Rejected(Json(("artist", "\"Dead\\u0000Air\"")), RejectReason.InvalidUtf8, "artist");

        Assert.Equal("artist holds \\u0000 (NUL), which Postgres and Redshift text cannot store", reject.Message);
    }

    [Fact]
    public void Rejects_event_with_non_numeric_ts()
    {
        var reject = Rejected(Json(("ts", "\"yesterday\"")), RejectReason.WrongType, "ts");

        Assert.Equal("ts is not a number: \"yesterday\"", reject.Message);
    }

    [Theory]
    [InlineData("1541105830796.5")]
    [InlineData("true")]
    [InlineData("\"\"")]
    [InlineData("{}")]
    [InlineData("[1541105830796]")]
    [InlineData("\" 1541105830796\"")]
    [InlineData("\"0x10\"")]
    public void Rejects_ts_that_is_not_an_integral_number_as_wrong_type(string json)
    {
        Rejected(Json(("ts", json)), RejectReason.WrongType, "ts");
    }

    [Theory]
    [InlineData("946684799999")] // one millisecond before 2000-01-01T00:00:00Z
    [InlineData("4102444800000")] // 2100-01-01T00:00:00Z, exclusive
    [InlineData("0")]
    [InlineData("-1541105830796")]
    [InlineData("1541105830796000")] // microseconds, not milliseconds
    [InlineData("1e30")] // integral, beyond BIGINT
    public void Rejects_ts_outside_2000_to_2100_as_out_of_range(string json)
    {
        Rejected(Json(("ts", json)), RejectReason.OutOfRange, "ts");
    }

    [Theory]
    [InlineData("1.5", "userId is not an integer: 1.5")]
    [InlineData("\"abc\"", "userId is not a number: \"abc\"")]
    [InlineData("\" 8\"", "userId is not a number: \" 8\"")]
    [InlineData("true", "userId is not a number: true")]
    [InlineData("{\"id\":8}", "userId is not a number: an object")]
    [InlineData("[8]", "userId is not a number: an array")]
    [InlineData("\"8.5\"", "userId is not an integer: \"8.5\"")]
    public void Rejects_user_id_that_is_not_an_integer_as_wrong_type(string json, string message)
    {
        Assert.Equal(message, Rejected(Json(("userId", json)), RejectReason.WrongType, "userId").Message);
    }

    [Theory]
    [InlineData("\"2147483648\"")]
    [InlineData("2147483648")]
    [InlineData("-2147483649")]
    [InlineData("9223372036854775808")]
    [InlineData("1e100")]
    public void Rejects_user_id_outside_int_range_as_out_of_range(string json)
    {
        var reject = Rejected(Json(("userId", json)), RejectReason.OutOfRange, "userId");

        Assert.StartsWith("userId is out of INT range", reject.Message);
    }

    [Theory]
    [InlineData("sessionId", "\"x\"", RejectReason.WrongType)]
    [InlineData("sessionId", "512.25", RejectReason.WrongType)]
    [InlineData("sessionId", "3000000000", RejectReason.OutOfRange)]
    [InlineData("itemInSession", "false", RejectReason.WrongType)]
    [InlineData("itemInSession", "-1", RejectReason.OutOfRange)]
    [InlineData("status", "\"OK\"", RejectReason.WrongType)]
    [InlineData("status", "99", RejectReason.OutOfRange)]
    [InlineData("status", "600", RejectReason.OutOfRange)]
    [InlineData("length", "\"long\"", RejectReason.WrongType)]
    [InlineData("length", "\"NaN\"", RejectReason.WrongType)]
    [InlineData("length", "\"Infinity\"", RejectReason.WrongType)]
    [InlineData("length", "[]", RejectReason.WrongType)]
    [InlineData("length", "-0.5", RejectReason.OutOfRange)]
    [InlineData("length", "1e400", RejectReason.OutOfRange)]
    [InlineData("length", "\"1e400\"", RejectReason.OutOfRange)]
    [InlineData("registration", "1540919166796.5", RejectReason.WrongType)]
    [InlineData("registration", "\"soon\"", RejectReason.WrongType)]
    [InlineData("registration", "1e19", RejectReason.OutOfRange)]
    [InlineData("registration", "-9223372036854775809", RejectReason.OutOfRange)]
    public void Rejects_bad_optional_numbers_with_their_field(string field, string json, string reason)
    {
        Rejected(Json((field, json)), reason, field);
    }

    [Fact]
    public void Names_the_range_in_an_out_of_range_status_message()
    {
        Assert.Equal("status 99 is outside 100-599", Rejected(Json(("status", "99")), RejectReason.OutOfRange, "status").Message);
    }

    [Theory]
    [InlineData("artist", "{\"name\":\"Miles\"}", "artist is an object, not a string")]
    [InlineData("userAgent", "[\"Mozilla\"]", "userAgent is an array, not a string")]
    [InlineData("page", "{}", "page is an object, not a string")]
    public void Rejects_object_or_array_in_a_string_field_as_wrong_type(string field, string json, string message)
    {
        Assert.Equal(message, Rejected(Json((field, json)), RejectReason.WrongType, field).Message);
    }

    [Fact]
    public void Rejects_a_string_of_65536_utf8_bytes_as_too_long()
    {
        var reject = Rejected(Json(("song", "\"" + new string('a', 65_536) + "\"")), RejectReason.TooLong, "song");

        Assert.Equal("song is 65,536 UTF-8 bytes, over the 65,535-byte limit", reject.Message);
    }

    [Fact]
    public void Counts_utf8_bytes_not_characters_for_too_long()
    {
        // 21,845 × "€" (3 bytes) = 65,535 bytes: fits; one more ASCII letter does not.
        var euros = string.Concat(Enumerable.Repeat("€", 21_845));

        Assert.True(Parse(Json(("artist", "\"" + euros + "\""))).IsValid);
        Rejected(Json(("artist", "\"" + euros + "a\"")), RejectReason.TooLong, "artist");
    }

    [Fact]
    public void Counts_bytes_after_unescaping_for_too_long()
    {
        // 32,768 × "\u00e9" decodes to 65,536 bytes.
        var text = string.Concat(Enumerable.Repeat("\\u00e9", 32_768));

        Rejected(Json(("location", "\"" + text + "\"")), RejectReason.TooLong, "location");
    }

    [Theory]
    [InlineData("[1,2]", "a log line must be a JSON object, not an array")]
    [InlineData("42", "a log line must be a JSON object, not a number")]
    [InlineData("\"ts\"", "a log line must be a JSON object, not a string")]
    [InlineData("null", "a log line must be a JSON object, not null")]
    [InlineData("true", "a log line must be a JSON object, not a boolean")]
    public void Rejects_a_line_that_is_json_but_not_an_object_as_malformed(string line, string message)
    {
        var reject = Rejected(line, RejectReason.MalformedJson, null);

        Assert.Equal(message, reject.Message);
        Assert.Equal(line, reject.Raw);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"ts\":1541105830796")]
    [InlineData("{\"ts\":1541105830796,\"userId\":\"2")]
    [InlineData("{\"ts\":1541105830796}}")]
    [InlineData("{\"ts\":1541105830796} {\"ts\":1541105830797}")]
    [InlineData("{\"ts\":1541105830796,}")]
    [InlineData("{'ts':1541105830796}")]
    [InlineData("{\"ts\":1541105830796 /* c */}")]
    [InlineData("{\"ts\":01541105830796}")]
    [InlineData("{\"song\":\"tab\tinside\",\"ts\":1541105830796}")]
    [InlineData("\uFEFF{\"ts\":1541105830796}")] // a BOM inside a file is no BOM
    [InlineData("")]
    public void Rejects_text_that_is_not_json_as_malformed(string line)
    {
        var reject = Rejected(line, RejectReason.MalformedJson, null);

        Assert.StartsWith("not valid JSON: ", reject.Message);
    }

    [Fact]
    public void Rejects_invalid_utf8_bytes_as_invalid_utf8()
    {
        var line = Utf8(Json(("artist", "\"Bj__rk\"")));
        var at = Array.IndexOf(line, (byte)'_');
        line[at] = 0xC3; // a lead byte followed by '_' instead of a continuation byte
        line[at + 1] = 0x28;

        var reject = Parse(line).Reject!;

        Assert.Equal(RejectReason.InvalidUtf8, reject.Reason);
        Assert.Null(reject.Field);
        Assert.Equal($"not valid UTF-8 (bad byte at offset {at})", reject.Message);
        Assert.Contains("Bj\uFFFD(rk", reject.Raw);
    }

    [Fact]
    public void Reports_invalid_utf8_before_malformed_json()
    {
        var reject = Parse([(byte)'{', (byte)'"', 0xFF, (byte)'"']).Reject!;

        Assert.Equal(RejectReason.InvalidUtf8, reject.Reason);
    }

    [Fact]
    public void Rejects_an_escaped_lone_surrogate_as_invalid_utf8_with_its_field()
    {
        Rejected(Json(("song", "\"half \\ud83c a note\"")), RejectReason.InvalidUtf8, "song");
    }

    [Fact]
    public void Reports_malformed_json_before_any_field_rule()
    {
        Rejected("{\"ts\":\"yesterday\",\"userId\":\"x\",\"song\":", RejectReason.MalformedJson, null);
    }

    [Theory]
    [InlineData("ts", "\"x\"", "userId", "\"y\"")]
    [InlineData("ts", null, "status", "1")]
    [InlineData("userId", "1.5", "sessionId", "\"x\"")]
    [InlineData("sessionId", "\"x\"", "itemInSession", "-1")]
    [InlineData("itemInSession", "-1", "status", "700")]
    [InlineData("status", "700", "length", "-1")]
    [InlineData("length", "-1", "registration", "0.5")]
    [InlineData("registration", "0.5", "artist", "{}")]
    [InlineData("status", "700", "artist", "{}")]
    public void Reports_the_first_rule_in_table_order_whatever_the_field_order(
        string first, string? firstJson, string second, string secondJson)
    {
        // The second field's problem comes first in the line: line order does not decide, the table does.
        var line = Json((second, secondJson), (first, null));
        if (firstJson is not null) line = line[..^1] + $",\"{first}\":{firstJson}}}";

        Assert.Equal(first, Parse(line).Reject!.Field);
    }

    [Fact]
    public void Reports_an_object_in_a_string_field_before_a_string_that_is_too_long()
    {
        var line = Json(("artist", "\"" + new string('x', 70_000) + "\""), ("song", "[]"));

        Rejected(line, RejectReason.WrongType, "song");
    }

    [Fact]
    public void Cuts_raw_to_1024_bytes()
    {
        var line = Json(("status", "7"), ("padding", "\"" + new string('p', 3000) + "\""));

        var reject = Rejected(line, RejectReason.OutOfRange, "status");

        Assert.Equal(1024, reject.Raw.Length);
        Assert.Equal(line[..1024], reject.Raw);
    }

    [Fact]
    public void Cuts_raw_before_a_utf8_sequence_that_would_be_split()
    {
        // "€" is 3 bytes; the prefix puts one at bytes 1022..1024, across the 1,024-byte limit.
        var prefix = "{\"status\":7,\"padding\":\"";
        var line = prefix + new string('p', 1022 - prefix.Length) + "€€€\"}";

        var reject = Rejected(line, RejectReason.MissingField, "ts");

        Assert.Equal(line[..1022], reject.Raw);
    }

    [Fact]
    public void Raw_of_a_short_line_is_the_whole_line()
    {
        var line = Json(("userId", "\"x\""));

        Assert.Equal(line, Rejected(line, RejectReason.WrongType, "userId").Raw);
    }

    [Fact]
    public void Reject_carries_source_key_line_and_kind()
    {
        var reject = Parse(Json(("ts", null)), lineNumber: 42).Reject!;

        Assert.Equal(Key, reject.SourceKey);
        Assert.Equal(42, reject.Line);
        Assert.Equal("event", reject.Kind);
    }
}
