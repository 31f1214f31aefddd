using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Sparkify.Stream.Configuration;
using Sparkify.Stream.Jobs;
using Sparkify.Stream.Pipeline;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Staging;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Cli;

/// <summary>Opens the sources, staging store and warehouse that the options name.</summary>
internal static class InfrastructureFactory
{
    public static Task<Infrastructure> OpenAsync(SparkifyOptions options, CancellationToken ct) =>
        OpenAsync(options, NullLogger.Instance, holdWarehouse: true, ct);

    /// <param name="warehouseLogger">Where the warehouse logs each statement's duration (debug level).</param>
    /// <param name="holdWarehouse">False for watch mode: DuckDB is opened only for the moments a pass needs it (the
    /// ledger read, the load) and left to other processes in between (<see cref="OnDemandWarehouse"/>).</param>
    public static Task<Infrastructure> OpenAsync(SparkifyOptions options, ILogger warehouseLogger,
        bool holdWarehouse, CancellationToken ct) =>
        OpenAsync(options, warehouseLogger, holdWarehouse, readOnly: false, ct);

    /// <summary>
    /// For a dry run: the sources and staging store as a run opens them, and the warehouse only to read — DuckDB
    /// read-only and none when the file is not there yet, a server as it is (no table is created by opening it).
    /// </summary>
    public static Task<Infrastructure> OpenReadOnlyAsync(SparkifyOptions options, ILogger warehouseLogger, CancellationToken ct) =>
        OpenAsync(options, warehouseLogger, holdWarehouse: true, readOnly: true, ct);

    private static async Task<Infrastructure> OpenAsync(SparkifyOptions options, ILogger warehouseLogger,
        bool holdWarehouse, bool readOnly, CancellationToken ct)
    {
        var s3 = S3ClientOf(options);
        var songs = OpenSource(options, options.Songs, s3);
        var logs = OpenSource(options, options.Logs, s3);
        var staging = OpenStaging(options, s3);
        var usesS3 = S3Uri.IsS3(options.Songs) || S3Uri.IsS3(options.Logs);
        var pipeline = new PipelineOptions(options.Parallelism, FetchParallelism: usesS3 ? 32 : 8)
        {
            IsTransient = S3Faults.IsTransient,
        };
        pipeline.Validate();
        if (options.Target == "redshift") await CheckRedshiftStagingAsync(options, staging, s3, ct);
        var warehouse = !holdWarehouse && options is { Target: "duckdb", Mode: not RunMode.Stage }
            ? await OnDemandWarehouse.OpenAsync(token => OpenWarehouseAsync(options, warehouseLogger, token), ct)
            : await OpenLedgerWarehouseAsync(options, warehouseLogger, readOnly, ct);
        return new Infrastructure(songs, logs, staging, warehouse, pipeline);
    }

    /// <summary>
    /// The warehouse as a run needs it: opened for the load; for staging only or a dry run, opened to read the ledger —
    /// DuckDB read-only (concurrent stagers), none when the file is not there yet — and not at all with --no-ledger.
    /// </summary>
    private static async Task<IWarehouse?> OpenLedgerWarehouseAsync(SparkifyOptions options, ILogger logger, bool readOnly,
        CancellationToken ct)
    {
        if (options.Mode != RunMode.Stage && !readOnly) return await OpenWarehouseAsync(options, logger, ct);
        if (options.NoLedger) return null;
        if (options.Target == "duckdb")
            return await DuckDbWarehouse.OpenReadOnlyAsync(DuckDbPath(options), logger, LockWait(options), ct);
        return await OpenWarehouseAsync(options, logger, ct);
    }

