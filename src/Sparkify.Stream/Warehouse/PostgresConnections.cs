using System.Net.Sockets;
using System.Security.Authentication;
using Npgsql;

namespace Sparkify.Stream.Warehouse;

/// <summary>
/// Opening Npgsql sessions (Postgres, Redshift) with one-line, password-free errors (exit 2 for bad settings); a
/// failure to connect names the host and port tried, then the connection string, masked.
/// </summary>
internal static class PostgresConnections
{
    /// <param name="what">"Postgres" or "Redshift", for the messages.</param>
    /// <param name="sessionSettings">Server settings for this session (<c>-c name=value</c> ...), put before the
    /// connection string's own Options, so a setting given there wins; null for none.</param>
    /// <param name="errorDetail">Keep the server's DETAIL field in errors (Npgsql's <c>Include Error Detail</c>; it
    /// redacts DETAIL by default): Redshift says which file, column and reason only there.</param>
    public static async Task<NpgsqlConnection> OpenAsync(
        string connectionString, string what, string? sessionSettings, bool errorDetail, CancellationToken ct)
    {
        var shown = Secrets.MaskConnectionString(connectionString);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (IsInvalidSetting(e))
        {
            throw new ConfigurationException($"not a valid {what} connection string ({shown}): {OneLine(e, null)}");
        }
        // The session runs in UTC: TIMESTAMP columns hold UTC wall-clock values, exactly as the Parquet instants say.
        builder.Timezone = "UTC";
        builder.ApplicationName ??= "sparkify";
        if (errorDetail) builder.IncludeErrorDetail = true;
        if (sessionSettings is not null)
            builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? sessionSettings : $"{sessionSettings} {builder.Options}";

        NpgsqlConnection connection;
        try
        {
            // Npgsql checks the settings together here: no Host, a Host of name:port whose port is not a number, ...
            connection = new NpgsqlConnection(builder.ConnectionString);
        }
        catch (Exception e) when (IsInvalidSetting(e) || e is NotSupportedException)
        {
            throw new ConfigurationException($"not a valid {what} connection string ({shown}): {OneLine(e, builder.Password)}");
        }
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is NpgsqlException or SocketException or IOException
                                      or TimeoutException or AuthenticationException or ArgumentException
                                      or InvalidOperationException)
        {
            await connection.DisposeAsync();
            var at = ServerDefaults.Endpoint(builder) is { } endpoint ? $" at {endpoint}" : "";
            throw new ConfigurationException($"cannot connect to {what}{at} ({shown}): {OneLine(e, builder.Password)}", e);
        }
    }

    private static bool IsInvalidSetting(Exception e) =>
        e is ArgumentException or FormatException or InvalidCastException or OverflowException;

    /// <summary>The exception and its causes on one line, without the password.</summary>
    public static string OneLine(Exception e, string? password)
    {
        var parts = new List<string>();
        for (var x = e; x is not null; x = x.InnerException)
        {
            var message = x.Message.ReplaceLineEndings(" ").Trim();
            if (message.Length > 0 && !parts.Any(p => p.Contains(message, StringComparison.Ordinal))) parts.Add(message);
        }
        return Secrets.Scrub(Secrets.Mask(string.Join(": ", parts)), password);
    }
}
