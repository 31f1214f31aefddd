using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Tests.Sources;

public sealed class S3UriTests
{
    [Theory]
    [InlineData("s3://udacity-dend/log_data", "udacity-dend", "log_data", "log_data/")]
    [InlineData("s3://udacity-dend/log_data/", "udacity-dend", "log_data", "log_data/")]
    [InlineData("s3://my.bucket-1/a/b/c", "my.bucket-1", "a/b/c", "a/b/c/")]
    [InlineData("s3://abc", "abc", "", "")]
    [InlineData("s3://abc/", "abc", "", "")]
    [InlineData("S3://abc/x", "abc", "x", "x/")]
    public void Parses_bucket_and_folder_prefix(string text, string bucket, string prefix, string keyPrefix)
    {
        var uri = S3Uri.Parse(text);

        Assert.Equal(bucket, uri.Bucket);
        Assert.Equal(prefix, uri.Prefix);
        Assert.Equal(keyPrefix, uri.KeyPrefix);
    }

    [Fact]
    public void Builds_keys_and_urls_below_the_root()
    {
        var uri = S3Uri.Parse("s3://bucket/staging/");

        Assert.Equal("staging/runs/r1/x.parquet", uri.KeyOf("runs/r1/x.parquet"));
        Assert.Equal("s3://bucket/staging/runs/r1/x.parquet", uri.UrlOfKey(uri.KeyOf("runs/r1/x.parquet")));
        Assert.Equal("s3://bucket/staging", uri.ToString());
        Assert.Equal("s3://bucket", S3Uri.Parse("s3://bucket/").ToString());
    }

    [Theory]
    [InlineData("s3://Bad_Bucket")]
    [InlineData("s3://Bad_Bucket/prefix")]
    [InlineData("http://x")]
    [InlineData("https://bucket.s3.amazonaws.com/key")]
    [InlineData("bucket/prefix")]
    [InlineData("s3://")]
    [InlineData("s3://ab")]
    [InlineData("s3://-bucket")]
    [InlineData("s3://bucket-")]
    [InlineData("s3://bu..cket")]
    [InlineData("s3://192.168.1.1")]
    [InlineData("s3://xn--bucket")]
    [InlineData("s3://bucket-s3alias")]
    [InlineData("s3://bucket/it's")]
    [InlineData("s3://bucket/a\"b")]
    [InlineData("s3://bucket/x';DROP TABLE songs;--")]
    [InlineData("s3://bucket/a;b")]
    [InlineData("s3://bucket/a\\b")]
    [InlineData("s3://bucket/line\nbreak")]
    [InlineData("s3://bucket/tab\there")]
    [InlineData("s3://buck\net/x")]
    public void Rejects_what_is_not_a_valid_s3_root(string text)
    {
        var error = Assert.Throws<ConfigurationException>(() => S3Uri.Parse(text));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.StartsWith("Invalid S3 URI", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain('\r', error.Message);
    }

    [Fact]
    public void Rejects_a_bucket_name_longer_than_63_characters()
    {
        Assert.Throws<ConfigurationException>(() => S3Uri.Parse("s3://" + new string('a', 64)));
        Assert.Equal(new string('a', 63), S3Uri.Parse("s3://" + new string('a', 63)).Bucket);
    }

    [Theory]
    [InlineData("s3://bucket", true)]
    [InlineData("S3://bucket/x", true)]
    [InlineData("data/log_data", false)]
    [InlineData("/abs/s3://x", false)]
    [InlineData(null, false)]
    public void Tells_s3_uris_from_local_paths(string? text, bool isS3) => Assert.Equal(isS3, S3Uri.IsS3(text));
}