    /// <summary>Redshift reads the staging area itself: it must be S3, in the cluster's region.</summary>
    /// <returns>What was checked, for people (`sparkify doctor`).</returns>
    internal static async Task<string> CheckRedshiftStagingAsync(
        SparkifyOptions options, IStagingStore staging, Lazy<IAmazonS3> s3, CancellationToken ct)
    {
        var bucket = RedshiftWarehouse.RequireS3Staging(staging, options.Staging).Bucket;
        var clusterRegion = RedshiftWarehouse.ClusterRegion(ServerDefaults.FirstHost(options.Cluster.Host))
            ?? RedshiftWarehouse.ClusterRegion(TryHost(options.Connection));
        if (clusterRegion is null) return "the cluster's region is not in its host name: bucket region not compared";
        string? bucketRegion;
        try
        {
            var location = await s3.Value.GetBucketLocationAsync(bucket, ct);
            bucketRegion = RedshiftWarehouse.BucketRegion(location.Location?.Value);
        }
        catch (AmazonS3Exception)
        {
            // not allowed to ask: COPY will say so if the regions differ
            return $"cluster in {clusterRegion}; the bucket's region could not be read (s3:GetBucketLocation)";
        }
        RedshiftWarehouse.CheckStagingRegion(clusterRegion, bucketRegion, options.Staging);
        return $"bucket and cluster both in {clusterRegion}";
    }

    private static string? TryHost(string? connection)
    {
        if (connection is null) return null;
        try
        {
            return ServerDefaults.FirstHost(new NpgsqlConnectionStringBuilder(ConnectionUri.ToKeywords(connection, ServerDefaults.Redshift)).Host);
        }
        catch (Exception e) when (e is ArgumentException or ConfigurationException)
        {
            return null;
        }
    }

    /// <summary>The S3 client the options describe, made when first used (a run on local folders makes none).</summary>
    internal static Lazy<IAmazonS3> S3ClientOf(SparkifyOptions options) =>
        new(() => S3ClientFactory.Create(S3SettingsOf(options), CredentialsOf(options)));

    /// <summary>Explicit keys from <c>[AWS]</c> when configured (discouraged); otherwise null: the SDK's default chain.</summary>
    internal static AWSCredentials? CredentialsOf(SparkifyOptions options) => options.AwsKeys switch
    {
        null => null,
        { SessionToken: { } token } keys => new SessionAWSCredentials(keys.AccessKeyId, keys.SecretAccessKey, token),
        var keys => new BasicAWSCredentials(keys.AccessKeyId, keys.SecretAccessKey),
    };

    public static S3Settings S3SettingsOf(SparkifyOptions options) =>
        new() { Region = options.Region, Endpoint = options.Endpoint, MaxConcurrency = options.S3MaxConcurrency };

    private static IObjectSource OpenSource(SparkifyOptions options, string location, Lazy<IAmazonS3> s3) =>
        S3Uri.IsS3(location)
            ? new S3Source(s3.Value, S3Uri.Parse(location), S3SettingsOf(options))
            : new LocalFolderSource(location);

    internal static IStagingStore OpenStaging(SparkifyOptions options, Lazy<IAmazonS3> s3) =>
        S3Uri.IsS3(options.Staging)
            ? new S3StagingStore(s3.Value, S3Uri.Parse(options.Staging))
            : new LocalStagingStore(options.Staging);

    public static Task<IWarehouse> OpenWarehouseAsync(SparkifyOptions options, CancellationToken ct) =>
        OpenWarehouseAsync(options, NullLogger.Instance, ct);

    public static async Task<IWarehouse> OpenWarehouseAsync(SparkifyOptions options, ILogger logger, CancellationToken ct) =>
        options.Target switch
        {
            "duckdb" => await DuckDbWarehouse.OpenAsync(DuckDbPath(options), logger, options.MemoryLimit, LockWait(options), ct),
            "postgres" => await PostgresWarehouse.OpenAsync(await SignedInAsync(PostgresConnection(options), options, ct), logger, ct),
            "redshift" => await RedshiftWarehouse.OpenAsync(
                await SignedInAsync(RedshiftConnection(options), options, ct), options.IamRoleArn, logger, ct),
            _ => throw new ConfigurationException($"the {options.Target} target is not available in this build"),
        };

    /// <summary>The Npgsql connection string: --connection / [WAREHOUSE] CONNECTION, else built from [CLUSTER].</summary>
    internal static string PostgresConnection(SparkifyOptions options) => ServerConnection(options, ServerDefaults.Postgres);

    /// <summary>As <see cref="PostgresConnection"/>, on port 5439 and with a verified certificate unless the configuration says otherwise.</summary>
    internal static string RedshiftConnection(SparkifyOptions options) => ServerConnection(options, ServerDefaults.Redshift);

