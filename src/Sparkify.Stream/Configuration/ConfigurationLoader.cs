using System.Globalization;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Configuration;

/// <summary>
/// Builds <see cref="SparkifyOptions"/>: command line &gt; environment (<c>SPARKIFY_</c>, <c>__</c> between section and
/// key, e.g. <c>SPARKIFY_S3__LOG_DATA</c>) &gt; INI config file (seed-compatible dwh.cfg) &gt; defaults.
/// A bad value is a <see cref="ConfigurationException"/> (one line, exit 2).
/// </summary>
internal static class ConfigurationLoader
{
    public const string DefaultConfigFile = "dwh.cfg";

    /// <param name="configFile">An explicit --config (must exist), or null for ./dwh.cfg when present.</param>
    /// <param name="commandLine">Values given on the command line, by configuration key (e.g. "S3:SONG_DATA").</param>
    /// <param name="mode">The command's run mode; <c>[RUN] STAGE_ONLY</c> (<c>--stage-only</c>) makes a loading run stage only.</param>
    public static SparkifyOptions Load(string? configFile, IReadOnlyDictionary<string, string?> commandLine,
        IDictionary<string, string?>? environment = null, RunMode mode = RunMode.Load) =>
        Load(Build(configFile, commandLine, environment), mode);

    /// <summary>The configuration's layers as built, lowest first (the config file, the environment, the command line).</summary>
    /// <param name="File">The config file read, as named (null: none).</param>
    internal sealed record Layers(IConfigurationRoot Root, string? File);

    /// <summary>The options the layers resolve to, with the warnings of the file's unknown keys.</summary>
    /// <param name="mode">The command's run mode (see <see cref="Load(string?, IReadOnlyDictionary{string, string?}, IDictionary{string, string?}?, RunMode)"/>).</param>
    internal static SparkifyOptions Load(Layers layers, RunMode mode = RunMode.Load)
    {
        var read = new ReadKeys(layers.Root);
        var options = Bind(read, mode);
        if (layers.File is null) return options;
        return options with { Warnings = [.. options.Warnings, .. UnknownKeys(layers.File, read.Keys)] };
    }

    /// <summary>Every key <see cref="Bind"/> reads: what a config file, the environment or a flag may set.</summary>
    internal static IReadOnlySet<string> KnownKeys()
    {
        var read = new ReadKeys(new ConfigurationBuilder().Build());
        Bind(read, RunMode.Load);
        return read.Keys;
    }

    /// <summary>The configuration's layers: command line &gt; environment &gt; config file.</summary>
    internal static Layers Build(string? configFile, IReadOnlyDictionary<string, string?> commandLine,
        IDictionary<string, string?>? environment = null)
    {
        var builder = new ConfigurationBuilder();
        var file = configFile ?? (File.Exists(DefaultConfigFile) ? DefaultConfigFile : null);
        if (file is not null)
        {
            if (!File.Exists(file)) throw new ConfigurationException($"config file not found: {file}");
            try
            {
                builder.AddIniFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
            }
            catch (Exception ex) when (ex is FormatException or InvalidDataException)
            {
                throw new ConfigurationException($"config file {file} is not valid INI: {IniProblem(file, ex)}");
            }
        }
        if (environment is null) builder.AddEnvironmentVariables("SPARKIFY_");
        else builder.AddInMemoryCollection(environment
            .Where(p => p.Key.StartsWith("SPARKIFY_", StringComparison.Ordinal))
            .Select(p => KeyValuePair.Create(p.Key["SPARKIFY_".Length..].Replace("__", ":", StringComparison.Ordinal), p.Value)));
        builder.AddInMemoryCollection(commandLine.Where(p => p.Value is not null));
        try
        {
            return new Layers(builder.Build(), file);
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException)
        {
            throw new ConfigurationException($"config file {file} is not valid INI: {IniProblem(file, ex)}");
        }
    }

