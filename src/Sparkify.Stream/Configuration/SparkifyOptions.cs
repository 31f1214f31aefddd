using System.Text;
using Npgsql;
using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Configuration;

/// <summary>
/// Everything a run needs, resolved once at start-up from command line &gt; SPARKIFY_ environment &gt; config file
/// &gt; defaults, and validated. Immutable.
/// </summary>
internal sealed record SparkifyOptions
{
    public const string DefaultSongs = "data/song_data";
    public const string DefaultLogs = "data/log_data";
    public const string DefaultStaging = ".sparkify/staging";
    public const string DefaultDuckDb = ".sparkify/warehouse.duckdb";

    public string Songs { get; init; } = DefaultSongs;
    public string Logs { get; init; } = DefaultLogs;
    public string Staging { get; init; } = DefaultStaging;
    public string Target { get; init; } = "duckdb";

    /// <summary>DuckDB: the database file. Postgres/Redshift: an Npgsql connection string (secret: never print it unmasked).</summary>
    public string? Connection { get; init; }

    /// <summary>
    /// DuckDB's memory limit (<c>[WAREHOUSE] MEMORY_LIMIT</c>, e.g. <c>1GB</c>, <c>512MiB</c>); the merge spills to
    /// the warehouse's temp folder beyond it. Null: <see cref="Warehouse.DuckDbWarehouse.DefaultMemoryLimit"/>.
    /// </summary>
    public string? MemoryLimit { get; init; }

    /// <summary>
    /// DuckDB (<c>[WAREHOUSE] LOCK_WAIT_SECONDS</c>): how long a command that finds the warehouse file held by another
    /// process (a watcher's pass, a run, a query) waits for it before failing; 0 fails at once.
    /// </summary>
    public int LockWaitSeconds { get; init; } = DefaultLockWaitSeconds;

    public const int DefaultLockWaitSeconds = 180;

    public ClusterOptions Cluster { get; init; } = new();

    /// <summary>Explicit S3 credentials from <c>[AWS] KEY/SECRET</c> (seed-compatible, discouraged); null: the SDK's default chain.</summary>
    public AwsKeys? AwsKeys { get; init; }

    /// <summary>What the configuration allowed but should change; logged as warnings when a run starts.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public string? IamRoleArn { get; init; }
    public string? Region { get; init; }
    public string? Endpoint { get; init; }

    /// <summary><c>[S3] MAX_CONCURRENCY</c>: S3 input requests in flight at once (see <see cref="S3Settings.MaxConcurrency"/>).</summary>
    public int S3MaxConcurrency { get; init; } = S3Settings.DefaultMaxConcurrency;

    public DateRange Range { get; init; } = DateRange.All;
    public bool Reload { get; init; }

    /// <summary>What the run does (load, replace a range, or stage only): chosen by the command.</summary>
    public RunMode Mode { get; init; } = RunMode.Load;
    public bool Batch { get; init; }
    public RejectLimit MaxRejects { get; init; } = RejectLimit.Default;

    /// <summary><c>--on-drift warn|fail</c>: whether a vanished contract field stops the run (exit 3).</summary>
    public DriftPolicy OnDrift { get; init; } = DriftPolicy.Warn;
    public int Parallelism { get; init; } = Environment.ProcessorCount;
    public int IntervalSeconds { get; init; } = 60;

    /// <summary>How many earlier runs' staging folders to keep; older ones are deleted at the start of a run.</summary>
    public int KeepRuns { get; init; } = 10;
    public string? ReportPath { get; init; }

    /// <summary><c>--shard I/N</c>: the part of the listed files this stager takes (staging only).</summary>
    public Shard Shard { get; init; } = Shard.All;

    /// <summary><c>--no-ledger</c>: stage without reading the warehouse (staging only).</summary>
    public bool NoLedger { get; init; }

    /// <summary><c>--metrics-port N</c>: a Prometheus endpoint on loopback; null for none.</summary>
    public int? MetricsPort { get; init; }


    // The generated ToString would print the connection string (and through it a password): never let it.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Target = {Target}, Songs = {Songs}, Logs = {Logs}, Staging = {Staging}, ");
        builder.Append($"Connection = {(Connection is null ? "" : Secrets.MaskConnectionString(Connection))}, Cluster = {Cluster}, MemoryLimit = {MemoryLimit}, ");
        builder.Append($"AwsKeys = {AwsKeys}, IamRoleArn = {IamRoleArn}, Region = {Region}, Endpoint = {Endpoint}");
        return true;
    }
}

/// <summary>
/// The seed projects' <c>[CLUSTER]</c> section (Postgres/Redshift host, database, user, password, port), and
/// <c>SSLMODE</c>, which also applies to a connection string that names no SSL mode of its own.
/// </summary>
internal sealed record ClusterOptions
{
    public string? Host { get; init; }
    public string? Database { get; init; }
    public string? User { get; init; }
    public string? Password { get; init; }
    public int? Port { get; init; }

    /// <summary>
    /// <c>[CLUSTER] CREDENTIAL_PROCESS</c>: a command whose output gives the user and password (IAM temporary
    /// credentials, a Secrets Manager secret), instead of <see cref="User"/> and <see cref="Password"/>; see
    /// <see cref="Configuration.CredentialProcess"/>.
    /// </summary>
    public string? CredentialProcess { get; init; }

    /// <summary>Null: the target's default (Redshift VerifyFull, Postgres Npgsql's own).</summary>
    public SslMode? SslMode { get; init; }

    public override string ToString() =>
        $"ClusterOptions {{ Host = {Host}, Database = {Database}, User = {User}, Password = {(Password is null ? "" : "***")}, " +
        $"Port = {Port}, SslMode = {SslMode}, CredentialProcess = {(CredentialProcess is null ? "" : "(set)")} }}";
}

/// <summary>The seed projects' <c>[AWS] KEY, SECRET</c> (and <c>SESSION_TOKEN</c>): secrets, never printed.</summary>
internal sealed record AwsKeys(string AccessKeyId, string SecretAccessKey, string? SessionToken)
{
    public override string ToString() => "AwsKeys { *** }";
}
