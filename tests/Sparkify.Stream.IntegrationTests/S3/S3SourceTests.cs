using System.Security.Cryptography;
using Amazon.S3.Model;
using Sparkify.Stream.IntegrationTests.Infrastructure;
using Sparkify.Stream.Sources;
using static Sparkify.Stream.IntegrationTests.S3.S3TestData;

namespace Sparkify.Stream.IntegrationTests.S3;

public sealed class S3SourceTests(S3Fixture s3) : IClassFixture<S3Fixture>
{
    [Fact]
    public async Task Lists_every_key_past_the_1000_key_page_limit()
    {
        var bucket = await s3.CreateBucketAsync();
        var expected = Enumerable.Range(0, 1050).Select(i => $"song_data/A/{i % 7}/TR{i:D5}.json").ToList();
        var objects = expected.Select(k => KeyValuePair.Create(k, Utf8("{\"song_id\":\"S\"}")))
            .Append(KeyValuePair.Create("song_data/_SUCCESS", Utf8("")))
            .Append(KeyValuePair.Create("song_data/readme.txt", Utf8("not input")));
        await PutManyAsync(s3.Client, bucket, objects);
        var http = new RecordingHttpClientFactory();
        using var client = s3.CreateClient(http);

        var listed = await ToListAsync(new S3Source(client, S3Uri.Parse($"s3://{bucket}/song_data")).ListAsync(RecordKind.Song, DateRange.All, default));

        Assert.Equal(expected.Select(k => $"s3://{bucket}/{k}").Order(StringComparer.Ordinal), listed.Select(o => o.Key).Order(StringComparer.Ordinal));
        Assert.All(listed, o => Assert.Null(o.Date));
        Assert.Equal(2, http.Requests.Count(r => r.HasQuery("list-type")));
        Assert.DoesNotContain(http.Requests, r => !r.HasQuery("list-type"));
    }

