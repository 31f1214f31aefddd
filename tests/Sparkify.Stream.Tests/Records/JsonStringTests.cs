using System.Text;
using System.Text.Json;
using Sparkify.Stream.Records;

namespace Sparkify.Stream.Tests.Records;

/// <summary>
/// The rule set decodes string escapes itself (both tokenizers hand it raw bytes), so it must decode exactly as
/// System.Text.Json does: the same text for valid strings, a syntax error where <c>Utf8JsonReader</c> refuses the
/// token, and a lone surrogate where <c>GetString</c> throws.
/// </summary>
public sealed class JsonStringTests
{
    /// <summary>What System.Text.Json makes of <c>"raw"</c>: the text, or which of the two failures.</summary>
    private static (string? Text, UnescapeStatus Status) Oracle(byte[] raw)
    {
        var json = new byte[raw.Length + 2];
        json[0] = json[^1] = (byte)'"';
        raw.CopyTo(json, 1);
        Utf8JsonReader reader;
        try
        {
            reader = new Utf8JsonReader(json);
            reader.Read();
        }
        catch (JsonException)
        {
            return (null, UnescapeStatus.Syntax);
        }
        try
        {
            return (reader.GetString(), UnescapeStatus.Ok);
        }
        catch (InvalidOperationException)
        {
            return (null, UnescapeStatus.LoneSurrogate);
        }
    }

    private static void AssertAsSystemTextJson(string content)
    {
        var raw = Encoding.UTF8.GetBytes(content);
        var (text, status) = Oracle(raw);
        var decoded = JsonString.Decode(raw, out var ours);
        Assert.True(status == ours, $"{content}: System.Text.Json says {status}, ours {ours}");
        Assert.Equal(text, decoded);
    }

    [Theory]
    [InlineData(@"plain")]
    [InlineData(@"a\/b")]
    [InlineData(@"Beyonc\u00e9")]
    [InlineData(@"\u00c3\u0083\u00c2\u00a9")]            // double-encoded UTF-8, as the real logs have it
    [InlineData(@"\""quoted\"" \\ back\\slash")]
    [InlineData(@"\b\f\n\r\t")]
    [InlineData(@"\ud83c\udfb5 music")]
    [InlineData(@"\uD83C\uDFB5")]
    [InlineData(@"\u0000")]
    [InlineData(@"\ud800")]
    [InlineData(@"\udc00")]
    [InlineData(@"\ud800\u0041")]
    [InlineData(@"\ud800\ud800\udc00")]
    [InlineData(@"\udc00\ud800")]
    [InlineData(@"\ud800x")]
    [InlineData(@"\ud800\x")]
    [InlineData(@"\ud800\u12")]
    [InlineData(@"\x")]
    [InlineData(@"\u12")]
    [InlineData(@"\u12g4")]
    [InlineData(@"\U0041")]
    [InlineData(@"\")]
    [InlineData(@"Zoë 日本 🎵 \u65e5")]
    public void Decodes_as_System_Text_Json(string content) => AssertAsSystemTextJson(content);

    [Fact]
    public void Random_escape_sequences_decode_as_System_Text_Json()
    {
        string[] pieces = ["a", "é", "🎵", @"\/", @"\\", @"\""", @"\n", @"\u00e9", @"\u0041", @"\ud83c", @"\udfb5",
            @"\uDBFF", @"\uDFFF", @"\ufffd", @"\u0000", @"\x", @"\u1", " "];
        var rng = new Random(20261202);
        for (var i = 0; i < 20_000; i++)
        {
            var text = new StringBuilder();
            for (var k = rng.Next(1, 6); k > 0; k--) text.Append(pieces[rng.Next(pieces.Length)]);
            AssertAsSystemTextJson(text.ToString());
        }
    }
}

/// <summary>The rule set reads number tokens itself; it must read them as <c>Utf8JsonReader</c> does.</summary>
public sealed class JsonNumberTokenTests
{
    private static LogEvent? Read(string length, string registration)
    {
        var line = $"{{\"ts\":1541105830796,\"length\":{length},\"registration\":{registration}}}";
        return new LogEventParser().Parse(Encoding.UTF8.GetBytes(line), "log_data/x.json", 1).Record;
    }

    [Fact]
    public void Doubles_and_integers_read_as_Utf8JsonReader_reads_them()
    {
        var rng = new Random(42);
        string[] shapes = ["{0}", "-{0}", "{0}.{1}", "{0}e{2}", "{0}.{1}E-{2}", "0.{1}", "-0.{1}e+{2}"];
        for (var i = 0; i < 20_000; i++)
        {
            var all = rng.NextInt64(1, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var digits = all[..Math.Min(all.Length, rng.Next(1, 19))];
            if (digits.Length > 1 && digits[0] == '0') digits = "1" + digits[1..];
            var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, shapes[rng.Next(shapes.Length)],
                digits, rng.Next(0, 1_000_000), rng.Next(0, 40));
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text));
            reader.Read();
            Assert.True(reader.TryGetDouble(out var expected));
            var isLong = reader.TryGetInt64(out var expectedLong);
            var e = Read(text, isLong ? text : "null");
            if (expected < 0)
            {
                Assert.Null(e);   // a negative length is out of range
                continue;
            }
            Assert.NotNull(e);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(e!.Length!.Value));
            if (isLong) Assert.Equal(expectedLong, e.Registration);
        }
    }
}
