using System.Text;
using Sparkify.Stream.Records;

namespace Sparkify.Stream.Tests.Records;

/// <summary>Hand-written log lines: one valid event, and variants with a field replaced, added or removed.</summary>
internal static class EventLines
{
    public const string Key = "log_data/2018/11/2018-11-01-events.json";

    /// <summary>A valid event in the shape of the real logs (float registration, string userId, escaped slashes).</summary>
    private static readonly (string Name, string Json)[] Base =
    [
        ("artist", "\"Miles Davis\""),
        ("auth", "\"Logged In\""),
        ("firstName", "\"Ada\""),
        ("gender", "\"F\""),
        ("itemInSession", "3"),
        ("lastName", "\"Lovelace\""),
        ("length", "215.5"),
        ("level", "\"paid\""),
        ("location", "\"Portland, OR\""),
        ("method", "\"PUT\""),
        ("page", "\"NextSong\""),
        ("registration", "1540919166796.0"),
        ("sessionId", "512"),
        ("song", "\"So What\""),
        ("status", "200"),
        ("ts", "1541105830796"),
        ("userAgent", "\"Mozilla\\/5.0 (X11; Linux x86_64)\""),
        ("userId", "\"26\""),
    ];

    /// <summary>The base event with each named field set to the given raw JSON (null removes the field).</summary>
    public static string Json(params (string Name, string? Json)[] changes)
    {
        var fields = Base.Select(f => (f.Name, Json: (string?)f.Json)).ToList();
        foreach (var (name, json) in changes)
        {
            var at = fields.FindIndex(f => f.Name == name);
            if (at >= 0) fields[at] = (name, json);
            else fields.Add((name, json));
        }

        return "{" + string.Join(",", fields.Where(f => f.Json is not null).Select(f => $"\"{f.Name}\":{f.Json}")) + "}";
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static ParseOutcome<LogEvent> Parse(string line, int lineNumber = 7) =>
        new LogEventParser().Parse(Utf8(line), Key, lineNumber);

    public static ParseOutcome<LogEvent> Parse(byte[] line, int lineNumber = 7) =>
        new LogEventParser().Parse(line, Key, lineNumber);

    public static LogEvent Valid(string line)
    {
        var outcome = Parse(line);
        Assert.True(outcome.IsValid, $"expected a valid event, got {outcome.Reject}");
        return outcome.Record!;
    }

    public static Reject Rejected(string line, string reason, string? field)
    {
        var outcome = Parse(line);
        Assert.False(outcome.IsValid, "expected a reject, got a valid event");
        var reject = outcome.Reject!;
        Assert.Equal(reason, reject.Reason);
        Assert.Equal(field, reject.Field);
        return reject;
    }
}