    [Fact]
    public async Task Json_lines_keys_are_listed_and_dated_by_their_name()
    {
        var bucket = await s3.CreateBucketAsync();
        string[] input = ["log_data/2018-11-01-events.jsonl", "log_data/2018-11-02-events.ndjson",
            "log_data/2018-11-03-events.jsonl.gz", "log_data/2018-11-04-events.NDJSON.GZ", "log_data/2018-11-05-events.json"];
        await PutManyAsync(s3.Client, bucket, input.Append("log_data/2018-11-06-events.csv").Select(k => KeyValuePair.Create(k, EventLine(1))));
        var source = new S3Source(s3.Client, S3Uri.Parse($"s3://{bucket}/log_data"));

        var listed = await ToListAsync(source.ListAsync(RecordKind.Event, new DateRange(new DateOnly(2018, 11, 2), null), default));

        Assert.Equal(input[1..].Select(k => $"s3://{bucket}/{k}"), listed.Select(o => o.Key).Order(StringComparer.Ordinal));
        Assert.Equal([2, 3, 4, 5], listed.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => o.Date!.Value.Day));
        Assert.Equal(OtherFiles.None, await source.OtherFilesAsync(default));
    }

    [Fact]
    public async Task A_prefix_holding_no_input_file_names_what_it_holds_and_an_empty_one_names_nothing()
    {
        var bucket = await s3.CreateBucketAsync();
        await PutManyAsync(s3.Client, bucket, new[] { "log_data/a/events.csv", "log_data/b.parquet", "other/x.json" }
            .Select(k => KeyValuePair.Create(k, Utf8("x"))));

        var other = await new S3Source(s3.Client, S3Uri.Parse($"s3://{bucket}/log_data")).OtherFilesAsync(default);
        var empty = await new S3Source(s3.Client, S3Uri.Parse($"s3://{bucket}/nothing")).OtherFilesAsync(default);

        Assert.Equal((2, "a/events.csv, b.parquet"), (other.Count, other.ToString()));
        Assert.Equal(OtherFiles.None, empty);
    }

    [Fact]
    public async Task Date_filter_lists_only_log_files_in_range_and_never_fetches_the_others()
    {
        var bucket = await s3.CreateBucketAsync();
        var days = Enumerable.Range(1, 10).Select(d => new DateOnly(2018, 11, d)).ToList();
        await PutManyAsync(s3.Client, bucket, days.Select(d =>
            KeyValuePair.Create($"log_data/2018/11/{d:yyyy-MM-dd}-events.json", EventLine(d.Day))));
        var http = new RecordingHttpClientFactory();
        using var client = s3.CreateClient(http);
        var source = new S3Source(client, S3Uri.Parse($"s3://{bucket}/log_data/"));
        var range = new DateRange(new DateOnly(2018, 11, 3), new DateOnly(2018, 11, 5));

        var listed = await ToListAsync(source.ListAsync(RecordKind.Event, range, default));
        foreach (var obj in listed) await ReadAllAsync(await source.OpenReadAsync(obj, default));

        Assert.Equal([3, 4, 5], listed.Select(o => o.Date!.Value.Day));
        Assert.All(listed, o => Assert.Equal(RecordKind.Event, o.Kind));
        var fetched = http.Requests.Where(r => r.Method == "GET" && !r.HasQuery("list-type")).Select(r => r.Path).ToList();
        Assert.Equal(3, fetched.Count);
        foreach (var day in days.Where(d => !range.Contains(d)))
            Assert.DoesNotContain(http.Requests, r => r.Path.Contains($"{day:yyyy-MM-dd}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Gzip_and_plain_files_are_listed_with_stored_size_and_etag_and_read_back()
    {
        var bucket = await s3.CreateBucketAsync();
        var plain = EventLine(1);
        var lines = Enumerable.Range(0, 500).SelectMany(EventLine).ToArray();
        var gzipped = Gzip(lines);
        await PutAsync(s3.Client, bucket, "logs/2018/11/2018-11-01-events.json", plain);
        await PutAsync(s3.Client, bucket, "logs/2018/11/2018-11-02-events.json.gz", gzipped);
        using var client = s3.CreateClient();
        var source = new S3Source(client, S3Uri.Parse($"s3://{bucket}/logs"));

        var listed = await ToListAsync(source.ListAsync(RecordKind.Event, DateRange.All, default));

        Assert.Equal(2, listed.Count);
        var (json, gz) = (listed[0], listed[1]);
        Assert.Equal($"s3://{bucket}/logs/2018/11/2018-11-02-events.json.gz", gz.Key);
        Assert.True(gz.IsGzip);
        Assert.False(json.IsGzip);
        Assert.Equal(gzipped.Length, gz.Size);
        Assert.Equal(new DateOnly(2018, 11, 2), gz.Date);
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(plain)), json.Version);
        Assert.Equal(plain, await ReadAllAsync(await source.OpenReadAsync(json, default)));
        Assert.Equal(lines, Gunzip(await ReadAllAsync(await source.OpenReadAsync(gz, default))));
    }

    [Fact]
    public async Task Log_file_without_a_date_is_listed_only_when_the_range_is_open()
    {
        var bucket = await s3.CreateBucketAsync();
        await PutAsync(s3.Client, bucket, "log_data/events.json", EventLine(1));
        using var client = s3.CreateClient();
        var source = new S3Source(client, S3Uri.Parse($"s3://{bucket}/log_data"));

        Assert.Single(await ToListAsync(source.ListAsync(RecordKind.Event, DateRange.All, default)));
        Assert.Empty(await ToListAsync(source.ListAsync(RecordKind.Event, new DateRange(new DateOnly(2018, 1, 1), null), default)));
    }

    [Fact]
    public async Task Prefix_is_a_folder_not_a_string_prefix()
    {
        var bucket = await s3.CreateBucketAsync();
        await PutAsync(s3.Client, bucket, "song_data/a.json", Utf8("{}"));
        await PutAsync(s3.Client, bucket, "song_data_old/b.json", Utf8("{}"));
        using var client = s3.CreateClient();

        var listed = await ToListAsync(new S3Source(client, S3Uri.Parse($"s3://{bucket}/song_data")).ListAsync(RecordKind.Song, DateRange.All, default));

        Assert.Equal([$"s3://{bucket}/song_data/a.json"], listed.Select(o => o.Key));
    }

    [Fact]
    public async Task Missing_bucket_ends_the_run_with_a_message_naming_it_and_no_secret()
    {
        using var client = s3.CreateClient();
        var bucket = $"sparkify-missing-{Guid.NewGuid():N}"[..30];
        var source = new S3Source(client, S3Uri.Parse($"s3://{bucket}/log_data"));

        var error = await Assert.ThrowsAsync<SparkifyException>(() => ToListAsync(source.ListAsync(RecordKind.Event, DateRange.All, default)));

        Assert.Equal(ExitCodes.RunFailed, error.ExitCode);
        Assert.Contains(bucket, error.Message, StringComparison.Ordinal);
        Assert.Contains("NoSuchBucket", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        AssertNoSecret(error.Message);
    }

    [Fact]
    public async Task Object_gone_after_listing_ends_the_run_with_a_message_naming_its_key()
    {
        var bucket = await s3.CreateBucketAsync();
        await PutAsync(s3.Client, bucket, "song_data/gone.json", Utf8("{}"));
        using var client = s3.CreateClient();
        var source = new S3Source(client, S3Uri.Parse($"s3://{bucket}/song_data"));
        var listed = Assert.Single(await ToListAsync(source.ListAsync(RecordKind.Song, DateRange.All, default)));
        await s3.Client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "song_data/gone.json" });

        var error = await Assert.ThrowsAsync<SparkifyException>(() => source.OpenReadAsync(listed, default));

        Assert.Contains($"s3://{bucket}/song_data/gone.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("NoSuchKey", error.Message, StringComparison.Ordinal);
        AssertNoSecret(error.Message);
    }

    internal static void AssertNoSecret(string message)
    {
        Assert.DoesNotContain("sparkify-test-secret-key", message, StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") is { Length: > 0 } secret)
            Assert.DoesNotContain(secret, message, StringComparison.Ordinal);
    }
}
