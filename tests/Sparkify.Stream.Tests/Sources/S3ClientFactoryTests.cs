using Amazon.Runtime;
using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Tests.Sources;

public sealed class S3ClientFactoryTests
{
    [Fact]
    public void Endpoint_gives_path_style_addressing_signed_for_the_region()
    {
        var config = S3ClientFactory.CreateConfig(new S3Settings { Endpoint = "http://127.0.0.1:9000", Region = "eu-west-1" });

        Assert.Equal("http://127.0.0.1:9000/", config.ServiceURL);
        Assert.True(config.ForcePathStyle);
        Assert.Equal("eu-west-1", config.AuthenticationRegion);
        Assert.Equal(RequestRetryMode.Standard, config.RetryMode);
        Assert.Equal(8, config.MaxErrorRetry);
    }

    [Fact]
    public void Without_an_endpoint_the_region_picks_the_aws_endpoint()
    {
        var config = S3ClientFactory.CreateConfig(new S3Settings { Region = "us-west-2" });

        Assert.Equal(Amazon.RegionEndpoint.USWest2, config.RegionEndpoint);
        Assert.False(config.ForcePathStyle);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1:21")]
    [InlineData("127.0.0.1:9000")]
    [InlineData("http://AKIAEXAMPLE:secret@127.0.0.1:9000")]
    [InlineData("http://127.0.0.1:9000/?x=1")]
    public void Rejects_an_endpoint_that_is_not_a_plain_http_url(string endpoint)
    {
        var error = Assert.Throws<ConfigurationException>(() => S3ClientFactory.CreateConfig(new S3Settings { Endpoint = endpoint }));

        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
    }

    [Theory]
    [InlineData("US-WEST-2")]
    [InlineData("us west 2")]
    [InlineData("us-west-2;")]
    public void Rejects_a_malformed_region(string region) =>
        Assert.Throws<ConfigurationException>(() => S3ClientFactory.CreateConfig(new S3Settings { Region = region }));
}