    /// <summary>
    /// Seed projects' keys that sparkify knowingly does not read: the COPY JSONPaths file (sparkify reads the fields
    /// itself) and the cluster-provisioning section of the infrastructure-as-code notebooks.
    /// </summary>
    private static readonly string[] IgnoredSeedKeys = ["S3:LOG_JSONPATH", "DWH"];

    /// <summary>
    /// A warning for each section and key of the file that nothing reads (a typo, most likely: it would otherwise be
    /// silently ignored), naming the nearest known one. Known means read by <see cref="Bind"/>, so a key added there
    /// is known here too.
    /// </summary>
    private static IEnumerable<string> UnknownKeys(string file, IReadOnlySet<string> known)
    {
        var sections = known.Select(k => k.Split(':')[0]).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var written = new ConfigurationBuilder().AddIniFile(Path.GetFullPath(file), optional: false, reloadOnChange: false)
            .Build().AsEnumerable().Where(p => p.Value is not null).Select(p => p.Key).Order(StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in written)
        {
            var colon = key.IndexOf(':');
            var section = colon < 0 ? "" : key[..colon];
            var name = key[(colon + 1)..];
            if (known.Contains(key) || IgnoredSeedKeys.Any(i => i.Equals(key, StringComparison.OrdinalIgnoreCase)
                    || i.Equals(section, StringComparison.OrdinalIgnoreCase)))
                continue;
            if (section.Length == 0)
            {
                yield return $"{file}: {name} is outside any section, and sparkify reads none there: it is ignored";
            }
            else if (!sections.Contains(section))
            {
                if (!reported.Add(section)) continue;
                var near = Nearest.Of(section, sections);
                yield return $"{file}: sparkify reads no section [{section}]; its keys are ignored" +
                    (near is null ? $" (sections: {string.Join(", ", sections.Order().Select(s => $"[{s}]"))})" : $" (did you mean [{near}]?)");
            }
            else
            {
                var keys = known.Where(k => k.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase)).Select(k => k[(section.Length + 1)..]).ToList();
                var near = Nearest.Of(name, keys);
                yield return $"{file}: sparkify reads no key {name} in [{section}]; it is ignored" +
                    (near is null ? $" (keys: {string.Join(", ", keys.Order())})" : $" (did you mean {near}?)");
            }
        }
    }

    /// <summary>The configuration, noting every key read: what the program reads is what a file may hold.</summary>
    private sealed class ReadKeys(IConfiguration inner) : IConfiguration
    {
        private readonly HashSet<string> _keys = new(StringComparer.OrdinalIgnoreCase);

        public IReadOnlySet<string> Keys => _keys;

        public string? this[string key]
        {
            get
            {
                _keys.Add(key);
                return inner[key];
            }
            set => inner[key] = value;
        }

        public IConfigurationSection GetSection(string key) => inner.GetSection(key);

        public IEnumerable<IConfigurationSection> GetChildren() => inner.GetChildren();

        public Microsoft.Extensions.Primitives.IChangeToken GetReloadToken() => inner.GetReloadToken();
    }

    private static SparkifyOptions Bind(IConfiguration c, RunMode mode)
    {
        var target = (Text(c, "WAREHOUSE:TARGET") ?? "duckdb").ToLowerInvariant();
        if (target is not ("duckdb" or "postgres" or "redshift"))
            throw new ConfigurationException($"target must be duckdb, postgres or redshift, not '{target}'");
        var range = new DateRange(Date(c, "RUN:FROM", "--from"), Date(c, "RUN:TO", "--to"));
        var warnings = new List<string>();
        if (range is { From: { } f, To: { } t } && f > t)
            throw new ConfigurationException($"--from {f:yyyy-MM-dd} is after --to {t:yyyy-MM-dd}");
        var options = new SparkifyOptions
        {
            Songs = Text(c, "S3:SONG_DATA") ?? SparkifyOptions.DefaultSongs,
            Logs = Text(c, "S3:LOG_DATA") ?? SparkifyOptions.DefaultLogs,
            Staging = Text(c, "S3:STAGING") ?? SparkifyOptions.DefaultStaging,
            Target = target,
            Connection = Text(c, "WAREHOUSE:CONNECTION"),
            MemoryLimit = Warehouse.DuckDbWarehouse.MemoryLimitOf(Text(c, "WAREHOUSE:MEMORY_LIMIT")),
            LockWaitSeconds = Int(c, "WAREHOUSE:LOCK_WAIT_SECONDS", "[WAREHOUSE] LOCK_WAIT_SECONDS", 0, 86_400)
                ?? SparkifyOptions.DefaultLockWaitSeconds,
            AwsKeys = AwsKeysOf(c, warnings),
            Warnings = warnings,
            Cluster = new ClusterOptions
            {
                Host = Text(c, "CLUSTER:HOST"),
                Database = Text(c, "CLUSTER:DB_NAME"),
                User = Text(c, "CLUSTER:DB_USER"),
                Password = Text(c, "CLUSTER:DB_PASSWORD"),
                Port = Int(c, "CLUSTER:DB_PORT", "[CLUSTER] DB_PORT", 1, 65535),
                SslMode = SslModeOf(c, "CLUSTER:SSLMODE", "[CLUSTER] SSLMODE"),
                CredentialProcess = Text(c, "CLUSTER:CREDENTIAL_PROCESS"),
            },
            IamRoleArn = Text(c, "IAM_ROLE:ARN"),
            Region = Text(c, "S3:REGION"),
            Endpoint = Text(c, "S3:ENDPOINT"),
            S3MaxConcurrency = Int(c, "S3:MAX_CONCURRENCY", "[S3] MAX_CONCURRENCY", 1, S3Settings.MaxMaxConcurrency)
                ?? S3Settings.DefaultMaxConcurrency,
            Range = range,
            Reload = Bool(c, "RUN:RELOAD"),
            Mode = Bool(c, "RUN:STAGE_ONLY") ? StagingOnly(mode) : mode,
            Batch = Bool(c, "RUN:BATCH"),
            MaxRejects = Text(c, "RUN:MAX_REJECTS") is { } m ? RejectLimit.Parse(m) : RejectLimit.Default,
            OnDrift = Text(c, "RUN:ON_DRIFT") is { } d ? DriftPolicies.Parse(d) : DriftPolicy.Warn,
            Parallelism = Int(c, "RUN:PARALLELISM", "--parallelism", 1, 256) ?? Environment.ProcessorCount,
            IntervalSeconds = Int(c, "RUN:INTERVAL", "--interval", 1, 86_400) ?? 60,
            KeepRuns = Int(c, "RUN:KEEP_RUNS", "--keep-runs", 0, 1_000_000) ?? 10,
            ReportPath = Text(c, "RUN:REPORT"),
            Shard = Text(c, "RUN:SHARD") is { } shard ? Shard.Parse(shard) : Shard.All,
            NoLedger = Bool(c, "RUN:NO_LEDGER"),
            MetricsPort = Int(c, "RUN:METRICS_PORT", "--metrics-port", 1, 65535),
        };
        if (options.Mode != RunMode.Stage && (!options.Shard.IsAll || options.NoLedger))
        {
            throw new ConfigurationException(
                $"{(options.NoLedger ? "--no-ledger" : "--shard")} is for staging only ('sparkify stage'): a run that loads " +
                "takes the whole input, and 'sparkify load' loads what the stagers staged");
        }
        if (options.Endpoint is { } endpoint && !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
            throw new ConfigurationException($"[S3] ENDPOINT is not an absolute URL: '{endpoint}'");
        return options;
    }

    /// <summary>The mode of a run told to stop after staging (<c>--stage-only</c>): staging, which loads nothing.</summary>
    private static RunMode StagingOnly(RunMode mode) => mode == RunMode.Replace
        ? throw new ConfigurationException("--stage-only loads nothing, so there is nothing for --replace to replace: drop one of them")
        : RunMode.Stage;

    /// <summary>
    /// <c>[AWS] KEY, SECRET</c> and <c>SESSION_TOKEN</c>, as some seed projects' dwh.cfg hold them: accepted as
    /// explicit S3 credentials, with a warning (the values are never echoed).
    /// </summary>
    private static AwsKeys? AwsKeysOf(IConfiguration c, List<string> warnings)
    {
        var key = Text(c, "AWS:KEY");
        var secret = Text(c, "AWS:SECRET");
        var token = Text(c, "AWS:SESSION_TOKEN");
        if (key is null && secret is null && token is null) return null;
        if (key is null || secret is null)
        {
            throw new ConfigurationException(
                "[AWS] needs both KEY and SECRET (SESSION_TOKEN only with them); better, remove the section and let " +
                "the AWS SDK's default credential chain provide credentials");
        }
        warnings.Add("[AWS] KEY/SECRET" + (token is null ? "" : "/SESSION_TOKEN") + " from the configuration are used " +
            "as S3 credentials. Keys kept in files leak: prefer the AWS SDK's default credential chain (AWS_PROFILE " +
            "or ~/.aws/credentials, SSO, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, an instance or container role) " +
            "and remove them");
        return new AwsKeys(key, secret, token);
    }

    /// <summary>
    /// Why an INI file does not parse, without echoing its lines: the parser quotes the bad line, and a line such as
    /// <c>DB_PASSWORD hunter2</c> (no '=') holds a secret.
    /// </summary>
    private static string IniProblem(string? file, Exception ex)
    {
        if (ex.Message.StartsWith("A duplicate key", StringComparison.Ordinal)) return FirstLine(ex.Message);
        if (file is null || !File.Exists(file)) return "the file could not be read";
        var lines = File.ReadAllLines(file);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] is ';' or '#' or '/' || (line[0] == '[' && line[^1] == ']') || line.Contains('='))
                continue;
            return $"line {i + 1} is not KEY = VALUE, [SECTION] or a comment";
        }
        return "a line is not KEY = VALUE, [SECTION] or a comment";
    }

    private static string? Text(IConfiguration c, string key) =>
        c[key] is { } value && value.Trim().Trim('"', '\'') is { Length: > 0 } trimmed ? trimmed : null;

    private static bool Bool(IConfiguration c, string key) => Text(c, key)?.ToLowerInvariant() switch
    {
        null or "false" or "0" or "no" => false,
        "true" or "1" or "yes" => true,
        var other => throw new ConfigurationException($"{key} must be true or false, not '{other}'"),
    };

    private static int? Int(IConfiguration c, string key, string name, int min, int max)
    {
        if (Text(c, key) is not { } text) return null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        throw new ConfigurationException($"{name} must be a whole number from {min} to {max}, not '{text}'");
    }

    /// <summary>Npgsql's SslMode names, any case (as Npgsql parses them), and libpq's verify-ca and verify-full; not numbers.</summary>
    private static readonly Dictionary<string, SslMode> SslModes = Enum.GetValues<SslMode>()
        .Select(m => KeyValuePair.Create(m.ToString(), m))
        .Append(KeyValuePair.Create("verify-ca", SslMode.VerifyCA))
        .Append(KeyValuePair.Create("verify-full", SslMode.VerifyFull))
        .ToDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>An SSL mode by Npgsql's name (any case) or libpq's (verify-ca, verify-full, disable, ...).</summary>
    internal static bool TryParseSslMode(string text, out SslMode mode) => SslModes.TryGetValue(text.Trim(), out mode);

    private static SslMode? SslModeOf(IConfiguration c, string key, string name)
    {
        if (Text(c, key) is not { } text) return null;
        if (TryParseSslMode(text, out var mode)) return mode;
        var names = Enum.GetNames<SslMode>();
        throw new ConfigurationException(
            $"{name} must be {string.Join(", ", names[..^1])} or {names[^1]} (any case; libpq's verify-ca and verify-full " +
            $"too), not '{text}'");
    }

    private static DateOnly? Date(IConfiguration c, string key, string name)
    {
        if (Text(c, key) is not { } text) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            return d;
        throw new ConfigurationException($"{name} must be a date as YYYY-MM-DD, not '{text}'");
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
