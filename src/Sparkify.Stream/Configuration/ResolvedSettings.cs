using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Ini;

namespace Sparkify.Stream.Configuration;

/// <summary>One setting as a run resolves it: its value (secrets masked), where the value came from, and what it means.</summary>
/// <param name="Key">"[S3] SONG_DATA".</param>
/// <param name="Source">"command line", "environment SPARKIFY_S3__SONG_DATA", "dwh.cfg [S3]" or "default".</param>
internal sealed record Setting(string Key, string Value, string Source, string Meaning);

/// <summary>
/// `sparkify config`: every setting sparkify reads, resolved as a run resolves it (command line &gt; environment &gt;
/// config file &gt; default), with where each value came from — what `dbt debug` and dlt's config resolution show.
/// Passwords, keys and a connection string's password are masked; nothing secret is printed.
/// </summary>
internal static class ResolvedSettings
{
    /// <summary>What each key means and how its default reads; every key <see cref="ConfigurationLoader"/> reads has one (tested).</summary>
    internal static readonly IReadOnlyDictionary<string, (string Meaning, Func<SparkifyOptions, string?> Default)> Catalogue =
        new Dictionary<string, (string, Func<SparkifyOptions, string?>)>(StringComparer.OrdinalIgnoreCase)
        {
            ["S3:SONG_DATA"] = ("song files: a folder or s3://bucket/prefix", o => o.Songs),
            ["S3:LOG_DATA"] = ("log files: a folder or s3://bucket/prefix", o => o.Logs),
            ["S3:STAGING"] = ("staging area for Parquet parts and COPY manifests: a folder or s3://bucket/prefix", o => o.Staging),
            ["S3:REGION"] = ("the S3 region (the AWS SDK's default when unset)", _ => null),
            ["S3:ENDPOINT"] = ("an S3-compatible endpoint (MinIO, moto), path-style; AWS when unset", _ => null),
            ["S3:MAX_CONCURRENCY"] = ("S3 input requests in flight at once", o => Number(o.S3MaxConcurrency)),
            ["WAREHOUSE:TARGET"] = ("the warehouse: duckdb, postgres or redshift", o => o.Target),
            ["WAREHOUSE:CONNECTION"] = ("DuckDB: the database file; Postgres/Redshift: a connection string or URL", o => o.Target == "duckdb" ? SparkifyOptions.DefaultDuckDb : null),
            ["WAREHOUSE:MEMORY_LIMIT"] = ("DuckDB's memory limit; beyond it the merge spills to <warehouse>.tmp/", o => o.MemoryLimit ?? (o.Target == "duckdb" ? Warehouse.DuckDbWarehouse.DefaultMemoryLimit : null)),
            ["WAREHOUSE:LOCK_WAIT_SECONDS"] = ("DuckDB: how long to wait for a file another process holds", o => Number(o.LockWaitSeconds)),
            ["CLUSTER:HOST"] = ("Postgres/Redshift host (when no CONNECTION)", _ => null),
            ["CLUSTER:DB_NAME"] = ("Postgres/Redshift database", _ => null),
            ["CLUSTER:DB_USER"] = ("Postgres/Redshift user", _ => null),
            ["CLUSTER:DB_PASSWORD"] = ("Postgres/Redshift password (better: CREDENTIAL_PROCESS)", _ => null),
            ["CLUSTER:DB_PORT"] = ("Postgres/Redshift port", o => o.Target == "redshift" ? "5439" : o.Target == "postgres" ? "5432" : null),
            ["CLUSTER:SSLMODE"] = ("TLS mode (Redshift: VerifyFull unless set)", o => o.Target == "redshift" ? "VerifyFull" : null),
            ["CLUSTER:CREDENTIAL_PROCESS"] = ("a command printing the database user and password (IAM temporary credentials, a Secrets Manager secret)", _ => null),
            ["IAM_ROLE:ARN"] = ("the role Redshift's COPY assumes to read the staging bucket", _ => null),
            ["AWS:KEY"] = ("an AWS access key for S3 (better: the SDK's default chain)", _ => null),
            ["AWS:SECRET"] = ("its secret key", _ => null),
            ["AWS:SESSION_TOKEN"] = ("its session token", _ => null),
            ["RUN:FROM"] = ("first log date to read", _ => null),
            ["RUN:TO"] = ("last log date to read", _ => null),
            ["RUN:BATCH"] = ("one pass, then exit (else watch)", _ => "false"),
            ["RUN:RELOAD"] = ("ignore the load ledger: re-read every file", _ => "false"),
            ["RUN:MAX_REJECTS"] = ("fail (exit 3) above N rejected records or P% of those read", _ => "1%"),
            ["RUN:ON_DRIFT"] = ("when a contract field vanishes from the input: warn or fail", _ => "warn"),
            ["RUN:PARALLELISM"] = ("parse workers", o => Number(o.Parallelism)),
            ["RUN:INTERVAL"] = ("watch mode: seconds between polls", o => Number(o.IntervalSeconds)),
            ["RUN:KEEP_RUNS"] = ("earlier runs' staging folders kept", o => Number(o.KeepRuns)),
            ["RUN:REPORT"] = ("also write report.json here", _ => null),
            ["RUN:STAGE_ONLY"] = ("stop after staging (no warehouse load)", _ => "false"),
            ["RUN:SHARD"] = ("stage only shard I of N of the files", _ => "all"),
            ["RUN:NO_LEDGER"] = ("stage without reading the warehouse's ledger", _ => "false"),
            ["RUN:METRICS_PORT"] = ("serve Prometheus metrics on loopback", _ => null),
        };

