using System.Threading.Tasks.Dataflow;
using Amazon.S3.Model;
using Sparkify.Stream.IntegrationTests.Infrastructure;
using Sparkify.Stream.Pipeline;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Staging;
using static Sparkify.Stream.IntegrationTests.S3.S3TestData;

namespace Sparkify.Stream.IntegrationTests.S3;

/// <summary>Transient faults (5xx, SlowDown, resets, broken bodies) are survived; permanent ones end the run clearly.</summary>
public sealed class S3FaultTests(S3Fixture s3) : IClassFixture<S3Fixture>, IDisposable
{
    private const int MiB = 1024 * 1024;
    private readonly string _folder = Directory.CreateTempSubdirectory("sparkify-s3-faults-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly InjectedFault[] RequestFaults =
        [InjectedFault.InternalError500, InjectedFault.SlowDown503, InjectedFault.ConnectionReset, InjectedFault.ServiceUnavailable503];

    private static bool IsObjectGet(HttpRequestMessage request) =>
        request.Method == HttpMethod.Get && !request.RequestUri!.Query.Contains("list-type", StringComparison.Ordinal);

    /// <summary>Every 3rd request fails outright; some object GETs answer with a body that breaks off.</summary>
    private static InjectedFault? Faulty(int n, HttpRequestMessage request) =>
        n % 3 == 0 ? RequestFaults[n / 3 % RequestFaults.Length]
        : IsObjectGet(request) && n % 5 == 1 ? (n % 2 == 0 ? InjectedFault.BodyResetMidway : InjectedFault.BodyTruncated)
        : null;

    [Fact]
    public async Task Listing_and_reading_under_faults_gives_the_fault_free_result()
    {
        var bucket = await s3.CreateBucketAsync();
        var objects = Enumerable.Range(1, 12).SelectMany(i => new[]
        {
            KeyValuePair.Create($"log_data/2018/11/2018-11-{i:D2}-events.json{(i % 2 == 0 ? ".gz" : "")}",
                i % 2 == 0 ? Gzip(Enumerable.Range(0, 50 * i).SelectMany(EventLine).ToArray()) : Enumerable.Range(0, 50 * i).SelectMany(EventLine).ToArray()),
            KeyValuePair.Create($"song_data/A/B/C/TR{i:D4}.json", Utf8($"{{\"song_id\":\"SO{i}\",\"title\":\"{new string('x', 100 * i)}\"}}")),
        });
        await PutManyAsync(s3.Client, bucket, objects);
        using var clean = s3.CreateClient();
        var expected = await ReadEverythingAsync(clean, bucket);
        var http = new RecordingHttpClientFactory(Faulty);
        using var faulty = s3.CreateClient(http);

        var actual = await ReadEverythingAsync(faulty, bucket);

        Assert.Equal(24, expected.Count);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, content) in expected) Assert.Equal(content, actual[key]);
        Assert.True(http.FaultCount >= 10, $"only {http.FaultCount} faults were injected");
        foreach (var kind in RequestFaults.Append(InjectedFault.BodyResetMidway).Append(InjectedFault.BodyTruncated))
            Assert.Contains(http.Requests, r => r.Fault == kind.ToString());
    }

    [Fact]
    public async Task Staging_under_faults_stores_the_same_objects()
    {
        var bucket = await s3.CreateBucketAsync();
        var file = Path.Combine(_folder, "part.parquet");
        var bytes = new byte[11 * MiB];
        new Random(7).NextBytes(bytes);
        await File.WriteAllBytesAsync(file, bytes);
        var http = new RecordingHttpClientFactory(RecordingHttpClientFactory.EveryNth(3, RequestFaults));
        using var faulty = s3.CreateClient(http);
        var store = new S3StagingStore(faulty, S3Uri.Parse($"s3://{bucket}/staging"),
            new S3StagingOptions { MultipartThreshold = MiB, PartSize = 5 * MiB, UploadConcurrency = 2 });

        var size = await store.PutFileAsync("runs/r1/events/part-00000.parquet", file, default);
        await store.PutBytesAsync("runs/r1/events.manifest", Utf8("{\"entries\":[]}"), default);
        await store.PutBytesAsync("runs/r2/report.json", Utf8("{}"), default);
        var manifestSize = await store.SizeOfAsync(store.UrlOf("runs/r1/events.manifest"), default);
        var runs = await ToListAsync(store.ListRunsAsync(default));
        await store.DeleteRunAsync("r2", default);

        Assert.Equal(bytes.Length, size);
        Assert.Equal(14, manifestSize);
        Assert.Equal(["r1", "r2"], runs.Order(StringComparer.Ordinal));
        using var read = await s3.Client.GetObjectAsync(bucket, "staging/runs/r1/events/part-00000.parquet");
        Assert.Equal(bytes, await ReadAllAsync(read.ResponseStream));
        var left = await s3.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.Equal(["staging/runs/r1/events.manifest", "staging/runs/r1/events/part-00000.parquet"], left.S3Objects.Select(o => o.Key));
        Assert.True(http.FaultCount >= 3, $"only {http.FaultCount} faults were injected");
    }

    [Fact]
    public async Task Access_denied_is_not_retried_and_names_the_object()
    {
        var bucket = await s3.CreateBucketAsync();
        await PutAsync(s3.Client, bucket, "song_data/a.json", Utf8("{}"));
        var http = new RecordingHttpClientFactory((_, request) => IsObjectGet(request) ? InjectedFault.AccessDenied403 : null);
        using var client = s3.CreateClient(http);
        var source = new S3Source(client, S3Uri.Parse($"s3://{bucket}/song_data"));
        var obj = Assert.Single(await ToListAsync(source.ListAsync(RecordKind.Song, DateRange.All, default)));

        var error = await Assert.ThrowsAsync<SparkifyException>(() => source.OpenReadAsync(obj, default));

        Assert.Equal(ExitCodes.RunFailed, error.ExitCode);
        Assert.Equal($"S3 GET of s3://{bucket}/song_data/a.json failed: 403 AccessDenied (the credentials may not access it)", error.Message);
        Assert.Single(http.Requests, r => r.Method == "GET" && !r.HasQuery("list-type"));
        S3SourceTests.AssertNoSecret(error.Message);
    }

    [Theory]
    [InlineData(InjectedFault.BodyResetMidway)]
    [InlineData(InjectedFault.BodyTruncated)]
    public async Task A_body_that_breaks_off_is_an_IOException_naming_the_object(InjectedFault fault)
    {
        var bucket = await s3.CreateBucketAsync();
        await PutAsync(s3.Client, bucket, "song_data/a.json", Enumerable.Range(0, 100).SelectMany(EventLine).ToArray());
        var http = new RecordingHttpClientFactory((_, request) => IsObjectGet(request) ? fault : null);
        using var client = s3.CreateClient(http);
        var source = new S3Source(client, S3Uri.Parse($"s3://{bucket}/song_data"));
        var obj = Assert.Single(await ToListAsync(source.ListAsync(RecordKind.Song, DateRange.All, default)));

        var error = await Assert.ThrowsAsync<IOException>(async () => await ReadAllAsync(await source.OpenReadAsync(obj, default)));

        Assert.Contains($"s3://{bucket}/song_data/a.json", error.Message, StringComparison.Ordinal);
        Assert.True(S3Faults.IsTransient(error));
    }

    [Fact]
    public async Task Throttling_that_outlasts_the_sdk_retries_is_transient_for_the_pipeline()
    {
        var bucket = await s3.CreateBucketAsync();
        await PutAsync(s3.Client, bucket, "song_data/a.json", Utf8("{}"));
        var http = new RecordingHttpClientFactory((_, request) => IsObjectGet(request) ? InjectedFault.SlowDown503 : null);
        using var client = s3.CreateClient(settings => settings with { MaxErrorRetry = 1 }, http);
        var source = new S3Source(client, S3Uri.Parse($"s3://{bucket}/song_data"));
        var obj = Assert.Single(await ToListAsync(source.ListAsync(RecordKind.Song, DateRange.All, default)));

        var error = await Assert.ThrowsAsync<IOException>(() => source.OpenReadAsync(obj, default));

        Assert.Contains($"s3://{bucket}/song_data/a.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("SlowDown", error.Message, StringComparison.Ordinal);
        Assert.True(S3Faults.IsTransient(error));
        Assert.Equal(2, http.Requests.Count(r => r.Method == "GET" && !r.HasQuery("list-type")));
    }

    /// <summary>A range of a big file breaks off (or fails) mid-read: the fetch stage reads the file again and skips what it sent.</summary>
    [Fact]
    public async Task The_fetch_stage_hands_on_every_line_once_when_a_range_breaks_off_midway()
    {
        var bucket = await s3.CreateBucketAsync();
        await PutAsync(s3.Client, bucket, "log_data/2018-11-01-events.json", S3RangedReadTests.BigLog);
        // The 4th and 7th object GETs (ranges) break off in the middle of their body; the 9th fails (the SDK retries it).
        var gets = 0;
        var http = new RecordingHttpClientFactory((_, request) => !IsObjectGet(request) ? null
            : Interlocked.Increment(ref gets) switch
            {
                4 => InjectedFault.BodyResetMidway,
                7 => InjectedFault.BodyTruncated,
                9 => InjectedFault.InternalError500,
                _ => null,
            });
        using var client = s3.CreateClient(http);
        var source = new S3Source(client, S3Uri.Parse($"s3://{bucket}/log_data"), S3RangedReadTests.Ranged());
        var file = Assert.Single(await ToListAsync(source.ListAsync(RecordKind.Event, DateRange.All, default)));
        var chunks = new BufferBlock<FileChunk>();
        var fetch = new FetchStage(_ => source, new PipelineOptions(2) { IsTransient = S3Faults.IsTransient });

        await fetch.FetchAsync([file], chunks, default);

        Assert.True(chunks.TryReceiveAll(out var received));
        using var all = new MemoryStream();
        foreach (var chunk in received!)
        {
            Assert.Null(chunk.Error);
            all.Write(chunk.Span);
            chunk.Release();
        }
        Assert.Equal(S3RangedReadTests.BigLog, all.ToArray());
        Assert.Equal(1, received[0].FirstLine);
        Assert.Equal(3, http.FaultCount);
    }

    /// <summary>Lists both kinds and reads every object, four at a time as the pipeline does.</summary>
    private static async Task<Dictionary<string, byte[]>> ReadEverythingAsync(Amazon.S3.IAmazonS3 client, string bucket)
    {
        var result = new System.Collections.Concurrent.ConcurrentDictionary<string, byte[]>();
        foreach (var (prefix, kind) in new[] { ("log_data", RecordKind.Event), ("song_data", RecordKind.Song) })
        {
            var source = new S3Source(client, S3Uri.Parse($"s3://{bucket}/{prefix}"));
            await Parallel.ForEachAsync(source.ListAsync(kind, DateRange.All, default), new ParallelOptions { MaxDegreeOfParallelism = 4 },
                async (obj, _) => Assert.True(result.TryAdd($"{obj.Key}|{obj.Version}|{obj.Size}|{obj.Date}", await ReadWithRetriesAsync(source, obj))));
        }
        return new Dictionary<string, byte[]>(result);
    }
}
