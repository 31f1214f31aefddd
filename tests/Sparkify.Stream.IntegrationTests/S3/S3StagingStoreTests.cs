using System.Security.Cryptography;
using Amazon.S3.Model;
using Sparkify.Stream.IntegrationTests.Infrastructure;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Staging;
using static Sparkify.Stream.IntegrationTests.S3.S3TestData;

namespace Sparkify.Stream.IntegrationTests.S3;

public sealed class S3StagingStoreTests(S3Fixture s3) : IClassFixture<S3Fixture>, IDisposable
{
    private const int MiB = 1024 * 1024;
    private readonly string _folder = Directory.CreateTempSubdirectory("sparkify-s3-staging-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Urls_are_s3_urls_below_the_root()
    {
        using var client = s3.CreateClient();
        var store = new S3StagingStore(client, S3Uri.Parse("s3://my-bucket/staging/"));
        var atRoot = new S3StagingStore(client, S3Uri.Parse("s3://my-bucket"));

        Assert.Equal("s3://my-bucket/staging/runs/r1/events/part-00000.parquet", store.UrlOf("runs/r1/events/part-00000.parquet"));
        Assert.Equal("s3://my-bucket/runs/r1/report.json", atRoot.UrlOf("runs/r1/report.json"));
        Assert.Equal("s3://my-bucket/staging", store.Description);
    }

    [Fact]
    public async Task Small_file_is_uploaded_in_one_request_and_its_stored_size_returned()
    {
        var bucket = await s3.CreateBucketAsync();
        var file = WriteFile("small.parquet", 300_000);
        var http = new RecordingHttpClientFactory();
        using var client = s3.CreateClient(http);
        var store = new S3StagingStore(client, S3Uri.Parse($"s3://{bucket}/staging"));

        var size = await store.PutFileAsync("runs/r1/events/part-00000.parquet", file, default);

        Assert.Equal(300_000, size);
        Assert.Single(http.Requests, r => r.Method == "PUT");
        Assert.DoesNotContain(http.Requests, r => r.HasQuery("uploads"));
        var head = await s3.Client.GetObjectMetadataAsync(bucket, "staging/runs/r1/events/part-00000.parquet");
        Assert.Equal(300_000, head.ContentLength);
    }

    [Fact]
    public async Task File_above_the_threshold_is_uploaded_in_parts_and_stored_whole()
    {
        var bucket = await s3.CreateBucketAsync();
        var file = WriteFile("big.parquet", 11 * MiB + 123);
        var http = new RecordingHttpClientFactory();
        using var client = s3.CreateClient(http);
        var store = new S3StagingStore(client, S3Uri.Parse($"s3://{bucket}/staging"),
            new S3StagingOptions { MultipartThreshold = MiB, PartSize = 5 * MiB });
        var url = store.UrlOf("runs/r1/events/part-00000.parquet");

        var size = await store.PutFileAsync("runs/r1/events/part-00000.parquet", file, default);

        Assert.Equal(new FileInfo(file).Length, size);
        Assert.Equal(size, await store.SizeOfAsync(url, default));
        Assert.Single(http.Requests, r => r.Method == "POST" && r.HasQuery("uploads"));
        Assert.Equal(3, http.Requests.Count(r => r.Method == "PUT" && r.HasQuery("partNumber")));
        Assert.Single(http.Requests, r => r.Method == "POST" && r.HasQuery("uploadId"));
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(file)), SHA256.HashData(await ReadAllAsync(await store.OpenReadAsync(url, default))));
    }

    [Fact]
    public async Task Bytes_round_trip_and_size_is_the_content_length()
    {
        var bucket = await s3.CreateBucketAsync();
        using var client = s3.CreateClient();
        var store = new S3StagingStore(client, S3Uri.Parse($"s3://{bucket}/stage"));
        var manifest = Utf8("{\"entries\":[{\"url\":\"s3://x/y\",\"mandatory\":true,\"meta\":{\"content_length\":12}}]}");
        var url = store.UrlOf("runs/r1/events.manifest");

        await store.PutBytesAsync("runs/r1/events.manifest", manifest, default);

        Assert.Equal(manifest.Length, await store.SizeOfAsync(url, default));
        Assert.Equal(manifest, await ReadAllAsync(await store.OpenReadAsync(url, default)));
        var head = await s3.Client.GetObjectMetadataAsync(bucket, "stage/runs/r1/events.manifest");
        Assert.Equal(manifest.Length, head.ContentLength);
    }

    [Fact]
    public async Task Lists_runs_and_deletes_one_run_entirely()
    {
        var bucket = await s3.CreateBucketAsync();
        using var client = s3.CreateClient();
        var store = new S3StagingStore(client, S3Uri.Parse($"s3://{bucket}/staging"));
        // More than one DeleteObjects batch (1,000 keys) in the run that is deleted.
        var r1 = Enumerable.Range(0, 1005).Select(i => KeyValuePair.Create($"staging/runs/r1/events/part-{i:D5}.parquet", Utf8("x")));
        await PutManyAsync(s3.Client, bucket, r1.Concat(
        [
            KeyValuePair.Create("staging/runs/r1/report.json", Utf8("{}")),
            KeyValuePair.Create("staging/runs/r2/report.json", Utf8("{}")),
            KeyValuePair.Create("staging/runs/r2/songs/part-00000.parquet", Utf8("y")),
            KeyValuePair.Create("staging/runs/r10/report.json", Utf8("{}")),
            KeyValuePair.Create("staging/other/file.json", Utf8("{}")),
            KeyValuePair.Create("elsewhere/runs/r9/report.json", Utf8("{}")),
        ]));

        Assert.Equal(["r1", "r10", "r2"], (await ToListAsync(store.ListRunsAsync(default))).Order(StringComparer.Ordinal));

        await store.DeleteRunAsync("r1", default);

        Assert.Equal(["r10", "r2"], (await ToListAsync(store.ListRunsAsync(default))).Order(StringComparer.Ordinal));
        var left = await s3.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.Equal(5, left.S3Objects.Count);
        Assert.DoesNotContain(left.S3Objects, o => o.Key.StartsWith("staging/runs/r1/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refuses_urls_outside_its_root_and_run_ids_that_are_paths()
    {
        using var client = s3.CreateClient();
        var store = new S3StagingStore(client, S3Uri.Parse("s3://my-bucket/staging"));

        await Assert.ThrowsAsync<ArgumentException>(() => store.SizeOfAsync("s3://other-bucket/staging/runs/r1/x", default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenReadAsync("s3://my-bucket/elsewhere/x", default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.DeleteRunAsync("../r1", default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.DeleteRunAsync("", default));
    }

    [Fact]
    public async Task Missing_object_size_is_a_permanent_error_naming_it()
    {
        var bucket = await s3.CreateBucketAsync();
        using var client = s3.CreateClient();
        var store = new S3StagingStore(client, S3Uri.Parse($"s3://{bucket}/staging"));
        var url = store.UrlOf("runs/r1/missing.parquet");

        var error = await Assert.ThrowsAsync<SparkifyException>(() => store.SizeOfAsync(url, default));

        Assert.Contains(url, error.Message, StringComparison.Ordinal);
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_are_validated_when_the_store_is_made()
    {
        using var client = s3.CreateClient();
        var root = S3Uri.Parse("s3://my-bucket/staging");

        Assert.Throws<ConfigurationException>(() => new S3StagingStore(client, root, new S3StagingOptions { PartSize = MiB }));
        Assert.Throws<ConfigurationException>(() => new S3StagingStore(client, root, new S3StagingOptions { MultipartThreshold = 0 }));
    }

    private string WriteFile(string name, int length)
    {
        var path = Path.Combine(_folder, name);
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
