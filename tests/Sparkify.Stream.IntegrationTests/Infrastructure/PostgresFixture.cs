using Npgsql;

namespace Sparkify.Stream.IntegrationTests.Infrastructure;

/// <summary>
/// Gives a test class its own freshly created database on the shared <see cref="PostgresServer"/>, dropped
/// afterwards, so test classes run in parallel without seeing each other's tables. Use it as
/// <c>IClassFixture&lt;PostgresFixture&gt;</c>. Fails (never skips) when no server can be provided.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private string? _connectionString;
    private string? _adminConnectionString;

    /// <summary>The database created for this test class.</summary>
    public string DatabaseName { get; } = $"sparkify_test_{Guid.NewGuid():N}"[..32];

    /// <summary>A connection string to <see cref="DatabaseName"/> (contains the test server's password).</summary>
    public string ConnectionString =>
        _connectionString ?? throw new InvalidOperationException("The Postgres fixture is not initialised.");

    public async Task<NpgsqlConnection> OpenConnectionAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.GetAsync();
        _adminConnectionString = server.AdminConnectionString;
        await using (var admin = new NpgsqlConnection(_adminConnectionString))
        {
            try
            {
                await admin.OpenAsync();
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                throw new InvalidOperationException($"The PostgreSQL server from {server.Source} does not answer: {e.Message}. {PostgresServer.HowToProvide}", e);
            }
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        _connectionString = new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = DatabaseName }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (_connectionString is null || _adminConnectionString is null) return;
        await using (var pooled = new NpgsqlConnection(_connectionString)) NpgsqlConnection.ClearPool(pooled);
        await using var admin = new NpgsqlConnection(_adminConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
