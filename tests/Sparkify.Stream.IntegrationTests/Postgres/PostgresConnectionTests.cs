using System.Net;
using System.Net.Sockets;
using Npgsql;
using Sparkify.Stream.Cli;
using Sparkify.Stream.IntegrationTests.Infrastructure;
using Sparkify.Stream.Tests.Semantics;
using Sparkify.Stream.Warehouse;
using static Sparkify.Stream.Tests.Semantics.Scenario;

namespace Sparkify.Stream.IntegrationTests.Postgres;

/// <summary>
/// A bad connection string, an unreachable server or refused credentials: one line, exit 2, the password never shown.
/// And the command line end to end: <c>sparkify --batch --target postgres --connection …</c>.
/// </summary>
public sealed class PostgresConnectionTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string Secret = "hunter2-Secret;pw";

    /// <summary>A loopback port nothing listens on (bound once by the OS, then released).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static void AssertOneLineWithoutSecrets(SparkifyException e, params string[] secrets)
    {
        Assert.IsType<ConfigurationException>(e);
        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.DoesNotContain('\n', e.Message);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(secret.Split(';')[0], e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Port=not-a-port;Username=u;Password=\"hunter2-Secret;pw\"")]
    [InlineData("Hostname-typo=127.0.0.1;Username=u;Password='hunter2-Secret;pw'")]
    [InlineData("Host=127.0.0.1;Username=u;Password=\"hunter2-Secret;pw")]
    [InlineData("Host=127.0.0.1;Username=u;PWD=\"hunter2-Secret;pw\";Timeout=abc")]
    public async Task A_malformed_connection_string_is_a_configuration_error_with_the_password_masked(string connection)
    {
        var e = await Assert.ThrowsAsync<ConfigurationException>(() => PostgresWarehouse.OpenAsync(connection, CancellationToken.None));
        AssertOneLineWithoutSecrets(e, Secret);
        Assert.StartsWith("not a valid Postgres connection string (", e.Message, StringComparison.Ordinal);
        Assert.Contains("***", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_is_a_configuration_error_naming_it_with_the_password_masked()
    {
        var port = ClosedPort();
        var connection = $"Host=127.0.0.1;Port={port};Username=sparkify;Password=\"{Secret}\";Timeout=5";
        var e = await Assert.ThrowsAsync<ConfigurationException>(() => PostgresWarehouse.OpenAsync(connection, CancellationToken.None));
        AssertOneLineWithoutSecrets(e, Secret);
        Assert.StartsWith($"cannot connect to Postgres at 127.0.0.1:{port} (", e.Message, StringComparison.Ordinal);
        Assert.Contains($"Port={port}", e.Message, StringComparison.Ordinal);
        Assert.Contains("Password=***", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_a_configuration_error_that_shows_neither_password()
    {
        var right = new NpgsqlConnectionStringBuilder(postgres.ConnectionString);
        var wrong = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Password = Secret };
        var e = await Assert.ThrowsAsync<ConfigurationException>(() => PostgresWarehouse.OpenAsync(wrong.ConnectionString, CancellationToken.None));
        AssertOneLineWithoutSecrets(e, Secret, right.Password!);
        Assert.Contains("28P01", e.Message, StringComparison.Ordinal);   // invalid_password
    }

    [Fact]
    public async Task A_missing_database_is_a_configuration_error()
    {
        var missing = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = "no_such_database_here" };
        var e = await Assert.ThrowsAsync<ConfigurationException>(() => PostgresWarehouse.OpenAsync(missing.ConnectionString, CancellationToken.None));
        AssertOneLineWithoutSecrets(e, missing.Password!);
        Assert.Contains("3D000", e.Message, StringComparison.Ordinal);   // invalid_catalog_name
    }

    [Fact]
    public async Task The_command_line_exits_2_with_one_masked_line_when_the_server_is_unreachable()
    {
        using var s = new Scenario();
        var connection = $"Host=127.0.0.1;Port={ClosedPort()};Username=sparkify;Password=\"{Secret}\";Timeout=5";
        var (code, stdout, stderr) = await RunCliAsync(s, connection);

        Assert.Equal(ExitCodes.Usage, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: cannot connect to Postgres at 127.0.0.1:", line, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_command_line_loads_the_star_schema_into_postgres()
    {
        using var s = new Scenario();
        s.Song("SO1", "Song", "AR1", "Band", 200.0);
        s.Log("2018-11-01", Event("2018-11-01T01:00:00Z", 1, song: "Song", artist: "Band", length: 200.0),
            Event("2018-11-01T02:00:00Z", 2, level: "paid", itemInSession: 1));
        var connection = await PostgresWarehouses.NewSchemaAsync(postgres);

        var (code, _, stderr) = await RunCliAsync(s, connection);
        Assert.True(code == ExitCodes.Success, stderr);
        await using var w = await PostgresWarehouse.OpenAsync(connection, CancellationToken.None);
        Assert.Equal(new Dictionary<string, long> { ["songplays"] = 2, ["users"] = 2, ["songs"] = 1, ["artists"] = 1, ["time"] = 2 },
            await w.CountRowsAsync(CancellationToken.None));
        Assert.Contains("|SO1|AR1|", (await Tables.DumpAsync(w, "songplays"))[0] + (await Tables.DumpAsync(w, "songplays"))[1],
            StringComparison.Ordinal);

        var (again, _, _) = await RunCliAsync(s, connection);
        Assert.Equal(ExitCodes.Success, again);
        Assert.Equal(2, (await w.QueryAsync("SELECT * FROM sparkify_load_ledger", CancellationToken.None)).Rows.Count);
    }

    [Fact]
    public async Task The_command_line_loads_into_postgres_through_a_libpq_uri_with_a_percent_encoded_password()
    {
        using var s = new Scenario();
        s.Song("SO1", "Song", "AR1", "Band", 200.0);
        s.Log("2018-11-01", Event("2018-11-01T01:00:00Z", 1, song: "Song", artist: "Band", length: 200.0));
        var keywords = new NpgsqlConnectionStringBuilder(await PostgresWarehouses.NewSchemaAsync(postgres));
        var uri = $"postgresql://{Uri.EscapeDataString(keywords.Username!)}:{Uri.EscapeDataString(keywords.Password!)}@" +
            $"{keywords.Host}:{keywords.Port}/{keywords.Database}?sslmode=disable&application_name=uri%20test" +
            $"&options={Uri.EscapeDataString("-c search_path=" + keywords.SearchPath)}";

        var (code, stdout, stderr) = await RunCliAsync(s, uri);

        Assert.True(code == ExitCodes.Success, stderr);
        Assert.DoesNotContain(keywords.Password!, stdout + stderr, StringComparison.Ordinal);
        await using var w = await PostgresWarehouse.OpenAsync(keywords.ConnectionString, CancellationToken.None);
        Assert.Equal(1L, (await w.CountRowsAsync(CancellationToken.None))["songplays"]);
    }

    [Fact]
    public async Task The_load_session_has_room_for_its_temp_tables_unless_the_connection_string_says_otherwise()
    {
        var connection = await PostgresWarehouses.NewSchemaAsync(postgres);
        await using (var w = await PostgresWarehouse.OpenAsync(connection, CancellationToken.None))
        {
            var settings = await w.QueryAsync("SELECT current_setting('work_mem'), current_setting('temp_buffers')", CancellationToken.None);
            Assert.Equal(new object?[] { "256MB", "256MB" }, settings.Rows[0]);
            // The staging tables hold rows for one transaction: UNLOGGED (no WAL), the star tables are not.
            await w.CreateTablesAsync(drop: false, CancellationToken.None);
            var persistence = await w.QueryAsync(
                "SELECT relname, relpersistence FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
                "WHERE n.nspname = current_schema() AND c.relkind = 'r' AND relname IN ('staging_events', 'staging_songs', " +
                "'staging_files', 'songplays', 'time') ORDER BY relname", CancellationToken.None);
            Assert.Equal(
                ["songplays p", "staging_events u", "staging_files u", "staging_songs u", "time p"],
                persistence.Rows.Select(r => $"{r[0]} {r[1]}"));
        }

        var own = new NpgsqlConnectionStringBuilder(connection) { Options = "-c work_mem=64MB" }.ConnectionString;
        await using var mine = await PostgresWarehouse.OpenAsync(own, CancellationToken.None);
        var mem = await mine.QueryAsync("SELECT current_setting('work_mem'), current_setting('temp_buffers')", CancellationToken.None);
        Assert.Equal(new object?[] { "64MB", "256MB" }, mem.Rows[0]);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunCliAsync(Scenario s, string connection)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await SparkifyCli.RunAsync(
            ["--batch", "--quiet", "--target", "postgres", "--connection", connection, "--songs", s.SongDir,
             "--logs", s.LogDir, "--staging", s.StagingDir],
            stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
