using System.Text;
using Sparkify.Stream.Generation;
using Sparkify.Stream.Records;

namespace Sparkify.Stream.Tests.Records;

/// <summary>
/// Differential test of the fast path for clean log lines: on generated data, on the committed sample, and on
/// tens of thousands of mutated lines (every value kind, escapes, broken syntax), the parser with the fast path
/// gives exactly the events and rejects of the parser without it — with its caches cold and warm.
/// </summary>
public sealed class FastEventLineTests : IDisposable
{
    private const string Key = "log_data/2018/11/2018-11-01-events.json";
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-fastline-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (List<LogEvent> Events, List<Reject> Rejects, FieldTally Fields) Parse(LogEventParser parser, byte[] chunk)
    {
        var events = new List<LogEvent>();
        var rejects = new List<Reject>();
        var fields = new FieldTally(EventColumns.Table);
        parser.ParseLines(chunk, 1, true, Key, events, rejects, fields);
        return (events, rejects, fields);
    }

    /// <summary>The drift counts as comparable text: records, per-field missing/null, unknown names with counts and examples.</summary>
    internal static string Describe(FieldTally t) =>
        $"{t.Records} | {string.Join(",", Enumerable.Range(0, t.Table.Columns.Count).Select(t.Missing))} | " +
        $"{string.Join(",", Enumerable.Range(0, t.Table.Columns.Count).Select(t.Nulls))} | " +
        string.Join(",", t.Unknown.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value.Seen}:{p.Value.Example}")) +
        $" | {t.OtherUnknown}";

    /// <summary>Parses <paramref name="lines"/> both ways (the fast parser twice: cold caches, then warm) and compares.</summary>
    private static int AssertSameBothWays(IReadOnlyList<string> lines)
    {
        var chunk = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        var expected = Parse(new LogEventParser { FastPath = false }, chunk);
        var fast = new LogEventParser();
        for (var pass = 0; pass < 2; pass++)
        {
            var actual = Parse(fast, chunk);
            Assert.Equal(expected.Rejects.Count, actual.Rejects.Count);
            for (var i = 0; i < expected.Rejects.Count; i++) Assert.Equal(expected.Rejects[i], actual.Rejects[i]);
            Assert.Equal(expected.Events.Count, actual.Events.Count);
            for (var i = 0; i < expected.Events.Count; i++) Assert.Equal(expected.Events[i], actual.Events[i]);
            Assert.Equal(Describe(expected.Fields), Describe(actual.Fields));   // drift counts: the same on both paths
        }
        return expected.Events.Count;
    }

    private List<string> GeneratedLines(int seed, int badLines)
    {
        var dir = Path.Combine(_dir, $"gen-{seed}");
        DataGenerator.Generate(new GeneratorOptions(dir) { Seed = seed, Events = 3_000, Songs = 50, Days = 2, BadLines = badLines });
        return [.. Directory.EnumerateFiles(Path.Combine(dir, "log_data"), "*.json", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).SelectMany(File.ReadLines)];
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(7, 200)]
    public void Generated_lines_give_the_same_events_and_rejects(int seed, int badLines)
    {
        var lines = GeneratedLines(seed, badLines);
        Assert.True(AssertSameBothWays(lines) > 2_000);
    }

