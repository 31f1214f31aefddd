using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Sparkify.Stream.Cli;
using Sparkify.Stream.Configuration;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Tests.Configuration;

/// <summary>
/// Redshift on first contact: port 5439 and a verified certificate (VerifyFull) wherever the configuration says
/// nothing, however the connection is configured; what the configuration does say wins. Postgres is left as it was.
/// </summary>
public sealed class RedshiftConnectionDefaultsTests : IDisposable
{
    private const string Password = "pw-Kq83vLz";
    private const string Arn = "arn:aws:iam::123456789012:role/SparkifyCopy";
    private static readonly Dictionary<string, string?> NoCommandLine = [];

    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-redshift-conn-").FullName;

    /// <summary>Loads the configuration as a run does: file, then SPARKIFY_ environment, then command line.</summary>
    private SparkifyOptions Load(string? file = null, Dictionary<string, string?>? environment = null,
        Dictionary<string, string?>? commandLine = null)
    {
        string? path = null;
        if (file is not null)
        {
            path = Path.Combine(_dir, "dwh.cfg");
            File.WriteAllText(path, file);
        }
        return ConfigurationLoader.Load(path, commandLine ?? NoCommandLine, environment ?? []);
    }

    private const string Cluster = """
        [WAREHOUSE]
        TARGET = redshift
        [CLUSTER]
        HOST = sparkify.abc123.us-west-2.redshift.amazonaws.com
        DB_NAME = dev
        DB_USER = etl
        DB_PASSWORD = pw-Kq83vLz

        """;

    private static SparkifyOptions Redshift(string connection, SslMode? configured = null) =>
        new() { Target = "redshift", Connection = connection, Cluster = new ClusterOptions { SslMode = configured } };

    /// <summary>Where Npgsql will connect (host:port) and the SSL mode it will use.</summary>
    private static (string? Endpoint, SslMode SslMode) Effective(string connection)
    {
        var builder = new NpgsqlConnectionStringBuilder(connection);
        return (ServerDefaults.Endpoint(builder), builder.SslMode);
    }

    /// <summary>Opens the redshift target as a run does, which must fail.</summary>
    private static Task<ConfigurationException> OpenFails(string connection) =>
        Assert.ThrowsAsync<ConfigurationException>(() =>
            InfrastructureFactory.OpenWarehouseAsync(Redshift(connection) with { IamRoleArn = Arn }, CancellationToken.None));

    private static bool Names(string connection, string key) =>
        new DbConnectionStringBuilder { ConnectionString = connection }.ContainsKey(key);

    [Theory]
    [InlineData("Host=h;Database=d", "h:5439")]
    [InlineData("Server=h;Database=d", "h:5439")]
    [InlineData("Host=h;Port=5440", "h:5440")]
    [InlineData("host=h;port=5441", "h:5441")]
    [InlineData("HOST=h;PORT=5432", "h:5432")]
    [InlineData("Host=h:5440;Database=d", "h:5440")]
    [InlineData("Host=[::1]:5440", "[::1]:5440")]
    [InlineData("Host=::1", "[::1]:5439")]
    [InlineData("Host=a:5440,b", "a:5440,b:5439")]
    public void A_redshift_connection_string_without_a_port_uses_5439_and_an_explicit_port_wins(string connection, string endpoint) =>
        Assert.Equal(endpoint, Effective(InfrastructureFactory.RedshiftConnection(Redshift(connection))).Endpoint);

    [Fact]
    public void A_port_in_the_host_counts_as_given_so_none_is_added()
    {
        var built = InfrastructureFactory.RedshiftConnection(Redshift("Host=h:5440;Database=d"));
        Assert.False(Names(built, "Port"));
    }

