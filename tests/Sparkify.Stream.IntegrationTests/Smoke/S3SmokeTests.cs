using System.Text;
using Amazon.S3.Model;
using Sparkify.Stream.IntegrationTests.Infrastructure;

namespace Sparkify.Stream.IntegrationTests.Smoke;

public sealed class S3SmokeTests(S3Fixture s3) : IClassFixture<S3Fixture>
{
    [Fact]
    public async Task Put_then_get_returns_the_same_bytes()
    {
        var bucket = await s3.CreateBucketAsync();
        await s3.Client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "a/b.json", ContentBody = "{\"x\":1}" });

        using var response = await s3.Client.GetObjectAsync(bucket, "a/b.json");
        using var reader = new StreamReader(response.ResponseStream, Encoding.UTF8);
        Assert.Equal("{\"x\":1}", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task Each_test_gets_an_empty_bucket_of_its_own()
    {
        var first = await s3.CreateBucketAsync();
        var second = await s3.CreateBucketAsync();
        Assert.NotEqual(first, second);
        var listing = await s3.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = second });
        Assert.True(listing.S3Objects is null or { Count: 0 });
    }
}
