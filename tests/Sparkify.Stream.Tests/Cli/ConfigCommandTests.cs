using System.Text.Json;
using Sparkify.Stream.Cli;
using Sparkify.Stream.Configuration;

namespace Sparkify.Stream.Tests.Cli;

/// <summary>
/// `sparkify config`: every setting a run reads, resolved as a run resolves it, with where its value came from
/// (command line, environment, which file and section, default) and what it means; secrets never shown.
/// </summary>
public sealed class ConfigCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string text)
    {
        var path = Path.Combine(_dir, "dwh.cfg");
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private const string Ini = """
        [WAREHOUSE]
        TARGET = redshift
        CONNECTION = Host=c.example.com;Database=dev;Username=etl;Password=conn-pw-9Zq
        [CLUSTER]
        DB_PASSWORD = cluster-pw-7Qx
        [AWS]
        KEY = AKIAEXAMPLEKEY123456
        SECRET = aws-secret-4Kd
        [S3]
        LOG_DATA = s3://bucket/log_data
        LOG_JSONPATH = s3://seed/log_json_path.json
        """;

    [Fact]
    public async Task Every_setting_shows_its_value_and_source_and_no_secret_in_json()
    {
        var file = File(Ini);
        var (output, errors) = (new StringWriter(), new StringWriter());

        var code = await SparkifyCli.RunAsync(["config", "--config", file, "--staging", "/tmp/elsewhere", "--format", "json"], output, errors);

        Assert.True(code == 0, errors.ToString());
        var rows = JsonSerializer.Deserialize<List<Dictionary<string, string>>>(output.ToString())!.ToDictionary(r => r["setting"]);
        Assert.Equal(("s3://bucket/log_data", $"{file} [S3]"), (rows["[S3] LOG_DATA"]["value"], rows["[S3] LOG_DATA"]["source"]));
        Assert.Equal(("/tmp/elsewhere", "command line"), (rows["[S3] STAGING"]["value"], rows["[S3] STAGING"]["source"]));
        Assert.Equal(("data/song_data", "default"), (rows["[S3] SONG_DATA"]["value"], rows["[S3] SONG_DATA"]["source"]));
        Assert.Equal(("5439", "default"), (rows["[CLUSTER] DB_PORT"]["value"], rows["[CLUSTER] DB_PORT"]["source"]));   // the redshift target's
        Assert.Equal(("", "not set"), (rows["[IAM_ROLE] ARN"]["value"], rows["[IAM_ROLE] ARN"]["source"]));
        Assert.Equal("***", rows["[CLUSTER] DB_PASSWORD"]["value"]);
        Assert.Equal("***", rows["[AWS] SECRET"]["value"]);
        Assert.Contains("Password=***", rows["[WAREHOUSE] CONNECTION"]["value"], StringComparison.Ordinal);
        Assert.All(rows.Values, r => Assert.False(string.IsNullOrWhiteSpace(r["meaning"]), r["setting"]));
        var everything = output + errors.ToString();
        foreach (var secret in new[] { "conn-pw-9Zq", "cluster-pw-7Qx", "aws-secret-4Kd", "AKIAEXAMPLEKEY123456" })
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        Assert.Equal(ConfigurationLoader.KnownKeys().Count, rows.Count);
    }

    [Fact]
    public void The_environment_beats_the_file_and_the_command_line_beats_both()
    {
        var file = File("[S3]\nSONG_DATA = from-file\nLOG_DATA = from-file\nSTAGING = from-file\n");
        var layers = ConfigurationLoader.Build(file,
            new Dictionary<string, string?> { ["S3:STAGING"] = "from-flag" },
            new Dictionary<string, string?> { ["SPARKIFY_S3__LOG_DATA"] = "from-env", ["SPARKIFY_S3__STAGING"] = "from-env" });
        var settings = ResolvedSettings.Of(layers, ConfigurationLoader.Load(layers)).ToDictionary(s => s.Key);

        Assert.Equal(("from-file", $"{file} [S3]"), (settings["[S3] SONG_DATA"].Value, settings["[S3] SONG_DATA"].Source));
        Assert.Equal(("from-env", "environment SPARKIFY_S3__LOG_DATA"), (settings["[S3] LOG_DATA"].Value, settings["[S3] LOG_DATA"].Source));
        Assert.Equal(("from-flag", "command line"), (settings["[S3] STAGING"].Value, settings["[S3] STAGING"].Source));
    }

    [Fact]
    public void Every_key_sparkify_reads_has_a_meaning_to_show() =>
        Assert.All(ConfigurationLoader.KnownKeys(), key =>
            Assert.True(ResolvedSettings.Catalogue.TryGetValue(key, out var entry) && entry.Meaning.Length > 0, $"{key} has no meaning in ResolvedSettings.Catalogue"));

    [Fact]
    public async Task A_bad_value_is_exit_2_as_for_a_run()
    {
        var (output, errors) = (new StringWriter(), new StringWriter());
        var code = await SparkifyCli.RunAsync(["config", "--config", File("[WAREHOUSE]\nTARGET = oracle\n")], output, errors);
        Assert.Equal(2, code);
        Assert.Contains("target must be duckdb, postgres or redshift", errors.ToString(), StringComparison.Ordinal);
    }
}