    [Theory]
    [InlineData("Host=127.0.0.1:{0};Username=etl;Password=pw-Kq83vLz;Timeout=2")]
    [InlineData("Host=127.0.0.1:{0};Port=1;Username=etl;Password=pw-Kq83vLz;Timeout=2")]
    public async Task Npgsql_connects_to_the_port_in_the_host_over_5439_or_a_port_key(string connection)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();   // then closed: the handshake fails
        });

        var e = await OpenFails(string.Format(CultureInfo.InvariantCulture, connection, port));

        await accepted.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Contains($"cannot connect to Redshift at 127.0.0.1:{port} (", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_cluster_section_without_db_port_uses_5439_and_verify_full()
    {
        var built = InfrastructureFactory.RedshiftConnection(Load(Cluster));
        Assert.Equal(("sparkify.abc123.us-west-2.redshift.amazonaws.com:5439", SslMode.VerifyFull), Effective(built));
    }

    [Fact]
    public void The_cluster_section_with_db_port_or_a_host_with_a_port_uses_that_port()
    {
        var withPort = InfrastructureFactory.RedshiftConnection(Load(Cluster + "DB_PORT = 5440\n"));
        var inHost = InfrastructureFactory.RedshiftConnection(Load(Cluster.Replace(".com", ".com:5441", StringComparison.Ordinal)));
        Assert.Equal(("sparkify.abc123.us-west-2.redshift.amazonaws.com:5440", SslMode.VerifyFull), Effective(withPort));
        Assert.Equal(("sparkify.abc123.us-west-2.redshift.amazonaws.com:5441", SslMode.VerifyFull), Effective(inHost));
    }

    [Fact]
    public void The_environment_forms_get_the_same_defaults()
    {
        var connection = Load(environment: new()
        {
            ["SPARKIFY_WAREHOUSE__TARGET"] = "redshift",
            ["SPARKIFY_WAREHOUSE__CONNECTION"] = $"Host=env.example;Database=dev;Username=etl;Password={Password}",
        });
        var cluster = Load(environment: new()
        {
            ["SPARKIFY_WAREHOUSE__TARGET"] = "redshift",
            ["SPARKIFY_CLUSTER__HOST"] = "env.example",
            ["SPARKIFY_CLUSTER__DB_NAME"] = "dev",
            ["SPARKIFY_CLUSTER__DB_USER"] = "etl",
        });
        var port = Load(environment: new()
        {
            ["SPARKIFY_WAREHOUSE__TARGET"] = "redshift",
            ["SPARKIFY_WAREHOUSE__CONNECTION"] = "Host=env.example;Database=dev",
            ["SPARKIFY_CLUSTER__SSLMODE"] = "require",
        });

        Assert.Equal(("env.example:5439", SslMode.VerifyFull), Effective(InfrastructureFactory.RedshiftConnection(connection)));
        Assert.Equal(("env.example:5439", SslMode.VerifyFull), Effective(InfrastructureFactory.RedshiftConnection(cluster)));
        Assert.Equal(("env.example:5439", SslMode.Require), Effective(InfrastructureFactory.RedshiftConnection(port)));
    }

    [Theory]
    [InlineData("Host=h;SSL Mode=Require", SslMode.Require)]
    [InlineData("Host=h;sslmode=verifyca", SslMode.VerifyCA)]
    [InlineData("Host=h;SslMode=VerifyFull", SslMode.VerifyFull)]
    public void An_ssl_mode_in_the_connection_string_wins_over_the_cluster_section_and_the_default(string connection, SslMode mode)
    {
        Assert.Equal(mode, Effective(InfrastructureFactory.RedshiftConnection(Redshift(connection))).SslMode);
        Assert.Equal(mode, Effective(InfrastructureFactory.RedshiftConnection(Redshift(connection, SslMode.VerifyFull))).SslMode);
        Assert.Equal(mode, Effective(InfrastructureFactory.RedshiftConnection(Redshift(connection, SslMode.Require))).SslMode);
    }

    [Theory]
    [InlineData("Require", SslMode.Require)]
    [InlineData("verifyca", SslMode.VerifyCA)]
    [InlineData("verify-ca", SslMode.VerifyCA)]
    [InlineData("verify-full", SslMode.VerifyFull)]
    [InlineData("VERIFYFULL", SslMode.VerifyFull)]
    public void The_cluster_sslmode_is_used_when_the_connection_string_names_none(string text, SslMode mode)
    {
        var options = Load(Cluster + $"SSLMODE = {text}\n");
        Assert.Equal(mode, options.Cluster.SslMode);
        Assert.Equal(mode, Effective(InfrastructureFactory.RedshiftConnection(options)).SslMode);
        var connection = options with { Connection = "Host=h;Database=d" };
        Assert.Equal(mode, Effective(InfrastructureFactory.RedshiftConnection(connection)).SslMode);
    }

    [Theory]
    [InlineData("verify_full")]
    [InlineData("5")]
    [InlineData("on")]
    public void An_unknown_sslmode_is_a_configuration_error_that_lists_the_accepted_values(string text)
    {
        var e = Assert.Throws<ConfigurationException>(() => Load(Cluster + $"SSLMODE = {text}\n"));
        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.Equal($"[CLUSTER] SSLMODE must be Disable, Allow, Prefer, Require, VerifyCA or VerifyFull (any case; " +
                     $"libpq's verify-ca and verify-full too), not '{text}'", e.Message);
    }

    [Theory]
    [InlineData("Host=h;SSL Mode=Disable", null, "SSL Mode in the connection string is Disable")]
    [InlineData("Host=h;sslmode=prefer", SslMode.VerifyFull, "SSL Mode in the connection string is Prefer")]
    [InlineData("Host=h", SslMode.Allow, "[CLUSTER] SSLMODE is Allow")]
    public void An_unencrypted_or_optional_ssl_mode_is_refused_for_redshift(string connection, SslMode? configured, string named)
    {
        var e = Assert.Throws<ConfigurationException>(() => InfrastructureFactory.RedshiftConnection(Redshift(connection, configured)));
        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.Equal($"{named}, which the redshift target does not accept: use Require, VerifyCA or VerifyFull " +
                     "(the default, when none is given, is VerifyFull)", e.Message);
    }

    [Fact]
    public void The_postgres_target_keeps_5432_and_npgsqls_ssl_default_unless_configured()
    {
        var postgres = Load(Cluster.Replace("redshift\n", "postgres\n", StringComparison.Ordinal));
        var built = InfrastructureFactory.PostgresConnection(postgres);
        Assert.Equal("postgres", postgres.Target);
        Assert.Equal(("sparkify.abc123.us-west-2.redshift.amazonaws.com:5432", SslMode.Prefer), Effective(built));
        Assert.False(Names(built, "SSL Mode"));

        var given = postgres with { Connection = "Host=given;Database=d" };
        Assert.Equal("Host=given;Database=d", InfrastructureFactory.PostgresConnection(given));

        var disabled = postgres with { Cluster = postgres.Cluster with { SslMode = SslMode.Disable } };
        Assert.Equal(SslMode.Disable, Effective(InfrastructureFactory.PostgresConnection(disabled)).SslMode);
    }

    [Fact]
    public async Task A_failed_connect_names_host_and_port_5439_and_never_the_password()
    {
        var e = await OpenFails($"Host=127.0.0.1;Database=dev;Username=etl;Password={Password};Timeout=2");

        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.StartsWith("cannot connect to Redshift at 127.0.0.1:5439 (", e.Message, StringComparison.Ordinal);
        Assert.Contains("Password=***", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("Host=127.0.0.1:abc;Username=etl;Password=pw-Kq83vLz", "'abc'")]
    [InlineData("Username=etl;Password=pw-Kq83vLz", "'Host'")]
    public async Task A_host_whose_port_is_not_a_number_or_no_host_is_an_invalid_connection_string(string connection, string named)
    {
        var e = await OpenFails(connection);

        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.StartsWith("not a valid Redshift connection string (", e.Message, StringComparison.Ordinal);
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, e.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
