using Npgsql;
using Sparkify.Stream.Cli;
using Sparkify.Stream.Configuration;

namespace Sparkify.Stream.Tests.Configuration;

/// <summary>libpq connection URIs and Redshift's JDBC URL, read into Npgsql keywords before the target's defaults.</summary>
public sealed class ConnectionUriTests
{
    private static NpgsqlConnectionStringBuilder Postgres(string connection) =>
        new(InfrastructureFactory.PostgresConnection(new SparkifyOptions { Target = "postgres", Connection = connection }));

    private static NpgsqlConnectionStringBuilder Redshift(string connection) =>
        new(InfrastructureFactory.RedshiftConnection(new SparkifyOptions { Target = "redshift", Connection = connection }));

    [Theory]
    [InlineData("postgresql://etl:MyS3cretPw@db.example.com:5433/sparkify")]
    [InlineData("postgres://etl:MyS3cretPw@db.example.com:5433/sparkify")]
    [InlineData("POSTGRESQL://etl:My%53%33cretPw@db.example.com:5433/spark%69fy")]
    [InlineData("postgresql://db.example.com:5433/sparkify?user=etl&password=MyS3cretPw")]
    [InlineData("postgresql://db.example.com/sparkify?port=5433&user=etl&pass%77ord=MyS3cretPw")]
    public void A_libpq_uri_is_read_into_npgsql_keywords(string uri)
    {
        var built = Postgres(uri);
        Assert.Equal(("db.example.com", 5433, "sparkify", "etl", "MyS3cretPw"),
            (built.Host, built.Port, built.Database, built.Username, built.Password));
    }

    [Fact]
    public void A_uri_s_parameters_map_to_npgsql_s_keywords_and_percent_encoding_is_decoded()
    {
        var built = Postgres("postgresql://us%40er:p%40ss%3Aw%2Fd@h/db?sslmode=verify-full&connect_timeout=7" +
            "&application_name=my%20app&options=-c%20search_path%3Dx&target_session_attrs=primary&Pooling=false");
        Assert.Equal(("us@er", "p@ss:w/d", SslMode.VerifyFull, 7, "my app", "-c search_path=x", false),
            (built.Username, built.Password, built.SslMode, built.Timeout, built.ApplicationName, built.Options, built.Pooling));
        Assert.Equal("primary", built.TargetSessionAttributes);
    }

    [Fact]
    public void Several_hosts_and_ipv6_hosts_keep_their_ports()
    {
        Assert.Equal("a:5433,b,[::1]:5434", Postgres("postgresql://a:5433,b,[::1]:5434/db").Host);
        var v6 = Postgres("postgresql://[2001:db8::1]:5440/db");
        Assert.Equal(("2001:db8::1", 5440), (v6.Host, v6.Port));
        Assert.Equal("/var/run/postgresql", Postgres("postgresql://%2Fvar%2Frun%2Fpostgresql/db").Host);
    }

    [Fact]
    public void A_redshift_url_silent_on_port_and_ssl_gets_5439_and_verify_full()
    {
        var uri = Redshift("postgresql://etl:pw@examplecluster.abc123.us-west-2.redshift.amazonaws.com/dev");
        Assert.Equal((5439, SslMode.VerifyFull), (uri.Port, uri.SslMode));

        var jdbc = Redshift("jdbc:redshift://examplecluster.abc123.us-west-2.redshift.amazonaws.com/dev;UID=etl;PWD=pass%3Aword");
        Assert.Equal(("examplecluster.abc123.us-west-2.redshift.amazonaws.com", 5439, "dev", "etl", "pass:word", SslMode.VerifyFull),
            (jdbc.Host, jdbc.Port, jdbc.Database, jdbc.Username, jdbc.Password, jdbc.SslMode));

        var named = Redshift("jdbc:redshift://h:5440/dev?ssl=true&sslmode=verify-ca&user=etl&password=x");
        Assert.Equal((5440, SslMode.VerifyCA), (named.Port, named.SslMode));
        Assert.Equal(SslMode.VerifyFull, Redshift("jdbc:redshift://h:5439/dev;ssl=true").SslMode);
    }

