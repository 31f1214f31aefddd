using System.Diagnostics;
using System.Globalization;
using Sparkify.Stream.Records;

namespace Sparkify.Stream.Bench;

/// <summary>
/// Parse + validate of a 1 MiB chunk of generated log lines, single-threaded, timed in rounds: the minimum per chunk
/// is what a shared, noisy machine can still compare between builds (noise only ever adds time).
/// </summary>
/// <remarks><c>dotnet Sparkify.Stream.Bench.dll time-parse [ROUNDS]</c></remarks>
internal static class ParseTiming
{
    public static int Run(int rounds)
    {
        using var data = new BenchData();
        var chunk = data.Chunk(1 << 20);
        var parser = new LogEventParser();
        var rows = new RecordBatch(EventColumns.Table, 4096);
        var rejects = new List<Reject>();
        int Once()
        {
            rows.Clear();
            rejects.Clear();
            return parser.ParseLines(chunk, 1, true, "log_data/2018/11/2018-11-01-events.json", rows, rejects);
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
            $"time-parse: {lines} lines per 1 MiB chunk, best of {rounds} rounds: {best:F3} ms per chunk, {best * 1e6 / lines:F0} ns per line"));
        return 0;
    }
}
