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
            _ => throw new ConfigurationException($"the {options.Target} target is not available in this build"),
        };

    private static string DuckDbPath(SparkifyOptions options)
    {
        var connection = options.Connection;
        if (connection is null) return SparkifyOptions.DefaultDuckDb;
        const string prefix = "Data Source=";
        return connection.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? connection[prefix.Length..] : connection;
    }
}