    /// <summary>
    /// The connection string with the user and password of <c>[CLUSTER] CREDENTIAL_PROCESS</c> when it is set (they
    /// replace any in the connection string or [CLUSTER]), fetched again near their expiry; else as it is.
    /// </summary>
    internal static async Task<string> SignedInAsync(string connection, SparkifyOptions options, CancellationToken ct)
    {
        if (options.Cluster.CredentialProcess is not { Length: > 0 } command) return connection;
        var credentials = await CredentialProcess.For(command).GetAsync(ct);
        return new NpgsqlConnectionStringBuilder(connection) { Username = credentials.User, Password = credentials.Password }.ConnectionString;
    }

    /// <summary>How the warehouse session signs in, for the doctor: never the password itself.</summary>
    internal static async Task<string> AuthenticationAsync(SparkifyOptions options, CancellationToken ct)
    {
        if (options.Target == "duckdb") return "a local file: no sign-in";
        if (options.Cluster.CredentialProcess is { Length: > 0 } command)
        {
            var process = CredentialProcess.For(command);
            var credentials = await process.GetAsync(ct);
            var until = credentials.Expiration is { } e
                ? string.Create(CultureInfo.InvariantCulture, $", valid until {e.UtcDateTime:yyyy-MM-dd HH:mm} UTC")
                : "";
            return $"signed in as {credentials.User} with credentials from [CLUSTER] CREDENTIAL_PROCESS ('{process.Program}': " +
                   $"{credentials.Source}{until}); no password stored";
        }
        var user = new NpgsqlConnectionStringBuilder(options.Target == "redshift" ? RedshiftConnection(options) : PostgresConnection(options));
        return $"signed in as {user.Username ?? "(the operating-system user)"} with " +
               (string.IsNullOrEmpty(user.Password) ? "no password in the configuration (a .pgpass file or trust)" : "the password in the configuration");
    }

    private static string ServerConnection(SparkifyOptions options, ServerDefaults defaults)
    {
        var cluster = options.Cluster;
        // A URL becomes keywords first, so the target's port and SSL mode still apply where it names neither.
        if (options.Connection is { Length: > 0 } connection)
            return defaults.Apply(ConnectionUri.ToKeywords(connection, defaults), cluster.SslMode);
        var signIn = cluster.CredentialProcess is { Length: > 0 } ? [] : new[] { ("DB_USER", cluster.User) };
        var missing = new[] { ("HOST", cluster.Host), ("DB_NAME", cluster.Database) }.Concat(signIn)
            .Where(p => string.IsNullOrWhiteSpace(p.Item2)).Select(p => p.Item1).ToList();
        if (missing.Count > 0)
        {
            throw new ConfigurationException(
                $"the {options.Target} target needs a connection: --connection \"Host=…;Port={defaults.Port};Database=…;Username=…;Password=…\" " +
                "(or [WAREHOUSE] CONNECTION / SPARKIFY_WAREHOUSE__CONNECTION), or [CLUSTER] HOST, DB_NAME, DB_USER, " +
                $"DB_PASSWORD and DB_PORT in the config file (missing: {string.Join(", ", missing)})");
        }
        var built = new NpgsqlConnectionStringBuilder
        {
            Host = cluster.Host,
            Port = cluster.Port ?? defaults.Port,   // a HOST of name:port still wins, in Npgsql
            Database = cluster.Database,
            Username = cluster.User,
            Password = cluster.Password,
        }.ConnectionString;
        return defaults.Apply(built, cluster.SslMode);
    }

    private static TimeSpan LockWait(SparkifyOptions options) => TimeSpan.FromSeconds(options.LockWaitSeconds);

    internal static string DuckDbPath(SparkifyOptions options)
    {
        var connection = options.Connection;
        if (connection is null) return SparkifyOptions.DefaultDuckDb;
        if (ConnectionUri.IsUri(connection))
        {
            throw new ConfigurationException(
                $"the duckdb target takes a database file, and {Secrets.MaskConnectionString(connection)} is a server's " +
                "connection URL: add --target postgres or --target redshift ([WAREHOUSE] TARGET)");
        }
        const string prefix = "Data Source=";
        return connection.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? connection[prefix.Length..] : connection;
    }
}
