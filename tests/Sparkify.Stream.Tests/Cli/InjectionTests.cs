using Sparkify.Stream.Cli;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Tests.Cli;

/// <summary>
/// Values that reach SQL text are checked against their grammar before anything connects: an IAM role ARN or an S3
/// URI holding a quote, ';', '--' or a line break is exit 2 with the validation error — never the connection error
/// that the closed port would give, and never a DuckDB file created.
/// </summary>
[Collection(nameof(ProcessEnvironment))]   // the ARN comes from the environment: it may hold a line break there
public sealed class InjectionTests : IDisposable
{
    private const string ArnVariable = "SPARKIFY_IAM_ROLE__ARN";
    private const string GoodArn = "arn:aws:iam::123456789012:role/SparkifyCopy";
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-injection-").FullName;
    private const string RegionVariable = "SPARKIFY_S3__REGION";
    private readonly string? _savedArn = Environment.GetEnvironmentVariable(ArnVariable);
    private readonly string? _savedRegion = Environment.GetEnvironmentVariable(RegionVariable);

    public InjectionTests() => Environment.SetEnvironmentVariable(RegionVariable, "us-west-2");

    private async Task<(int Code, string Out, string Err)> RedshiftRun(string arn, string staging = "s3://sparkify-staging/runs",
        string? songs = null)
    {
        Environment.SetEnvironmentVariable(ArnVariable, arn);
        var output = new StringWriter();
        var errors = new StringWriter();
        var code = await SparkifyCli.RunAsync(
        [
            "--batch", "--target", "redshift", "--connection", $"Host=127.0.0.1;Port={CliRun.ClosedPort()};Database=dev;Username=etl",
            "--songs", songs ?? Path.Combine(_dir, "song_data"), "--logs", Path.Combine(_dir, "log_data"), "--staging", staging,
        ], output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task With_valid_values_the_same_run_gets_as_far_as_connecting()
    {
        var result = await RedshiftRun(GoodArn);

        Assert.Equal(2, result.Code);
        Assert.StartsWith("error: cannot connect to Redshift at 127.0.0.1:", result.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arn:aws:iam::123456789012:role/x'; DROP TABLE songplays; --")]
    [InlineData("arn:aws:iam::123456789012:role/x'y")]
    [InlineData("arn:aws:iam::123456789012:role/x;y")]
    [InlineData("arn:aws:iam::123456789012:role/x--y")]
    [InlineData("arn:aws:iam::123456789012:role/x\nDELETE FROM users")]
    [InlineData("arn:aws:iam::123456789012:role/x\r\ny")]
    [InlineData("arn:aws:iam::123456789012:role/x' || '")]
    public async Task An_iam_role_arn_that_could_change_the_copy_statement_is_refused_before_connecting(string arn)
    {
        var result = await RedshiftRun(arn);

        Assert.Equal(2, result.Code);
        Assert.StartsWith("error: [IAM_ROLE] ARN is not an IAM role ARN", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot connect", result.Err, StringComparison.Ordinal);
        Assert.Single(result.Err.Trim().Split('\n'));   // the value cannot forge a second line
    }

    [Theory]
    [InlineData("s3://sparkify-staging/x'; DROP TABLE songplays; --")]
    [InlineData("s3://sparkify-staging/it's")]
    [InlineData("s3://sparkify-staging/a;b")]
    [InlineData("s3://sparkify-staging/a--b")]
    [InlineData("s3://sparkify--staging/a")]
    [InlineData("s3://sparkify-staging/a\nb")]
    [InlineData("s3://sparkify-staging\n/a")]
    [InlineData("s3://sparkify-staging/a\rb")]
    public async Task An_s3_uri_that_could_change_the_statement_is_refused_before_connecting(string uri)
    {
        var asStaging = await RedshiftRun(GoodArn, staging: uri);
        var asSource = await RedshiftRun(GoodArn, songs: uri);

        foreach (var result in new[] { asStaging, asSource })
        {
            Assert.Equal(2, result.Code);
            Assert.StartsWith("error: Invalid S3 URI ", result.Err, StringComparison.Ordinal);
            Assert.DoesNotContain("cannot connect", result.Err, StringComparison.Ordinal);
            Assert.Single(result.Err.Trim().Split('\n'));
        }
    }

    [Theory]
    [InlineData("--staging", "s3://sparkify-staging/x'; DROP TABLE songplays; --")]
    [InlineData("--logs", "s3://sparkify-logs/a--b")]
    [InlineData("--from", "2018-11-01'; DROP TABLE songplays; --")]
    [InlineData("--to", "2018-11-30 --")]
    public async Task On_duckdb_a_bad_value_is_refused_before_the_database_is_even_created(string option, string value)
    {
        var db = Path.Combine(_dir, "w.duckdb");
        var output = new StringWriter();
        var errors = new StringWriter();

        var code = await SparkifyCli.RunAsync(["--batch", "--connection", db, option, value], output, errors);

        Assert.Equal(2, code);
        Assert.StartsWith("error: ", errors.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(db));
    }

    [Theory]
    [InlineData("songs\n")]
    [InlineData("songs; DROP TABLE users")]
    [InlineData("songs\"")]
    [InlineData("so ngs")]
    [InlineData("")]
    public void An_identifier_outside_its_grammar_is_refused(string name)
    {
        Assert.Throws<ArgumentException>(() => SqlText.Identifier(name));
    }

    [Fact]
    public void Literals_double_their_quotes_and_refuse_control_characters()
    {
        Assert.Equal("'it''s'", SqlText.Literal("it's"));
        Assert.Throws<ArgumentException>(() => SqlText.Literal("a\nb"));
        Assert.Equal("\"songplays\"", SqlText.Identifier("songplays"));
        Assert.Equal("TIMESTAMP '2018-11-01 00:00:00'", SqlText.Timestamp(new DateOnly(2018, 11, 1)));
    }

    [Theory]
    [InlineData("s3://sparkify-staging\n/x")]
    [InlineData("s3://sparkify-staging\n")]
    public void A_bucket_name_followed_by_a_line_break_is_not_a_bucket_name(string uri)
    {
        Assert.Throws<ConfigurationException>(() => S3Uri.Parse(uri));
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(ArnVariable, _savedArn);
        Environment.SetEnvironmentVariable(RegionVariable, _savedRegion);
        Directory.Delete(_dir, recursive: true);
    }
}
