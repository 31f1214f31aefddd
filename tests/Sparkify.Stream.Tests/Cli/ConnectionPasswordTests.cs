using Sparkify.Stream.Cli;

namespace Sparkify.Stream.Tests.Cli;

/// <summary>
/// A password in a connection string, in any spelling (Npgsql keywords, a libpq URI, Redshift's JDBC URL; plain or
/// percent-encoded), appears in no output, log or report of any failing path: a host that does not resolve, a port
/// nothing listens on, a port that is no number, an unknown or bad parameter, a malformed URL, the doctor.
/// </summary>
public sealed class ConnectionPasswordTests : IDisposable
{
    // The marker as the user types it into a URL (percent-encoded) and as it reaches the server (decoded).
    private const string Encoded = "Mk%21pw%40Zq7";
    private const string Decoded = "Mk!pw@Zq7";
    private const string Plain = "MkPlainPwZq7";

    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-conn-pw-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Redshift's S3 staging needs a region before the connection is tried.
    private string Config()
    {
        var path = Path.Combine(_dir, "dwh.cfg");
        File.WriteAllText(path, "[S3]\nREGION = us-west-2\n[IAM_ROLE]\nARN = arn:aws:iam::123456789012:role/SparkifyCopy\n");
        return path;
    }

    public static TheoryData<string, string, string> Connections()
    {
        var port = CliRun.ClosedPort();
        return new()
        {
            { "postgres", $"postgresql://etl:{Encoded}@127.0.0.1:{port}/sparkify?connect_timeout=5", "cannot connect to Postgres at 127.0.0.1:" },
            { "postgres", $"postgresql://etl:{Plain}@127.0.0.1:{port}/sparkify?connect_timeout=5", "cannot connect to Postgres at 127.0.0.1:" },
            { "postgres", $"postgres://etl:{Encoded}@no-such-host.invalid/sparkify?connect_timeout=5", "cannot connect to Postgres at no-such-host.invalid:5432" },
            { "postgres", $"postgresql://etl:{Encoded}@127.0.0.1:notaport/sparkify", "the port must be a whole number" },
            { "postgres", $"postgresql://etl:{Plain}@127.0.0.1/sparkify?sslmode=sometimes", "sslmode must be" },
            { "postgres", $"postgresql://etl:{Plain}@127.0.0.1/sparkify?frobnicate=1", "unknown parameter 'frobnicate'" },
            { "postgres", $"postgresql://etl:{Encoded}@[::1/sparkify", "an IPv6 host opens '['" },
            { "postgres", $"postgresql://127.0.0.1/sparkify?user=etl&password={Encoded}&port=x", "the port must be a whole number" },
            { "postgres", $"postgresql://etl:{Plain}%zz@127.0.0.1/sparkify", "the password holds a '%'" },
            { "postgres", $"Host=127.0.0.1;Port={port};Username=etl;Password={Plain};Timeout=5", "cannot connect to Postgres at 127.0.0.1:" },
            { "postgres", $"Host=127.0.0.1;Port=notaport;Username=etl;Password={Plain}", "not a valid Postgres connection string" },
            { "postgres", $"Host=127.0.0.1;Frobnicate=1;Password={Plain}", "not a valid Postgres connection string" },
            { "postgres", $"Host=127.0.0.1;Username=etl;Password=\"{Plain}", "not a valid Postgres connection string" },
            { "redshift", $"jdbc:redshift://127.0.0.1:{port}/dev;UID=etl;PWD={Encoded};loginTimeout=5", "cannot connect to Redshift at 127.0.0.1:" },
            { "redshift", $"jdbc:redshift://127.0.0.1:{port}/dev?user=etl&password={Encoded}&ssl=maybe", "ssl must be true or false" },
            { "duckdb", $"postgresql://etl:{Encoded}@127.0.0.1/sparkify", "the duckdb target takes a database file" },
        };
    }

    private static void AssertNoPassword(string where, string text)
    {
        foreach (var secret in new[] { Encoded, Decoded, Plain, "Mk!pw", "Mk%21", "MkPlain" })
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{where} shows the password ({secret}): {text}");
    }

    [Theory]
    [MemberData(nameof(Connections))]
    public async Task No_failing_run_prints_or_writes_the_password(string target, string connection, string expected)
    {
        var report = Path.Combine(_dir, "report.json");
        var output = new StringWriter();
        var errors = new StringWriter();

        var code = await SparkifyCli.RunAsync(["--batch", "--verbose", "--config", Config(), "--target", target, "--connection", connection,
            "--staging", target == "redshift" ? "s3://sparkify-staging/x" : Path.Combine(_dir, "staging"),
            "--songs", Path.Combine(_dir, "none"), "--logs", Path.Combine(_dir, "none"), "--report", report], output, errors);

        Assert.Equal(2, code);
        Assert.Contains(expected, errors.ToString(), StringComparison.Ordinal);
        AssertNoPassword("stdout", output.ToString());
        AssertNoPassword("stderr", errors.ToString());
        foreach (var file in Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories))
            AssertNoPassword(file, File.ReadAllText(file));
    }

    [Theory]
    [MemberData(nameof(Connections))]
    public async Task The_doctor_shows_no_password(string target, string connection, string expected)
    {
        _ = expected;
        var output = new StringWriter();
        var errors = new StringWriter();

        var code = await SparkifyCli.RunAsync(["doctor", "--format", "json", "--config", Config(), "--target", target, "--connection", connection,
            "--staging", target == "redshift" ? "s3://sparkify-staging/x" : Path.Combine(_dir, "staging")], output, errors);

        Assert.NotEqual(0, code);
        AssertNoPassword("stdout", output.ToString());
        AssertNoPassword("stderr", errors.ToString());
    }
}
