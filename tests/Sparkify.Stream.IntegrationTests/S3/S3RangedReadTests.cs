using Sparkify.Stream.IntegrationTests.Infrastructure;
using Sparkify.Stream.Sources;
using static Sparkify.Stream.IntegrationTests.S3.S3TestData;

namespace Sparkify.Stream.IntegrationTests.S3;

/// <summary>Big files are read as byte ranges, several in flight, handed on in order, pinned to the listed ETag.</summary>
public sealed class S3RangedReadTests(S3Fixture s3) : IClassFixture<S3Fixture>
{
    internal const int RangeSize = 64 * 1024;

    /// <summary>~700 KB of log lines: 11 ranges of 64 KiB.</summary>
    internal static readonly byte[] BigLog = Enumerable.Range(0, 10_000).SelectMany(EventLine).ToArray();

    internal static S3Settings Ranged(int inFlight = 4) => new() { RangeSize = RangeSize, RangesInFlight = inFlight };

    [Fact]
    public async Task A_big_file_is_read_whole_and_in_order_as_ranges()
    {
        var bucket = await s3.CreateBucketAsync();
        await PutAsync(s3.Client, bucket, "log_data/2018-11-01-events.json", BigLog);
        await PutAsync(s3.Client, bucket, "log_data/2018-11-02-events.json", BigLog[..(2 * RangeSize - 1)]);
        var http = new RecordingHttpClientFactory();
        using var client = s3.CreateClient(http);
        var source = new S3Source(client, S3Uri.Parse($"s3://{bucket}/log_data"), Ranged());
        var (big, small) = (await ToListAsync(source.ListAsync(RecordKind.Event, DateRange.All, default))) switch
        {
            [var a, var b] => (a, b),
            var other => throw new InvalidOperationException($"{other.Count} files listed"),
        };

        Assert.Equal(BigLog, await ReadAllAsync(await source.OpenReadAsync(big, default)));
        Assert.Equal(BigLog[..(2 * RangeSize - 1)], await ReadAllAsync(await source.OpenReadAsync(small, default)));

        var gets = http.Requests.Where(r => r.Method == "GET" && !r.HasQuery("list-type")).ToList();
        Assert.Equal((BigLog.Length + RangeSize - 1) / RangeSize, gets.Count(r => r.Path.EndsWith("01-events.json", StringComparison.Ordinal)));
        Assert.Single(gets, r => r.Path.EndsWith("02-events.json", StringComparison.Ordinal));   // below two ranges: one GET
    }

    [Fact]
    public async Task A_file_replaced_mid_read_fails_clearly_instead_of_mixing_versions()
    {
        var bucket = await s3.CreateBucketAsync();
        await PutAsync(s3.Client, bucket, "log_data/2018-11-01-events.json", BigLog);
        using var client = s3.CreateClient();
        var source = new S3Source(client, S3Uri.Parse($"s3://{bucket}/log_data"), Ranged(inFlight: 2));
        var listed = Assert.Single(await ToListAsync(source.ListAsync(RecordKind.Event, DateRange.All, default)));
        await using var stream = await source.OpenReadAsync(listed, default);
        var first = new byte[RangeSize];
        await stream.ReadExactlyAsync(first);

        await PutAsync(s3.Client, bucket, "log_data/2018-11-01-events.json", BigLog.Reverse().ToArray());
        var error = await Assert.ThrowsAsync<SparkifyException>(() => ReadAllAsync(stream));

        Assert.Equal(BigLog[..RangeSize], first);
        Assert.Contains($"s3://{bucket}/log_data/2018-11-01-events.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("412 PreconditionFailed (the object was replaced after it was listed", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>Song files of a group are read at once from S3, within [S3] MAX_CONCURRENCY GETs in flight.</summary>
public sealed class S3ConcurrentReadTests(S3Fixture s3) : IClassFixture<S3Fixture>
{
    [Fact]
    public async Task A_group_is_packed_in_listing_order_and_multi_member_gzip_files_do_not_starve_the_slots()
    {
        var bucket = await s3.CreateBucketAsync();
        // A .gz of two members is opened a second time at its end (to check the last member): with two slots and two
        // such files read at once, each must give its slot back once its body is read, or both would wait forever.
        var files = Enumerable.Range(0, 12).Select(i => i < 8
                ? KeyValuePair.Create($"song_data/A/TR{i:D2}.json.gz", Gzip(Utf8($"{{\"n\":{i},")).Concat(Gzip(Utf8(new string('x', 50 * i) + "}"))).ToArray())
                : KeyValuePair.Create($"song_data/A/TR{i:D2}.json", Utf8($"{{\"n\":{i},\"t\":\"{new string('y', 40 * i)}\"}}")))
            .ToList();
        await PutManyAsync(s3.Client, bucket, files);
        using var client = s3.CreateClient();
        var source = new S3Source(client, S3Uri.Parse($"s3://{bucket}/song_data"), new S3Settings { MaxConcurrency = 2 });
        var listed = await ToListAsync(source.ListAsync(RecordKind.Song, DateRange.All, default));
        var chunks = new System.Threading.Tasks.Dataflow.BufferBlock<Sparkify.Stream.Pipeline.FileChunk>();
        var fetch = new Sparkify.Stream.Pipeline.FetchStage(_ => source, new Sparkify.Stream.Pipeline.PipelineOptions(2));

        await fetch.FetchAsync(listed, chunks, default).WaitAsync(TimeSpan.FromMinutes(1));   // a hang guard, not a speed check

        Assert.True(chunks.TryReceiveAll(out var received));
        var chunk = Assert.Single(received!);
        Assert.Equal(listed.Select(f => f.Key), chunk.Parts!.Select(p => p.File.Key));
        foreach (var (part, content) in chunk.Parts!.Zip(files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Value)))
        {
            Assert.Null(part.Error);
            Assert.Equal(part.File.IsGzip ? Gunzip(content) : content, chunk.Buffer.AsSpan(part.Offset, part.Length).ToArray());
        }
        chunk.Release();
    }
}