    [Fact]
    public void A_postgres_uri_without_port_uses_5432_and_npgsql_s_ssl_default()
    {
        var built = Postgres("postgresql://etl@db/sparkify");
        Assert.Equal((5432, SslMode.Prefer, null), (built.Port, built.SslMode, built.Password));
    }

    [Theory]
    [InlineData("postgresql://etl:Mk9pw7Zq@h:notaport/db", "the port must be a whole number from 1 to 65535, not 'notaport'")]
    [InlineData("postgresql://etl:Mk9pw7Zq@h:70000/db", "the port must be a whole number from 1 to 65535, not '70000'")]
    [InlineData("postgresql://etl:Mk9pw7Zq@[::1/db", "an IPv6 host opens '[' but does not close it")]
    [InlineData("postgresql://etl:Mk9pw7Zq@h/db?sslmode=bogus", "sslmode must be disable, allow, prefer, require, verify-ca or verify-full, not 'bogus'")]
    [InlineData("postgresql://etl:Mk9pw7Zq@h/db?sslmod=require", "unknown parameter 'sslmod' (did you mean 'sslmode'?)")]
    [InlineData("postgresql://etl:Mk9pw7Zq@h/db?sslmode", "a parameter is not name=value")]
    [InlineData("postgresql://etl:Mk9%zzpw7Zq@h/db", "the password holds a '%' that is not followed by two hex digits")]
    [InlineData("postgresql://h/db?password=Mk9%zzpw7Zq", "the value of password holds a '%'")]
    [InlineData("postgresql://etl:Mk9pw7Zq@h,/db", "a host in the host list is empty")]
    public void A_malformed_uri_is_exit_2_naming_the_problem_with_the_password_masked(string uri, string problem)
    {
        var e = Assert.Throws<ConfigurationException>(() => Postgres(uri));
        Assert.Contains("not a valid Postgres connection URL (", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw7Zq", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, e.ExitCode);
    }

    [Theory]
    [InlineData("postgresql://etl:MyS3cretPw@db.example.com:5432/sparkify", "postgresql://etl:***@db.example.com:5432/sparkify")]
    [InlineData("postgres://etl:My%40S3cret@db/x?sslmode=require", "postgres://etl:***@db/x?sslmode=require")]
    [InlineData("postgresql://etl:p@ss?w@rd@db/x", "postgresql://etl:***@db/x")]
    [InlineData("postgresql://db/x?user=etl&password=MyS3cretPw&sslmode=require", "postgresql://db/x?user=etl&password=***&sslmode=require")]
    [InlineData("postgresql://db/x?pass%77ord=MyS3cretPw", "postgresql://db/x?pass%77ord=***")]
    [InlineData("postgresql://db/x?sslpassword=MyS3cretPw", "postgresql://db/x?sslpassword=***")]
    [InlineData("jdbc:redshift://h:5439/dev;UID=etl;PWD=MyS3cretPw", "jdbc:redshift://h:5439/dev;UID=etl;PWD=***")]
    [InlineData("jdbc:redshift://h:5439/dev?UID=etl&PWD=MyS3cretPw", "jdbc:redshift://h:5439/dev?UID=etl&PWD=***")]
    [InlineData("postgresql://etl@db/x", "postgresql://etl@db/x")]
    public void A_connection_url_is_shown_with_its_password_masked(string connection, string shown)
    {
        Assert.Equal(shown, Secrets.MaskConnectionString(connection));
        Assert.DoesNotContain("S3cret", Secrets.Mask($"cannot use {connection} now"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_duckdb_target_refuses_a_server_url_without_showing_its_password()
    {
        var e = Assert.Throws<ConfigurationException>(() => InfrastructureFactory.DuckDbPath(
            new SparkifyOptions { Connection = "postgresql://etl:MyS3cretPw@db/x" }));
        Assert.Contains("postgresql://etl:***@db/x", e.Message, StringComparison.Ordinal);
        Assert.Contains("--target postgres", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("WAREHOUS", "WAREHOUSE")]
    [InlineData("TAGRET", "TARGET")]
    [InlineData("sslmod", "sslmode")]
    [InlineData("zzzzzz", null)]
    public void The_nearest_known_name_is_a_typo_s_fix(string typo, string? expected) =>
        Assert.Equal(expected, Nearest.Of(typo, ["WAREHOUSE", "TARGET", "CLUSTER", "sslmode", "port", "host"]));
}
