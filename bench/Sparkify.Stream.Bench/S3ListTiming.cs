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
/// <c>dotnet Sparkify.Stream.Bench.dll time-s3-list ENDPOINT s3://BUCKET/PREFIX ROUNDS</c>; prints one line per
/// round and mode (<c>flat</c> or <c>split</c>, seconds, keys listed) for bench/s3-latency.sh to take medians of.
/// </remarks>
internal static class S3ListTiming
{
    public static async Task<int> RunAsync(string endpoint, string root, int rounds)
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
                var clock = Stopwatch.StartNew();
                var keys = 0;
                await foreach (var _ in source.ListAsync(RecordKind.Song, DateRange.All, default)) keys++;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{round}\t{mode}\t{clock.Elapsed.TotalSeconds:F3}\t{keys}"));
            }
        }
        return 0;
    }
}
