using Npgsql;
using Sparkify.Stream.IntegrationTests.Infrastructure;

namespace Sparkify.Stream.IntegrationTests.Smoke;

public sealed class PostgresSmokeTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Server_answers_with_its_version()
    {
        await using var connection = await postgres.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT version()", connection);
        var version = (string?)await command.ExecuteScalarAsync();
        Assert.Contains("PostgreSQL", version, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_test_class_gets_its_own_database()
    {
        await using var connection = await postgres.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT current_database()", connection);
        Assert.Equal(postgres.DatabaseName, (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Connects_with_password_authentication_over_tcp()
    {
        var builder = new NpgsqlConnectionStringBuilder(postgres.ConnectionString);
        Assert.False(string.IsNullOrEmpty(builder.Host));
        await using var connection = await postgres.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("CREATE TABLE t(x int); INSERT INTO t VALUES (1); SELECT count(*) FROM t", connection);
        Assert.Equal(1L, (long?)await command.ExecuteScalarAsync());
    }
}
