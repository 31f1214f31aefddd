using Amazon.Runtime;
using Amazon.S3;
using Npgsql;
using Sparkify.Stream.Configuration;
using Sparkify.Stream.Pipeline;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Staging;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Cli;

/// <summary>Opens the sources, staging store and warehouse that the options name.</summary>
internal static class InfrastructureFactory
{
    public static async Task<Infrastructure> OpenAsync(SparkifyOptions options, CancellationToken ct)
    {
        var s3 = new Lazy<IAmazonS3>(() => S3ClientFactory.Create(S3SettingsOf(options), CredentialsOf(options)));
        var songs = OpenSource(options.Songs, s3);
        var logs = OpenSource(options.Logs, s3);
        var staging = OpenStaging(options, s3);
        var usesS3 = SparkifyOptions.IsS3(options.Songs) || SparkifyOptions.IsS3(options.Logs);
        var pipeline = new PipelineOptions(options.Parallelism, FetchParallelism: usesS3 ? 32 : 8)
        {
            IsTransient = S3Faults.IsTransient,
        };
        pipeline.Validate();
        // Validated before anything connects: a bad setting is exit 2, not a failed load after the parse.
        if (options.Target == "redshift" && staging is not S3StagingStore)
            throw new ConfigurationException("the redshift target needs S3 staging ([S3] STAGING = s3://bucket/prefix)");
        var warehouse = await OpenWarehouseAsync(options, ct);
        return new Infrastructure(songs, logs, staging, warehouse, pipeline);
    }

    /// <summary>Explicit keys from <c>[AWS]</c> when configured (discouraged); otherwise null: the SDK's default chain.</summary>
    internal static AWSCredentials? CredentialsOf(SparkifyOptions options) => options.AwsKeys switch
    {
        null => null,
        { SessionToken: { } token } keys => new SessionAWSCredentials(keys.AccessKeyId, keys.SecretAccessKey, token),
        var keys => new BasicAWSCredentials(keys.AccessKeyId, keys.SecretAccessKey),
    };

    public static S3Settings S3SettingsOf(SparkifyOptions options) =>
        new() { Region = options.Region, Endpoint = options.Endpoint };

    private static IObjectSource OpenSource(string location, Lazy<IAmazonS3> s3) =>
        SparkifyOptions.IsS3(location)
            ? new S3Source(s3.Value, S3Uri.Parse(location))
            : new LocalFolderSource(location);

    private static IStagingStore OpenStaging(SparkifyOptions options, Lazy<IAmazonS3> s3) =>
        SparkifyOptions.IsS3(options.Staging)
            ? new S3StagingStore(s3.Value, S3Uri.Parse(options.Staging))
            : new LocalStagingStore(options.Staging);

    public static async Task<IWarehouse> OpenWarehouseAsync(SparkifyOptions options, CancellationToken ct) =>
        options.Target switch
        {
            "duckdb" => await DuckDbWarehouse.OpenAsync(DuckDbPath(options), ct),
            "redshift" => await RedshiftWarehouse.OpenAsync(ServerConnection(options, 5439, requireSsl: true),
                options.IamRoleArn, ct),
            _ => throw new ConfigurationException($"the {options.Target} target is not available in this build"),
        };

    /// <summary>
    /// An Npgsql connection string: <c>--connection</c> / <c>[WAREHOUSE] CONNECTION</c>, else built from the
    /// seed-style <c>[CLUSTER]</c> section.
    /// </summary>
    internal static string ServerConnection(SparkifyOptions options, int defaultPort, bool requireSsl)
    {
        NpgsqlConnectionStringBuilder builder;
        if (options.Connection is { } connection)
        {
            try
            {
                builder = new NpgsqlConnectionStringBuilder(connection);
            }
            catch (ArgumentException ex)
            {
                throw new ConfigurationException($"--connection is not a valid connection string ({Secrets.Mask(connection)}): {ex.Message}");
            }
        }
        else if (options.Cluster.Host is { } host)
        {
            builder = new NpgsqlConnectionStringBuilder
            {
                Host = host,
                Port = options.Cluster.Port ?? defaultPort,
                Database = options.Cluster.Database,
                Username = options.Cluster.User,
                Password = options.Cluster.Password,
            };
        }
        else
        {
            throw new ConfigurationException(
                $"the {options.Target} target needs a connection: --connection \"Host=…;Database=…;Username=…;Password=…\" " +
                "or a [CLUSTER] section (HOST, DB_NAME, DB_USER, DB_PASSWORD, DB_PORT) in dwh.cfg");
        }
        if (requireSsl && builder.SslMode is SslMode.Disable or SslMode.Allow or SslMode.Prefer)
            builder.SslMode = SslMode.Require;
        return builder.ConnectionString;
    }

    private static string DuckDbPath(SparkifyOptions options)
    {
        var connection = options.Connection;
        if (connection is null) return SparkifyOptions.DefaultDuckDb;
        const string prefix = "Data Source=";
        return connection.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? connection[prefix.Length..] : connection;
    }
}
