using System.CommandLine;

namespace Sparkify.Stream.Cli;

/// <summary>The options several commands share, each mapped to its configuration key (precedence: command line > environment > config file > defaults).</summary>
internal sealed class CommonOptions
{
    public readonly Option<string?> Config = new("--config") { Description = "INI config file (seed-compatible dwh.cfg); default ./dwh.cfg when present" };
    public readonly Option<string?> Songs = new("--songs") { Description = "song files: a folder or s3://bucket/prefix [S3] SONG_DATA", HelpName = "PATH" };
    public readonly Option<string?> Logs = new("--logs") { Description = "log files: a folder or s3://bucket/prefix [S3] LOG_DATA", HelpName = "PATH" };
    public readonly Option<string?> Staging = new("--staging") { Description = "staging area for Parquet + manifests: a folder or s3://bucket/prefix [S3] STAGING", HelpName = "PATH" };
    public readonly Option<string?> Target = new("--target") { Description = "warehouse: duckdb (default), postgres or redshift [WAREHOUSE] TARGET" };
    public readonly Option<string?> Connection = new("--connection") { Description = "DuckDB file; or Npgsql keywords (Host=…;Password=…), a postgresql:// URI or a jdbc:redshift:// URL [WAREHOUSE] CONNECTION", HelpName = "STRING" };
    public readonly Option<string?> From = new("--from") { Description = "first log date to read (YYYY-MM-DD)", HelpName = "D" };
    public readonly Option<string?> To = new("--to") { Description = "last log date to read (YYYY-MM-DD)", HelpName = "D" };
    public readonly Option<bool> Batch = new("--batch") { Description = "one pass, then exit (without it: watch for new files)" };
    public readonly Option<bool> Reload = new("--reload") { Description = "ignore the load ledger: re-read every file" };
    public readonly Option<string?> MaxRejects = new("--max-rejects") { Description = "fail (exit 3) above N rejected records or P% of those read (default 1%)", HelpName = "N|P%" };
    public readonly Option<string?> OnDrift = new("--on-drift") { Description = "when a contract field vanishes from the input: warn and load (default), or fail (exit 3, nothing loaded) [RUN] ON_DRIFT", HelpName = "warn|fail" };
    public readonly Option<string?> Parallelism = new("--parallelism") { Description = "parse workers (default: the core count)", HelpName = "N" };
    public readonly Option<string?> Interval = new("--interval") { Description = "watch mode: seconds between polls (default 60)", HelpName = "S" };
    public readonly Option<string?> KeepRuns = new("--keep-runs") { Description = "keep the staging folders of the newest N earlier runs, delete older ones (default 10)", HelpName = "N" };
    public readonly Option<string?> Report = new("--report") { Description = "also write report.json here", HelpName = "FILE" };
    public readonly Option<bool> StageOnly = new("--stage-only") { Description = "stop after the Parquet + manifests (no warehouse load)" };
    public readonly Option<string?> Shard = new("--shard") { Description = "stage only the files whose key hashes to shard I of N (1 ≤ I ≤ N), or auto/N: I from JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX (0-based) [RUN] SHARD", HelpName = "I/N" };
    public readonly Option<bool> NoLedger = new("--no-ledger") { Description = "read no warehouse: stage every listed file of the shard (the loader still loads each file once) [RUN] NO_LEDGER" };
    public readonly Option<string?> MetricsPort = new("--metrics-port") { Description = "serve Prometheus metrics on http://127.0.0.1:N/metrics (watch mode; OTLP: set OTEL_EXPORTER_OTLP_ENDPOINT) [RUN] METRICS_PORT", HelpName = "N" };
    public readonly Option<string?> DryRun = DryRunOption();
    public readonly Option<bool> Quiet = new("--quiet", "-q") { Description = "print only errors" };
    public readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "log every step" };

    /// <summary>--dry-run, or --dry-run json for scripts: the value is optional.</summary>
    private static Option<string?> DryRunOption()
    {
        var option = new Option<string?>("--dry-run")
        {
            Description = "say what the run would do — files new, changed and skipped with sizes, waiting packages it would load, " +
                          "what --replace would delete, staging folders it would prune — and change nothing; 'json' prints it as JSON",
            HelpName = "json",
            Arity = ArgumentArity.ZeroOrOne,
        };
        option.AcceptOnlyFromAmong("table", "json");
        return option;
    }

    /// <summary>The dry run's format when --dry-run was given ("table" without a value), else null.</summary>
    public string? DryRunFormat(ParseResult result) =>
        result.GetResult(DryRun) is null ? null : result.GetValue(DryRun) ?? "table";

    public IEnumerable<Option> TargetOptions => [Config, Target, Connection, Quiet, Verbose];

    public IEnumerable<Option> RunOptions =>
        [Batch, Config, Songs, Logs, Staging, Target, Connection, From, To, Reload, MaxRejects, OnDrift, Parallelism, Interval,
         KeepRuns, Report, StageOnly, Shard, NoLedger, MetricsPort, DryRun, Quiet, Verbose];

    /// <summary>`sparkify stage`: the run options without those of watching and --stage-only (it is that).</summary>
    public IEnumerable<Option> StageOptions =>
        RunOptions.Where(o => o != Batch && o != Interval && o != StageOnly);

    /// <summary>The command line's values by configuration key; absent options are left out (lower layers apply).</summary>
    public Dictionary<string, string?> ToConfiguration(ParseResult result)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        void Put(string key, Option<string?> option)
        {
            if (result.GetResult(option) is not null) values[key] = result.GetValue(option);
        }
        void Flag(string key, Option<bool> option)
        {
            if (result.GetResult(option) is not null && result.GetValue(option)) values[key] = "true";
        }
        Put("S3:SONG_DATA", Songs);
        Put("S3:LOG_DATA", Logs);
        Put("S3:STAGING", Staging);
        Put("WAREHOUSE:TARGET", Target);
        Put("WAREHOUSE:CONNECTION", Connection);
        Put("RUN:FROM", From);
        Put("RUN:TO", To);
        Put("RUN:MAX_REJECTS", MaxRejects);
        Put("RUN:ON_DRIFT", OnDrift);
        Put("RUN:PARALLELISM", Parallelism);
        Put("RUN:INTERVAL", Interval);
        Put("RUN:KEEP_RUNS", KeepRuns);
        Put("RUN:REPORT", Report);
        Flag("RUN:BATCH", Batch);
        Flag("RUN:RELOAD", Reload);
        Flag("RUN:STAGE_ONLY", StageOnly);
        Put("RUN:SHARD", Shard);
        Flag("RUN:NO_LEDGER", NoLedger);
        Put("RUN:METRICS_PORT", MetricsPort);
        return values;
    }
}
