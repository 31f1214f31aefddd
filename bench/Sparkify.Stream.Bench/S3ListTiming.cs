using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Bench;

/// <summary>
/// The S3 listing alone, timed: flat (one page after the other, as before the parallel listing) against split by
/// first-level folders, interleaved round by round (each once before, untimed), against an S3 API at <c>ENDPOINT</c>.
/// </summary>
/// <remarks>
/// <c>dotnet Sparkify.Stream.Bench.dll time-s3-list ENDPOINT s3://BUCKET/PREFIX ROUNDS [SERVER_PID]</c>; prints one
/// line per round and mode (<c>flat</c> or <c>split</c>, seconds, keys listed, and with the PID of a server on this
/// machine the CPU seconds that process spent meanwhile) for bench/s3-latency.sh to take medians of. A server that
/// answers one page at a time cannot serve a listing faster than its CPU per page times the pages, however many the
/// client asks for at once: the last column shows where that is the bound.
/// </remarks>
internal static class S3ListTiming
{
    public static async Task<int> RunAsync(string endpoint, string root, int rounds, int? serverPid)
    {
        var settings = new S3Settings { Endpoint = endpoint, Region = "us-east-1" };
        using var s3 = S3ClientFactory.Create(settings, new BasicAWSCredentials("bench", "bench"));
        var sources = new[]
        {
            ("flat", new S3Source(s3, S3Uri.Parse(root), settings with { MaxConcurrency = 1 })),
            ("split", new S3Source(s3, S3Uri.Parse(root), settings)),
        };
        // A listing of each first, not timed: the client's first requests and the JIT would land on whichever ran first.
        foreach (var (_, source) in sources) await foreach (var _ in source.ListAsync(RecordKind.Song, DateRange.All, default)) { }
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (mode, source) in round % 2 == 0 ? sources : sources.Reverse())
            {
                var serverCpu = CpuSeconds(serverPid);
                var clock = Stopwatch.StartNew();
                var keys = 0;
                await foreach (var _ in source.ListAsync(RecordKind.Song, DateRange.All, default)) keys++;
                var seconds = clock.Elapsed.TotalSeconds;
                serverCpu = CpuSeconds(serverPid) - serverCpu;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{round}\t{mode}\t{seconds:F3}\t{keys}\t{(serverPid is null ? "" : serverCpu.ToString("F3", CultureInfo.InvariantCulture))}"));
            }
        }
        return 0;
    }

    /// <summary>User + system CPU seconds of a process so far (Linux: fields 14 and 15 of /proc/PID/stat), or 0.</summary>
    private static double CpuSeconds(int? pid)
    {
        if (pid is null) return 0;
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');   // after "pid (name) ": field 3 is fields[0]
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / 100.0;   // USER_HZ is 100 on Linux
    }
}
