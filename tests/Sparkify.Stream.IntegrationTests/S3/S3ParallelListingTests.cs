using Amazon.S3;
using Amazon.S3.Model;
using Sparkify.Stream.IntegrationTests.Infrastructure;
using Sparkify.Stream.Sources;
using static Sparkify.Stream.IntegrationTests.S3.S3TestData;

namespace Sparkify.Stream.IntegrationTests.S3;

/// <summary>
/// A listing split by first-level folders and paged in parallel gives exactly the flat listing: the same keys in the
/// same order (S3's: UTF-8 bytes), wherever the flat pages stopped and whatever lies directly below the prefix.
/// </summary>
public sealed class S3ParallelListingTests(S3Fixture s3) : IClassFixture<S3Fixture>
{
    /// <summary>Small pages, so a listing of a few hundred keys takes many of them (S3 gives up to 1,000).</summary>
    private const int PageSize = 7;

    [Fact]
    public async Task Split_listing_equals_the_flat_listing_key_for_key_and_in_order()
    {
        var bucket = await s3.CreateBucketAsync();
        // Folder A is bigger than the flat pages listed before the split, so the split starts inside it; U+FF21
        // sorts before U+1D11E in S3's order (UTF-8) but after it in UTF-16's.
        var folders = new[] { ("A", 30), ("B", 5), ("C", 12), ("D", 1), ("Ä", 4), ("\uFF21", 3), ("\U0001D11E", 3) };
        var keys = folders.SelectMany(f => Enumerable.Range(0, f.Item2).Select(i => $"song_data/{f.Item1}/{i % 3}/TR{i:D3}.json"))
            .Concat(["song_data/top.json", "song_data/B.json", "song_data/C0.json", "song_data/zz.json.gz", "song_data/_SUCCESS",
                "song_data/C/readme.txt", "song_data_old/A/x.json", "song_dat/A/y.json"])
            .ToList();

        var (listed, http) = await PutAndListAsync(bucket, keys, "song_data");

        var flat = await FlatListingAsync(s3.Client, bucket, "song_data/");
        Assert.Equal(flat.Where(IsInput).Select(k => $"s3://{bucket}/{k}"), listed.Select(o => o.Key));
        Assert.Equal(62, listed.Count);
        var lists = http.Requests.Where(r => r.HasQuery("list-type")).ToList();
        Assert.Single(lists, r => r.HasQuery("delimiter"));
        // Split: every folder left after the flat pages is paged on its own (here all but A were).
        foreach (var (folder, _) in folders.Skip(1))
            Assert.Contains(lists, r => Uri.UnescapeDataString(r.Query).Contains($"prefix=song_data/{folder}/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task One_folder_is_listed_flat_with_at_most_one_request_more()
    {
        var bucket = await s3.CreateBucketAsync();
        var keys = Enumerable.Range(0, 60).Select(i => $"song_data/A/{i % 4}/TR{i:D3}.json").Append("song_data/top.json").ToList();

        var (listed, http) = await PutAndListAsync(bucket, keys, "song_data/");

        var flat = await FlatListingAsync(s3.Client, bucket, "song_data/");
        Assert.Equal(flat.Select(k => $"s3://{bucket}/{k}"), listed.Select(o => o.Key));
        var flatPages = (keys.Count + PageSize - 1) / PageSize;
        var lists = http.Requests.Where(r => r.HasQuery("list-type")).ToList();
        Assert.Equal(flatPages + 1, lists.Count);
        Assert.Single(lists, r => r.HasQuery("delimiter"));
    }

    [Fact]
    public async Task A_listing_of_two_pages_or_fewer_is_never_split()
    {
        var bucket = await s3.CreateBucketAsync();
        var keys = Enumerable.Range(0, 2 * PageSize).Select(i => $"song_data/{(char)('A' + i % 5)}/TR{i:D3}.json").ToList();

        var (listed, http) = await PutAndListAsync(bucket, keys, "song_data");

        Assert.Equal(keys.Order(StringComparer.Ordinal).Select(k => $"s3://{bucket}/{k}"), listed.Select(o => o.Key));
        Assert.Equal(2, http.Requests.Count(r => r.HasQuery("list-type")));
    }

    /// <summary>Uploads the keys (content "{}") and lists the root with small pages, recording the requests.</summary>
    private async Task<(List<SourceObject> Listed, RecordingHttpClientFactory Http)> PutAndListAsync(
        string bucket, IEnumerable<string> keys, string root)
    {
        await PutManyAsync(s3.Client, bucket, keys.Select(k => KeyValuePair.Create(k, Utf8("{}"))));
        var http = new RecordingHttpClientFactory();
        using var client = s3.CreateClient(http);
        var source = new S3Source(client, S3Uri.Parse($"s3://{bucket}/{root}"), new S3Settings { ListPageSize = PageSize });
        return (await ToListAsync(source.ListAsync(RecordKind.Song, DateRange.All, default)), http);
    }

    private static bool IsInput(string key) =>
        key.EndsWith(".json", StringComparison.Ordinal) || key.EndsWith(".json.gz", StringComparison.Ordinal);

    /// <summary>The plain flat listing, page after page, as S3 orders it.</summary>
    private static async Task<List<string>> FlatListingAsync(IAmazonS3 client, string bucket, string prefix)
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix };
        ListObjectsV2Response page;
        do
        {
            page = await client.ListObjectsV2Async(request);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
        return keys;
    }
}
