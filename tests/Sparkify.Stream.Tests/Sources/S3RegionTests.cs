using Sparkify.Stream.Sources;
using Sparkify.Stream.Tests.Cli;

namespace Sparkify.Stream.Tests.Sources;

/// <summary>No region anywhere (settings, environment, AWS config file) is a configuration error, not a failed run.</summary>
[Collection(nameof(ProcessEnvironment))]
public sealed class S3RegionTests : IDisposable
{
    private static readonly string[] Names = ["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_CONFIG_FILE"];
    private readonly Dictionary<string, string?> _saved = Names.ToDictionary(n => n, Environment.GetEnvironmentVariable);

    [Fact]
    public void Without_a_region_the_s3_client_is_refused_with_exit_2()
    {
        foreach (var name in Names) Environment.SetEnvironmentVariable(name, null);
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", Path.Combine(Path.GetTempPath(), "sparkify-no-such-aws-config"));
        Amazon.Runtime.FallbackRegionFactory.Reset();   // the SDK caches the region it found

        var error = Assert.Throws<ConfigurationException>(() => S3ClientFactory.Create(new S3Settings()));

        Assert.Equal(2, error.ExitCode);
        Assert.StartsWith("S3 needs a region: set [S3] REGION", error.Message, StringComparison.Ordinal);
        Assert.NotNull(S3ClientFactory.Create(new S3Settings { Region = "us-west-2" }));
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
        Amazon.Runtime.FallbackRegionFactory.Reset();
    }
}
