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
        var songs = OpenSource(options, options.Songs);
        var logs = OpenSource(options, options.Logs);
        var staging = OpenStaging(options);
        var warehouse = await OpenWarehouseAsync(options, ct);
        var pipeline = new PipelineOptions(options.Parallelism);
        pipeline.Validate();
        return new Infrastructure(songs, logs, staging, warehouse, pipeline);
    }

    public static IObjectSource OpenSource(SparkifyOptions options, string location)
    {
        if (SparkifyOptions.IsS3(location))
            throw new ConfigurationException($"S3 sources are not available in this build: {location}");
        return new LocalFolderSource(location);
    }

    public static IStagingStore OpenStaging(SparkifyOptions options)
    {
        if (SparkifyOptions.IsS3(options.Staging))
            throw new ConfigurationException($"S3 staging is not available in this build: {options.Staging}");
        return new LocalStagingStore(options.Staging);
    }

    public static async Task<IWarehouse> OpenWarehouseAsync(SparkifyOptions options, CancellationToken ct) =>
        options.Target switch
        {
            "duckdb" => await DuckDbWarehouse.OpenAsync(DuckDbPath(options), ct),
            "postgres" => await PostgresWarehouse.OpenAsync(PostgresConnection(options), ct),
            _ => throw new ConfigurationException($"the {options.Target} target is not available in this build"),
        };

    /// <summary>The Npgsql connection string: --connection / [WAREHOUSE] CONNECTION, else built from [CLUSTER].</summary>
    internal static string PostgresConnection(SparkifyOptions options)
    {
        if (options.Connection is { Length: > 0 } connection) return connection;
        var cluster = options.Cluster;
        var missing = new[] { ("HOST", cluster.Host), ("DB_NAME", cluster.Database), ("DB_USER", cluster.User) }
            .Where(p => string.IsNullOrWhiteSpace(p.Item2)).Select(p => p.Item1).ToList();
        if (missing.Count > 0)
        {
            throw new ConfigurationException(
                "the postgres target needs a connection: --connection \"Host=…;Port=5432;Database=…;Username=…;Password=…\" " +
                "(or [WAREHOUSE] CONNECTION / SPARKIFY_WAREHOUSE__CONNECTION), or [CLUSTER] HOST, DB_NAME, DB_USER, " +
                $"DB_PASSWORD and DB_PORT in the config file (missing: {string.Join(", ", missing)})");
        }
        return new Npgsql.NpgsqlConnectionStringBuilder
        {
            Host = cluster.Host,
            Port = cluster.Port ?? 5432,
            Database = cluster.Database,
            Username = cluster.User,
            Password = cluster.Password,
        }.ConnectionString;
    }

    private static string DuckDbPath(SparkifyOptions options)
    {
        var connection = options.Connection;
        if (connection is null) return SparkifyOptions.DefaultDuckDb;
        const string prefix = "Data Source=";
        return connection.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? connection[prefix.Length..] : connection;
    }
}