    private static readonly HashSet<string> Secret = new(["CLUSTER:DB_PASSWORD", "AWS:KEY", "AWS:SECRET", "AWS:SESSION_TOKEN"], StringComparer.OrdinalIgnoreCase);

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>Every key the configuration is read for, each once, in the order of the catalogue.</summary>
    public static IReadOnlyList<Setting> Of(ConfigurationLoader.Layers layers, SparkifyOptions options)
    {
        var known = ConfigurationLoader.KnownKeys();
        var settings = new List<Setting>();
        foreach (var key in Catalogue.Keys.Where(known.Contains).Concat(known.Where(k => !Catalogue.ContainsKey(k))))
        {
            var (meaning, fallback) = Catalogue.TryGetValue(key, out var entry) ? entry : ("", _ => null);
            var (value, source) = Find(layers, key);
            var shown = value is null ? fallback(options) ?? "" : Mask(key, value);
            var (section, name) = (key.Split(':')[0], key.Split(':')[1]);
            settings.Add(new Setting($"[{section}] {name}", shown, source ?? (shown.Length > 0 ? "default" : "not set"), meaning));
        }
        return settings;
    }

    private static string Mask(string key, string value) =>
        Secret.Contains(key) ? "***"
        : key.Equals("WAREHOUSE:CONNECTION", StringComparison.OrdinalIgnoreCase) ? Secrets.MaskConnectionString(value)
        : value;

    /// <summary>The value of <paramref name="key"/> in the highest layer that has it, and that layer's name.</summary>
    private static (string? Value, string? Source) Find(ConfigurationLoader.Layers layers, string key)
    {
        foreach (var provider in layers.Root.Providers.Reverse())
        {
            if (!provider.TryGet(key, out var value) || value is null) continue;
            // The layers, lowest first: the config file (when there is one), the environment, the command line.
            var source = provider is IniConfigurationProvider ? $"{layers.File} [{key.Split(':')[0]}]"
                : ReferenceEquals(provider, layers.Root.Providers.Last()) ? "command line"
                : $"environment SPARKIFY_{key.Replace(":", "__", StringComparison.Ordinal)}";
            return (value, source);
        }
        return (null, null);
    }
}
