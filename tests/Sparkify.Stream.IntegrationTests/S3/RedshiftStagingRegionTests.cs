using Amazon.S3;
using Sparkify.Stream.Cli;
using Sparkify.Stream.Configuration;
using Sparkify.Stream.IntegrationTests.Infrastructure;

namespace Sparkify.Stream.IntegrationTests.S3;

/// <summary>
/// The Redshift target's staging-region check against a real S3 API (moto): the bucket's region is read with
/// GetBucketLocation, whose answer is no constraint for us-east-1 and the legacy <c>EU</c> for eu-west-1.
/// </summary>
public sealed class RedshiftStagingRegionTests(S3Fixture s3) : IClassFixture<S3Fixture>
{
    private async Task<string> BucketAsync(string? constraint)
    {
        var name = await s3.CreateBucketAsync(constraint);
        var answer = await s3.Client.GetBucketLocationAsync(name);
        Assert.Equal(constraint ?? "", answer.Location?.Value ?? "");   // the legacy name for EU, nothing for us-east-1, as S3 answers
        return name;
    }

    private Task<string> CheckAsync(string bucket, string clusterRegion)
    {
        var options = new SparkifyOptions
        {
            Target = "redshift",
            Staging = $"s3://{bucket}/staging",
            Cluster = new ClusterOptions { Host = $"examplecluster.abc123xyz789.{clusterRegion}.redshift.amazonaws.com" },
        };
        var client = new Lazy<IAmazonS3>(() => s3.Client);
        return InfrastructureFactory.CheckRedshiftStagingAsync(options, InfrastructureFactory.OpenStaging(options, client), client, default);
    }

    [Fact]
    public async Task A_bucket_with_the_legacy_EU_constraint_is_in_eu_west_1()
    {
        var bucket = await BucketAsync("EU");
        Assert.Equal("bucket and cluster both in eu-west-1", await CheckAsync(bucket, "eu-west-1"));
        var refused = await Assert.ThrowsAsync<ConfigurationException>(() => CheckAsync(bucket, "us-west-2"));
        Assert.Contains("is in eu-west-1 but the Redshift cluster is in us-west-2", refused.Message);
    }

    [Fact]
    public async Task A_bucket_with_no_constraint_is_in_us_east_1()
    {
        var bucket = await BucketAsync(null);
        Assert.Equal("bucket and cluster both in us-east-1", await CheckAsync(bucket, "us-east-1"));
        await Assert.ThrowsAsync<ConfigurationException>(() => CheckAsync(bucket, "eu-west-1"));
    }
}
