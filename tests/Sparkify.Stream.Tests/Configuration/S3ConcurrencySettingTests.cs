using Sparkify.Stream.Cli;
using Sparkify.Stream.Configuration;
using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Tests.Configuration;

/// <summary><c>[S3] MAX_CONCURRENCY</c>: how many S3 input requests a run keeps in flight.</summary>
public sealed class S3ConcurrencySettingTests
{
    private static SparkifyOptions Load(string? value, string? environment = null) => ConfigurationLoader.Load(null,
        new Dictionary<string, string?> { ["S3:MAX_CONCURRENCY"] = value },
        environment is null ? [] : new Dictionary<string, string?> { ["SPARKIFY_S3__MAX_CONCURRENCY"] = environment });

    [Fact]
    public void Default_is_128_and_reaches_the_S3_settings()
    {
        var options = Load(null);

        Assert.Equal(128, options.S3MaxConcurrency);
        Assert.Equal(128, InfrastructureFactory.S3SettingsOf(options).MaxConcurrency);
    }

    [Fact]
    public void The_environment_sets_it()
    {
        var options = Load(null, "300");

        Assert.Equal(300, InfrastructureFactory.S3SettingsOf(options).MaxConcurrency);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1025")]
    [InlineData("many")]
    [InlineData("-4")]
    public void A_value_outside_1_to_1024_is_a_configuration_error(string value)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(value));

        Assert.Equal($"[S3] MAX_CONCURRENCY must be a whole number from 1 to 1024, not '{value}'", error.Message);
    }

    [Fact]
    public void The_client_factory_rejects_it_too()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            S3ClientFactory.CreateConfig(new S3Settings { Endpoint = "http://127.0.0.1:9", MaxConcurrency = 0 }));

        Assert.Contains("MAX_CONCURRENCY", error.Message, StringComparison.Ordinal);
    }
}
