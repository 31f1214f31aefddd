using Sparkify.Stream.Configuration;

namespace Sparkify.Stream.Tests.Cli;

/// <summary>Configuration precedence (docs/reference/configuration.md): command line &gt; SPARKIFY_ environment &gt; INI file &gt; defaults.</summary>
public sealed class ConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-config-").FullName;

    private string WriteConfig(string text)
    {
        var path = Path.Combine(_dir, "dwh.cfg");
        File.WriteAllText(path, text);
        return path;
    }

    private static readonly Dictionary<string, string?> NoEnvironment = [];

    [Fact]
    public void Defaults_read_the_sample_and_load_duckdb()
    {
        var options = ConfigurationLoader.Load(null, new Dictionary<string, string?>(), NoEnvironment);
        Assert.Equal(("data/song_data", "data/log_data", ".sparkify/staging", "duckdb"),
            (options.Songs, options.Logs, options.Staging, options.Target));
        Assert.Equal("1%", options.MaxRejects.ToString());
    }

    [Fact]
    public void On_drift_is_warn_by_default_and_read_from_the_file_the_environment_and_the_command_line()
    {
        Assert.Equal(DriftPolicy.Warn, ConfigurationLoader.Load(null, new Dictionary<string, string?>(), NoEnvironment).OnDrift);
        var file = WriteConfig("[RUN]\nON_DRIFT = Fail\n");
        Assert.Equal(DriftPolicy.Fail, ConfigurationLoader.Load(file, new Dictionary<string, string?>(), NoEnvironment).OnDrift);
        Assert.Equal(DriftPolicy.Warn, ConfigurationLoader.Load(file, new Dictionary<string, string?>(),
            new Dictionary<string, string?> { ["SPARKIFY_RUN__ON_DRIFT"] = "warn" }).OnDrift);
        Assert.Equal(DriftPolicy.Fail, ConfigurationLoader.Load(null,
            new Dictionary<string, string?> { ["RUN:ON_DRIFT"] = "fail" }, NoEnvironment).OnDrift);
    }

    [Fact]
    public void Command_line_beats_environment_beats_file()
    {
        var file = WriteConfig("""
            [S3]
            LOG_DATA = s3://from-file/log_data
            SONG_DATA = s3://from-file/song_data
            STAGING = s3://from-file/staging
            [CLUSTER]
            HOST = cluster.example
            DB_PORT = 5439
            DB_PASSWORD = file-secret
            [IAM_ROLE]
            ARN = arn:aws:iam::123456789012:role/x
            """);
        var environment = new Dictionary<string, string?>
        {
            ["SPARKIFY_S3__LOG_DATA"] = "s3://from-env/log_data",
            ["SPARKIFY_S3__SONG_DATA"] = "s3://from-env/song_data",
            ["OTHER"] = "ignored",
        };
        var commandLine = new Dictionary<string, string?> { ["S3:LOG_DATA"] = "/from/cli" };

        var options = ConfigurationLoader.Load(file, commandLine, environment);

        Assert.Equal("/from/cli", options.Logs);
        Assert.Equal("s3://from-env/song_data", options.Songs);
        Assert.Equal("s3://from-file/staging", options.Staging);
        Assert.Equal(("cluster.example", 5439, "file-secret"), (options.Cluster.Host, options.Cluster.Port, options.Cluster.Password));
        Assert.Equal("arn:aws:iam::123456789012:role/x", options.IamRoleArn);
    }

    [Theory]
    [InlineData("[CLUSTER]\nDB_PORT = port\n", "DB_PORT")]
    [InlineData("[WAREHOUSE]\nTARGET = oracle\n", "target")]
    [InlineData("[RUN]\nMAX_REJECTS = -5\n", "--max-rejects")]
    [InlineData("[RUN]\nON_DRIFT = ignore\n", "--on-drift must be warn or fail")]
    [InlineData("[S3]\nENDPOINT = not a url\n", "ENDPOINT")]
    [InlineData("this is not ini [", "not valid INI")]
    public void A_bad_file_value_is_a_configuration_error(string text, string mentioned)
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            ConfigurationLoader.Load(WriteConfig(text), new Dictionary<string, string?>(), NoEnvironment));
        Assert.Contains(mentioned, error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.ExitCode);
    }

    [Theory]
    [InlineData("100", 100, 101, 100000, true)]
    [InlineData("100", 100, 100, 100000, false)]
    [InlineData("1%", null, 11, 1000, true)]
    [InlineData("1%", null, 10, 1000, false)]
    [InlineData("0", 0, 1, 1000, true)]
    public void Reject_limit_counts_or_percentages(string text, int? count, long rejected, long read, bool exceeded)
    {
        var limit = RejectLimit.Parse(text);
        Assert.Equal((long?)count, limit.Count);
        Assert.Equal(exceeded, limit.IsExceeded(rejected, read));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
