using System.Diagnostics;
using System.Globalization;
using Sparkify.Stream.Records;

namespace Sparkify.Stream.Bench;

/// <summary>
/// Parse + validate of a 1 MiB chunk of log lines, single-threaded, timed in rounds: the minimum per chunk is what a
/// shared, noisy machine can still compare between builds (noise only ever adds time). The lines are generated, or
/// the first whole lines of a log file given (data this project did not shape: another generator's, the real logs).
/// The pipeline's path: a columnar batch and a drift tally.
/// </summary>
/// <remarks>
/// <c>dotnet Sparkify.Stream.Bench.dll time-parse [ROUNDS] [LOG_FILE]</c>. This project runs without dynamic PGO, as
/// the app does (Sparkify.Stream.csproj says why): with it, the same code measures ~20 % faster than the app runs it.
/// </remarks>
internal static class ParseTiming
{
    public static int Run(int rounds, string? logFile = null)
    {
        using var data = logFile is null ? new BenchData() : null;
        var chunk = data?.Chunk(1 << 20) ?? FirstLines(logFile!, 1 << 20);
        var parser = new LogEventParser();
        var rows = new RecordBatch(EventColumns.Table, 4096);
        var rejects = new List<Reject>();
        var tally = new FieldTally(EventColumns.Table);
        int Once()
        {
            rows.Clear();
            rejects.Clear();
            tally.Clear();
            return parser.ParseLines(chunk, 1, true, "log_data/2018/11/2018-11-01-events.json", rows, rejects, tally);
        }
        for (var i = 0; i < 300; i++) Once();   // tier-1 code before timing
        var best = double.MaxValue;
        var lines = 0;
        for (var round = 0; round < rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < 200; i++) lines = Once();
            best = Math.Min(best, clock.Elapsed.TotalMilliseconds / 200);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"time-parse: {lines} lines per 1 MiB chunk{(logFile is null ? "" : " of " + Path.GetFileName(logFile))}, best of {rounds} rounds: {best:F3} ms per chunk, {best * 1e6 / lines:F0} ns per line"));
        return 0;
    }

    /// <summary>The whole lines within the first <paramref name="bytes"/> bytes of a file.</summary>
    private static byte[] FirstLines(string path, int bytes)
    {
        using var file = File.OpenRead(path);
        var buffer = new byte[Math.Min(bytes, file.Length)];
        file.ReadExactly(buffer);
        var end = buffer.Length == file.Length ? buffer.Length : buffer.AsSpan().LastIndexOf((byte)'\n') + 1;
        return buffer[..end];
    }
}
