using System.Text;
using Sparkify.Stream.Records;
using static Sparkify.Stream.Tests.Records.EventLines;

namespace Sparkify.Stream.Tests.Records;

/// <summary>Chunks of a log file: line splitting, physical line numbers, BOM, CRLF, blank and broken lines.</summary>
public sealed class LogEventLinesTests
{
    private static readonly string A = Json(("ts", "1541105830796"));
    private static readonly string B = Json(("ts", "1541105830797"));
    private static readonly string C = Json(("ts", "1541105830798"));

    private static (int Read, List<LogEvent> Events, List<Reject> Rejects) ParseLines(
        byte[] chunk, int firstLine = 1, bool fileStart = true)
    {
        var events = new List<LogEvent>();
        var rejects = new List<Reject>();
        var read = new LogEventParser().ParseLines(chunk, firstLine, fileStart, Key, events, rejects);
        return (read, events, rejects);
    }

    private static (int Read, List<LogEvent> Events, List<Reject> Rejects) ParseLines(
        string chunk, int firstLine = 1, bool fileStart = true) => ParseLines(Utf8(chunk), firstLine, fileStart);

    [Fact]
    public void Reads_every_line_and_numbers_them_from_one()
    {
        var (read, events, rejects) = ParseLines($"{A}\n{B}\n{C}\n");

        Assert.Equal(3, read);
        Assert.Empty(rejects);
        Assert.Equal([1, 2, 3], events.Select(e => e.SourceLine));
        Assert.Equal([1541105830796L, 1541105830797L, 1541105830798L], events.Select(e => e.Ts));
    }

    [Fact]
    public void Reads_a_last_line_without_newline()
    {
        var (read, events, _) = ParseLines($"{A}\n{B}");

        Assert.Equal(2, read);
        Assert.Equal(1541105830797L, events[1].Ts);
    }

    [Fact]
    public void Numbers_lines_from_the_chunks_first_line()
    {
        var (_, events, rejects) = ParseLines($"{A}\n[1,2]\n{B}", firstLine: 1001, fileStart: false);

        Assert.Equal([1001, 1003], events.Select(e => e.SourceLine));
        Assert.Equal(1002, Assert.Single(rejects).Line);
    }

    [Fact]
    public void Skips_blank_lines_but_counts_them_for_line_numbers()
    {
        var (read, events, rejects) = ParseLines($"\n   \n{A}\n\t \r\n\n{B}\n\n");

        Assert.Equal(2, read);
        Assert.Empty(rejects);
        Assert.Equal([3, 6], events.Select(e => e.SourceLine));
    }

    [Fact]
    public void A_chunk_of_blank_lines_or_nothing_reads_no_records()
    {
        Assert.Equal(0, ParseLines("").Read);
        Assert.Equal(0, ParseLines("\n\r\n  \n").Read);
    }

    [Fact]
    public void Drops_cr_before_lf()
    {
        var (read, events, rejects) = ParseLines($"{A}\r\n[1]\r\n{B}\r\n");

        Assert.Equal(3, read);
        Assert.Equal([1, 3], events.Select(e => e.SourceLine));
        Assert.Equal("[1]", Assert.Single(rejects).Raw);
    }

    [Fact]
    public void Drops_a_bom_at_the_start_of_the_file()
    {
        var (read, events, rejects) = ParseLines($"\uFEFF{A}\n{B}");

        Assert.Equal(2, read);
        Assert.Empty(rejects);
        Assert.Equal(1, events[0].SourceLine);
    }

    [Fact]
    public void Keeps_a_bom_that_is_not_at_the_start_of_the_file_and_rejects_its_line()
    {
        var (_, _, rejects) = ParseLines($"\uFEFF{A}\n{B}", firstLine: 500, fileStart: false);

        Assert.Equal(RejectReason.MalformedJson, Assert.Single(rejects).Reason);
    }

    [Fact]
    public void Rejects_a_truncated_last_line_as_malformed_and_keeps_the_lines_before()
    {
        var (read, events, rejects) = ParseLines($"{A}\n{B}\n{C[..40]}");

        Assert.Equal(3, read);
        Assert.Equal(2, events.Count);
        var reject = Assert.Single(rejects);
        Assert.Equal(RejectReason.MalformedJson, reject.Reason);
        Assert.Equal(3, reject.Line);
        Assert.Equal(C[..40], reject.Raw);
    }

    [Fact]
    public void Rejects_only_the_line_with_invalid_utf8()
    {
        var chunk = Utf8($"{A}\n{Json(("song", "\"#\""))}\n{B}\n");
        chunk[Array.IndexOf(chunk, (byte)'#')] = 0xFE;

        var (read, events, rejects) = ParseLines(chunk);

        Assert.Equal(3, read);
        Assert.Equal([1, 3], events.Select(e => e.SourceLine));
        var reject = Assert.Single(rejects);
        Assert.Equal((2, RejectReason.InvalidUtf8), (reject.Line, reject.Reason));
        Assert.Contains("\"song\":\"\uFFFD\"", reject.Raw);
    }

    [Fact]
    public void Counts_read_as_valid_plus_rejected()
    {
        var (read, events, rejects) = ParseLines($"{A}\n42\n\n{{}}\n{B}\nnope");

        Assert.Equal(5, read);
        Assert.Equal(read, events.Count + rejects.Count);
        Assert.Equal([2, 4, 6], rejects.Select(r => r.Line));
    }

    [Fact]
    public void Reads_a_valid_10_mb_line()
    {
        var padding = new string('x', 10 * 1024 * 1024);
        var line = Json(("padding", "\"" + padding + "\""), ("tags", "[" + string.Join(",", Enumerable.Repeat("1", 1000)) + "]"));

        var (read, events, rejects) = ParseLines($"{A}\n{line}\n{B}");

        Assert.Equal(3, read);
        Assert.Empty(rejects);
        Assert.Equal(26, events[1].UserId);
        Assert.Equal(2, events[1].SourceLine);
    }

    [Fact]
    public void Rejects_a_10_mb_user_agent_as_too_long_with_raw_cut_to_1024_bytes()
    {
        var line = Json(("userAgent", "\"" + new string('m', 10 * 1024 * 1024) + "\""));

        var (_, _, rejects) = ParseLines(line);

        var reject = Assert.Single(rejects);
        Assert.Equal((RejectReason.TooLong, "userAgent"), (reject.Reason, reject.Field));
        Assert.Equal(1024, Encoding.UTF8.GetByteCount(reject.Raw));
    }

    [Fact]
    public void Parses_the_same_chunk_identically_from_many_threads_at_once()
    {
        var lines = Enumerable.Range(0, 2000).Select(i => i % 10 == 9
            ? Json(("userId", "\"bad\""))
            : Json(("ts", (1541105830796L + i).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("page", i % 3 == 0 ? "\"Home\"" : "\"NextSong\""), ("location", $"\"City {i % 50}\""),
                ("song", $"\"Song {i % 700}\""), ("itemInSession", (i % 97).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var chunk = Utf8(string.Join("\n", lines));
        var parser = new LogEventParser();
        var expected = new List<LogEvent>();
        parser.ParseLines(chunk, 1, true, Key, expected, []);

        var results = new List<LogEvent>[8];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            for (var round = 0; round < 5; round++)
            {
                var events = new List<LogEvent>();
                var rejects = new List<Reject>();
                Assert.Equal(2000, parser.ParseLines(chunk, 1, true, Key, events, rejects));
                Assert.Equal(200, rejects.Count);
                results[t] = events;
            }
        });

        Assert.Equal(1800, expected.Count);
        Assert.All(results, events => Assert.Equal(expected, events));
    }
}
