using Npgsql;
using Sparkify.Stream.Configuration;

namespace Sparkify.Stream.Warehouse;

/// <summary>Opening Npgsql connections with one-line, password-free errors (exit 2 for bad settings).</summary>
internal static class PostgresConnections
{
    public static async Task<NpgsqlConnection> OpenAsync(string connectionString, string what, CancellationToken ct)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new ConfigurationException($"the {what} connection string is not valid ({Secrets.Mask(connectionString)}): {ex.Message}");
        }
        builder.Timezone ??= "UTC";
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            await connection.DisposeAsync();
            throw new ConfigurationException(
                $"cannot connect to {what} at {builder.Host}:{builder.Port}/{builder.Database} as {builder.Username}: " +
                Secrets.Mask(ex.Message.Split('\n')[0]), ex);
        }
    }
}
