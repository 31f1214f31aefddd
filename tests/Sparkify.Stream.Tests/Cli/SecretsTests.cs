using Amazon.Runtime;
using Sparkify.Stream.Cli;
using Sparkify.Stream.Configuration;
using Sparkify.Stream.Generation;

namespace Sparkify.Stream.Tests.Cli;

/// <summary>Tests that set process environment variables: they run alone, after the parallel ones.</summary>
[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;

/// <summary>
/// Secrets never leave the process: with a database password and AWS keys configured (config file, SPARKIFY_
/// environment, command line, the AWS SDK's own variables), runs that fail and runs that succeed print none of them on
/// stdout or stderr (the log), write none into report.json or rejects.csv, and put none into exception messages.
/// </summary>
[Collection(nameof(ProcessEnvironment))]
public sealed class SecretsTests : IDisposable
{
    private const string FilePassword = "file-pw-Q7x9mb";
    private const string EnvPassword = "env-pw-Z3k4rt";
    private const string CliPassword = "cli-pw-M8v2wq";
    private const string AccessKey = "AKIAQ7EXAMPLE3XK9ZTA";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";
    private const string SessionToken = "IQoJb3JpZ2luX2VjEXAMPLETOKENq7";
    private const string EnvSessionToken = "FwoGZXIvYXdzEXAMPLEENVTOKENp5";
    private const string SdkSecretKey = "sdkSecretFromEnvironmentXk29Lq";

    private static readonly string[] AllSecrets =
        [FilePassword, EnvPassword, CliPassword, AccessKey, SecretKey, SessionToken, EnvSessionToken, SdkSecretKey];

    private static readonly Dictionary<string, string> Environment = new()
    {
        ["SPARKIFY_CLUSTER__DB_PASSWORD"] = EnvPassword,
        ["SPARKIFY_AWS__SESSION_TOKEN"] = EnvSessionToken,
        ["AWS_ACCESS_KEY_ID"] = "AKIAENVEXAMPLEKEY123",
        ["AWS_SECRET_ACCESS_KEY"] = SdkSecretKey,
    };

    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-secrets-").FullName;
    private readonly Dictionary<string, string?> _saved = [];

    public SecretsTests()
    {
        foreach (var (name, value) in Environment)
        {
            _saved[name] = System.Environment.GetEnvironmentVariable(name);
            System.Environment.SetEnvironmentVariable(name, value);
        }
    }

    private string Data => Path.Combine(_dir, "data");

    private string Config(string target, int port, string staging) => Write("dwh.cfg", $"""
        [WAREHOUSE]
        TARGET = {target}
        [CLUSTER]
        HOST = 127.0.0.1
        DB_NAME = dev
        DB_USER = etl
        DB_PASSWORD = {FilePassword}
        DB_PORT = {port}
        [IAM_ROLE]
        ARN = arn:aws:iam::123456789012:role/SparkifyCopy
        [AWS]
        KEY = {AccessKey}
        SECRET = {SecretKey}
        SESSION_TOKEN = {SessionToken}
        [S3]
        REGION = us-west-2
        STAGING = {staging}
        SONG_DATA = {Path.Combine(Data, "song_data")}
        LOG_DATA = {Path.Combine(Data, "log_data")}
        """);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var code = await SparkifyCli.RunAsync(args, output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    private static void AssertNoSecret(string where, string text)
    {
        foreach (var secret in AllSecrets)
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{where} contains the secret {secret[..4]}…");
    }

    [Fact]
    public async Task A_run_that_cannot_reach_the_cluster_prints_no_password_or_key()
    {
        var port = CliRun.ClosedPort();
        var config = Config("redshift", port, "s3://sparkify-staging/test");

        var result = await Run("--batch", "--verbose", "--config", config);

        Assert.Equal(2, result.Code);
        Assert.Contains($"error: cannot connect to Redshift at 127.0.0.1:{port} (Host=127.0.0.1;Port={port};Database=dev;Username=etl;Password=***;",
            result.Err, StringComparison.Ordinal);
        Assert.Contains("[AWS] KEY/SECRET/SESSION_TOKEN from the configuration are used as S3 credentials", result.Err, StringComparison.Ordinal);
        Assert.Contains("default credential chain", result.Err, StringComparison.Ordinal);
        AssertNoSecret("stdout", result.Out);
        AssertNoSecret("stderr", result.Err);
    }

    [Fact]
    public async Task A_connection_string_with_a_password_is_printed_masked()
    {
        var port = CliRun.ClosedPort();
        var config = Config("redshift", port, "s3://sparkify-staging/test");

        var unreachable = await Run("--batch", "--verbose", "--config", config, "--connection",
            $"Host=127.0.0.1;Port={port};Database=dev;Username=etl;Password={CliPassword}");
        var invalid = await Run("--batch", "--config", config, "--connection",
            $"Host=127.0.0.1;Password='alpha;bravo {CliPassword}';No Such Key=1");
        var invalidDoubleQuoted = await Run("--batch", "--config", config, "--connection",
            $"Host=127.0.0.1;Password=\"alpha;bravo {CliPassword}\";No Such Key=1");

        Assert.Equal(2, unreachable.Code);
        Assert.Contains($"error: cannot connect to Redshift at 127.0.0.1:{port} (Host=127.0.0.1;Port={port};Database=dev;Username=etl;Password=***",
            unreachable.Err, StringComparison.Ordinal);
        foreach (var result in new[] { invalid, invalidDoubleQuoted })
        {
            Assert.Equal(2, result.Code);
            Assert.Contains("error: not a valid Redshift connection string (Host=127.0.0.1;Password=***;No Such Key=1)",
                result.Err, StringComparison.Ordinal);
            Assert.DoesNotContain("alpha", result.Err, StringComparison.Ordinal);
            Assert.DoesNotContain("bravo", result.Err, StringComparison.Ordinal);
        }
        foreach (var result in new[] { unreachable, invalid, invalidDoubleQuoted })
        {
            AssertNoSecret("stdout", result.Out);
            AssertNoSecret("stderr", result.Err);
        }
    }

    [Fact]
    public async Task Runs_that_succeed_or_hit_the_reject_limit_write_no_secret_anywhere()
    {
        DataGenerator.Generate(new GeneratorOptions(Data) { Songs = 40, Events = 600, Users = 10, Days = 2, Seed = 3, BadLines = 1 });
        var staging = Path.Combine(_dir, "staging");
        var config = Config("duckdb", CliRun.ClosedPort(), staging);
        var reportPath = Path.Combine(_dir, "report.json");
        string[] common = ["--batch", "--verbose", "--config", config, "--connection", Path.Combine(_dir, "w.duckdb"), "--report", reportPath];

        var limited = await Run([.. common, "--max-rejects", "0"]);
        var limitedReport = await File.ReadAllTextAsync(reportPath);
        var succeeded = await Run([.. common, "--max-rejects", "100%"]);

        Assert.Equal(3, limited.Code);
        Assert.Equal(0, succeeded.Code);
        Assert.Contains("\"status\": \"reject_limit\"", limitedReport, StringComparison.Ordinal);
        foreach (var result in new[] { limited, succeeded })
        {
            Assert.Contains("are used as S3 credentials", result.Err, StringComparison.Ordinal);
            AssertNoSecret("stdout", result.Out);
            AssertNoSecret("stderr", result.Err);
        }
        AssertNoSecret("report.json (--report)", limitedReport);
        var written = Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".csv", StringComparison.Ordinal)
                        || f.EndsWith(".manifest", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(2, written.Count(f => f.EndsWith("report.json", StringComparison.Ordinal)));
        foreach (var file in written.Append(reportPath)) AssertNoSecret(file, await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task A_config_line_without_equals_is_located_not_echoed()
    {
        var config = Write("broken.cfg", $"[CLUSTER]\nHOST = 127.0.0.1\nDB_PASSWORD {FilePassword}\n");

        var result = await Run("--batch", "--config", config);

        Assert.Equal(2, result.Code);
        Assert.Equal($"error: config file {config} is not valid INI: line 3 is not KEY = VALUE, [SECTION] or a comment",
            result.Err.Trim());
        AssertNoSecret("stderr", result.Err);
    }

    [Fact]
    public async Task Options_and_exceptions_carry_no_secret()
    {
        var port = CliRun.ClosedPort();
        var options = ConfigurationLoader.Load(Config("redshift", port, "s3://sparkify-staging/test"), new Dictionary<string, string?>
        {
            ["WAREHOUSE:CONNECTION"] = $"Host=127.0.0.1;Port={port};Username=etl;Password={CliPassword}",
        });

        Assert.Equal(EnvPassword, options.Cluster.Password);                 // the environment beats the file
        Assert.Equal(new AwsKeys(AccessKey, SecretKey, EnvSessionToken), options.AwsKeys);
        AssertNoSecret("SparkifyOptions.ToString()", options.ToString());
        var error = await Assert.ThrowsAsync<ConfigurationException>(() => InfrastructureFactory.OpenAsync(options, CancellationToken.None));
        Assert.Contains("cannot connect to Redshift", error.Message, StringComparison.Ordinal);
        AssertNoSecret("the exception (with its inner exceptions)", error.ToString());
    }

    [Fact]
    public void Aws_keys_from_the_config_become_the_s3_clients_explicit_credentials_and_need_key_and_secret()
    {
        var options = ConfigurationLoader.Load(Config("duckdb", 5432, "staging"), new Dictionary<string, string?>(), new Dictionary<string, string?>());
        var credentials = Assert.IsType<SessionAWSCredentials>(InfrastructureFactory.CredentialsOf(options)).GetCredentials();
        Assert.Equal((AccessKey, SecretKey, SessionToken), (credentials.AccessKey, credentials.SecretKey, credentials.Token));
        Assert.Single(options.Warnings);

        var none = ConfigurationLoader.Load(null, new Dictionary<string, string?>(), new Dictionary<string, string?>());
        Assert.Null(InfrastructureFactory.CredentialsOf(none));
        Assert.Empty(none.Warnings);

        var keyOnly = Write("key-only.cfg", $"[AWS]\nKEY = {AccessKey}\n");
        var error = Assert.Throws<ConfigurationException>(() =>
            ConfigurationLoader.Load(keyOnly, new Dictionary<string, string?>(), new Dictionary<string, string?>()));
        Assert.Equal(2, error.ExitCode);
        AssertNoSecret("the error", error.Message);
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved) System.Environment.SetEnvironmentVariable(name, value);
        Directory.Delete(_dir, recursive: true);
    }
}