    [Fact]
    public void The_committed_sample_gives_the_same_events()
    {
        var root = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "data", "log_data");
        var lines = Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .SelectMany(File.ReadLines).ToList();
        Assert.True(AssertSameBothWays(lines) > 9_000);
    }

    /// <summary>Values of every kind a field may meet, good and bad.</summary>
    private static readonly string[] Values =
    [
        "null", "true", "false", "\"\"", "\"x\"", "\"39\"", "\" 39\"", "\"+39\"", "\"039\"", "\"1.0\"", "\"1e3\"",
        "\"-0\"", "\"abc\"", "\"1.5\"", "1", "0", "-0", "39", "1.0", "1e3", "1E+2", "1.5", "-12.25", "8.0e-1",
        "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "99999999999999999999", "1e400", "-1e400", "1541105830796", "1.540919166796E12",
        "1535361313711.0", "180.24339", "0.1", "1e-400", "01", "1.", ".5", "-", "+1", "1e", "nul", "truex", "nullx",
        "\"M\\u00fcller\"", "\"a\\/b\"", "\"a\\\"b\"", "\"\\ud800\"", "\"\\ud83c\\udfb5\"", "\"\\u0000\"", "\"\\x\"",
        "\"\\u12\"", "\"\\u0031\\u0032\"", "\"\\ud800\\u0041\"", "\"\\udc00\"", "\"\\ud800\\x\"",
        "\"\\u00c3\\u0083\\u00c2\\u00a9\"", "\"http:\\/\\/x\\/y\"", "\"\\\"Mozilla\\\"\"", "\"\\u002d5\"", "\"tab\there\"", "\"Zoë 日本 🎵\"", "{}", "{\"a\":1}", "[]", "[1,2]", "\"" + new string('a', 70_000) + "\"",
        "\"" + string.Concat(Enumerable.Repeat("\\u00e9", 11_000)) + "\"",
    ];

    private static readonly string[] Fields =
    [
        "ts", "userId", "sessionId", "itemInSession", "status", "length", "registration", "artist", "auth",
        "firstName", "gender", "lastName", "level", "location", "method", "page", "song", "userAgent", "unknown",
        "use\\u0072Id", "",
    ];

    private static string Mutate(string line, Random rng)
    {
        if (line.Length == 0) return "{}";
        switch (rng.Next(9))
        {
            case 0:
            case 1:
            case 2:
            {
                // One field's value replaced (or added when the field is absent: unknown names, escaped names).
                var field = Fields[rng.Next(Fields.Length)];
                var value = Values[rng.Next(Values.Length)];
                var at = line.IndexOf($"\"{field}\":", StringComparison.Ordinal);
                if (at < 0 || field.Length == 0) return line.Insert(1, $"\"{field}\":{value},");
                var start = at + field.Length + 3;
                var end = ValueEnd(line, start);
                return line[..start] + value + line[end..];
            }
            case 3:
                return line.Remove(rng.Next(line.Length), 1);
            case 4:
                const string significant = "{}[],:\"\\ \t/x0";
                return line.Insert(rng.Next(line.Length + 1), significant[rng.Next(significant.Length)].ToString());
            case 5:
                return " \t" + line.Replace(",", rng.Next(2) == 0 ? " , " : ",\t", StringComparison.Ordinal) + "  ";
            case 6:
                return line[..rng.Next(line.Length)];
            case 7:
            {
                // A duplicated field: the later one counts, or a bad first one rejects.
                var field = Fields[rng.Next(Fields.Length - 2)];
                return line.Insert(1, $"\"{field}\":{Values[rng.Next(Values.Length)]},");
            }
            default:
                return line.Replace("\"ts\":", "\"ts\" : ", StringComparison.Ordinal) + (rng.Next(2) == 0 ? "" : " x");
        }
    }

    /// <summary>Where the JSON value starting at <paramref name="start"/> ends (flat values; good enough for mutating).</summary>
    private static int ValueEnd(string line, int start)
    {
        if (start < line.Length && line[start] == '"')
        {
            var i = start + 1;
            while (i < line.Length && line[i] != '"') i += line[i] == '\\' ? 2 : 1;
            return Math.Min(i + 1, line.Length);
        }
        var end = start;
        while (end < line.Length && line[end] != ',' && line[end] != '}') end++;
        return end;
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Mutated_lines_give_the_same_events_and_rejects(int seed)
    {
        var rng = new Random(seed);
        var originals = GeneratedLines(seed, 0).Take(400).ToList();
        var lines = new List<string>();
        foreach (var line in originals)
        {
            lines.Add(line);
            for (var k = 0; k < 25; k++)
            {
                var mutated = Mutate(line, rng);
                if (rng.Next(4) == 0) mutated = Mutate(mutated, rng);
                lines.Add(mutated.Replace("\n", " ", StringComparison.Ordinal));
            }
        }
        AssertSameBothWays(lines);
    }
}
