using Npgsql;
using Sparkify.Stream.Cli;
using Sparkify.Stream.Configuration;

namespace Sparkify.Stream.Tests.Configuration;

/// <summary>Where the Postgres connection comes from, and how a connection string is shown (password masked).</summary>
public sealed class PostgresConnectionSettingsTests
{
    [Theory]
    [InlineData("Host=db;Password=s3cret;Database=x", "Host=db;Password=***;Database=x")]
    [InlineData("Host=db;password = \"a;b\"\"c\";Database=x", "Host=db;password = ***;Database=x")]
    [InlineData("Host=db;PWD='a;b';Database=x", "Host=db;PWD=***;Database=x")]
    [InlineData("Host=db;Password=\"unterminated;Database=x", "Host=db;Password=***")]
    [InlineData("Host=db; SSL Password=k;Username=u", "Host=db; SSL Password=***;Username=u")]
    [InlineData("Password=first;Host=db", "Password=***;Host=db")]
    [InlineData("Host=db;Username=password;Database=pwd", "Host=db;Username=password;Database=pwd")]
    [InlineData("not a connection string", "not a connection string")]
    public void A_connection_string_is_shown_as_written_with_its_secrets_masked(string connection, string shown) =>
        Assert.Equal(shown, Secrets.MaskConnectionString(connection));

    [Fact]
    public void A_known_secret_is_scrubbed_from_a_message_unless_too_short_to_tell_apart()
    {
        Assert.Equal("auth failed for *** at host", Secrets.Scrub("auth failed for s3cret at host", "s3cret"));
        Assert.Equal("a b c", Secrets.Scrub("a b c", "a"));
        Assert.Equal("text", Secrets.Scrub("text", null));
    }

    [Fact]
    public void The_connection_option_wins_over_the_cluster_section()
    {
        var options = new SparkifyOptions
        {
            Target = "postgres",
            Connection = "Host=given;Database=d",
            Cluster = new ClusterOptions { Host = "cluster", Database = "dev", User = "u" },
        };
        Assert.Equal("Host=given;Database=d", InfrastructureFactory.PostgresConnection(options));
    }

    [Fact]
    public void The_cluster_section_builds_the_connection_with_port_5432_by_default()
    {
        var options = new SparkifyOptions
        {
            Target = "postgres",
            Cluster = new ClusterOptions { Host = "db.example", Database = "dev", User = "awsuser", Password = "pa;ss\"word" },
        };
        var built = new NpgsqlConnectionStringBuilder(InfrastructureFactory.PostgresConnection(options));
        Assert.Equal(("db.example", 5432, "dev", "awsuser", "pa;ss\"word"),
            (built.Host, built.Port, built.Database, built.Username, built.Password));

        var port = new NpgsqlConnectionStringBuilder(InfrastructureFactory.PostgresConnection(
            options with { Cluster = options.Cluster with { Port = 5439 } }));
        Assert.Equal(5439, port.Port);
    }

    [Fact]
    public void Without_a_connection_or_a_cluster_the_error_names_both_ways()
    {
        var options = new SparkifyOptions { Target = "postgres", Cluster = new ClusterOptions { Host = "db", Password = "s3cret" } };
        var e = Assert.Throws<ConfigurationException>(() => InfrastructureFactory.PostgresConnection(options));
        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.Contains("--connection", e.Message, StringComparison.Ordinal);
        Assert.Contains("[CLUSTER]", e.Message, StringComparison.Ordinal);
        Assert.Contains("missing: DB_NAME, DB_USER", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", e.Message, StringComparison.Ordinal);
    }
}
