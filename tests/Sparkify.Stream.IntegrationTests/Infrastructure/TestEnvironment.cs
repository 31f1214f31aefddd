namespace Sparkify.Stream.IntegrationTests.Infrastructure;

/// <summary>The environment variables that point the integration tests at real servers.</summary>
internal static class TestEnvironment
{
    /// <summary>An Npgsql connection string to a PostgreSQL server the tests may create databases on.</summary>
    public const string PostgresVariable = "SPARKIFY_TEST_PG";

    /// <summary>The URL of an S3-compatible server (moto, MinIO) the tests may create buckets on.</summary>
    public const string S3EndpointVariable = "SPARKIFY_TEST_S3_ENDPOINT";

    public static string? Get(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
