using Sparkify.Stream.Jobs;
using Sparkify.Stream.Records;

namespace Sparkify.Stream.Tests.Rejects;

/// <summary>Grouping a run's rejects by reason and field, and the cut sample of a raw record.</summary>
public sealed class RejectSummaryTests
{
    private static Reject R(string key, int line, string reason, string? field, string raw = "{}") =>
        new(key, line, "event", reason, field, "m", raw);

    private static async IAsyncEnumerable<Reject> Stream(params Reject[] rejects)
    {
        foreach (var r in rejects) yield return r;
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Groups_by_reason_and_field_most_first_with_the_first_file_and_line()
    {
        var groups = await RejectSummary.GroupAsync(Stream(
            R("b.json", 3, RejectReason.WrongType, "ts", "late"),
            R("a.json", 9, RejectReason.WrongType, "ts", "first"),
            R("a.json", 2, RejectReason.WrongType, "sessionId"),
            R("b.json", 1, RejectReason.MalformedJson, null),
            R("a.json", 10, RejectReason.WrongType, "ts"),
            R("a.json", 12, RejectReason.MalformedJson, null)), CancellationToken.None);

        Assert.Equal(
            new (string, string?, long, string)[]
            {
                ("wrong_type", "ts", 3, "a.json:9"), ("malformed_json", null, 2, "a.json:12"), ("wrong_type", "sessionId", 1, "a.json:2"),
            },
            groups.Select(g => (g.Reason, g.Field, g.Count, g.FirstAt)));
        Assert.Equal("first", groups[0].First.Raw);
    }

    [Theory]
    [InlineData("{\"ts\":1}", 60, "{\"ts\":1}")]
    [InlineData("a\r\nb\tc\u001b", 60, "a\\r\\nb\\tc\\u001b")]
    [InlineData("abcdef", 3, "abc…")]
    [InlineData("ab😀", 3, "ab…")]   // never half a surrogate pair
    [InlineData("", 3, "")]
    public void Sample_shows_control_characters_as_escapes_and_cuts_with_an_ellipsis(string raw, int max, string expected) =>
        Assert.Equal(expected, RejectSummary.Sample(raw, max));
}
