using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace Sparkify.Stream.Warehouse;

/// <summary>
/// What a server target (Postgres, Redshift) assumes where its Npgsql connection string is silent: the port and the
/// SSL mode. "Silent" is read from the keys actually written, with a plain <see cref="DbConnectionStringBuilder"/>:
/// Npgsql's own builder answers 5432 and Prefer for absent keys, and its ContainsKey is true for every keyword it knows.
/// </summary>
/// <param name="Name">"Postgres" or "Redshift", for the messages.</param>
/// <param name="Port">The port when neither a Port key nor <c>Host=name:port</c> gives one.</param>
/// <param name="SslMode">The SSL mode when neither the connection string nor <c>[CLUSTER] SSLMODE</c> names one; null: Npgsql's.</param>
/// <param name="SslModes">The SSL modes accepted at all; any other is refused (exit 2).</param>
internal sealed record ServerDefaults(string Name, int Port, SslMode? SslMode, IReadOnlyList<SslMode> SslModes)
{
    public static readonly ServerDefaults Postgres = new("Postgres", NpgsqlConnection.DefaultPort, null, Enum.GetValues<SslMode>());

    /// <summary>Redshift listens on 5439; its certificates chain to public roots, so they are verified by default.</summary>
    public static readonly ServerDefaults Redshift =
        new("Redshift", 5439, Npgsql.SslMode.VerifyFull, [Npgsql.SslMode.Require, Npgsql.SslMode.VerifyCA, Npgsql.SslMode.VerifyFull]);

    /// <summary>
    /// The connection string with the default port and SSL mode added where it names none (as written otherwise). The
    /// SSL mode is the connection string's own, else <paramref name="configured"/>, else <see cref="SslMode"/>.
    /// </summary>
    /// <param name="configured"><c>[CLUSTER] SSLMODE</c>, or null.</param>
    /// <exception cref="ConfigurationException">The SSL mode that would be used is not one of <see cref="SslModes"/>.</exception>
    public string Apply(string connection, SslMode? configured)
    {
        DbConnectionStringBuilder written;
        NpgsqlConnectionStringBuilder parsed;
        try
        {
            written = new DbConnectionStringBuilder { ConnectionString = connection };
            parsed = new NpgsqlConnectionStringBuilder(connection);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            return connection;   // opening it reports what is wrong, masked
        }
        var added = new List<string>();
        // Npgsql's own default port needs no key: a Postgres connection string stays as written.
        if (Port != NpgsqlConnection.DefaultPort && !NamesPort(written, parsed.Host)) added.Add($"Port={Port}");
        if (written.ContainsKey("SSL Mode") || written.ContainsKey("SslMode"))
        {
            Check(parsed.SslMode, "SSL Mode in the connection string");
        }
        else if ((configured ?? SslMode) is { } mode)
        {
            Check(mode, "[CLUSTER] SSLMODE");
            added.Add($"SSL Mode={mode}");
        }
        // Appended as text: the string parsed, so it ends with a whole pair; DbConnectionStringBuilder would lowercase its keys.
        if (added.Count == 0) return connection;
        var trimmed = connection.TrimEnd();
        return trimmed + (trimmed.Length == 0 || trimmed.EndsWith(';') ? "" : ";") + string.Join(";", added);
    }

    /// <summary>Where a connection goes, for messages: <c>host:port</c>, comma-separated for several hosts; null without a host.</summary>
    public static string? Endpoint(NpgsqlConnectionStringBuilder builder) =>
        string.IsNullOrWhiteSpace(builder.Host)
            ? null
            : string.Join(",", Hosts(builder.Host).Select(h => $"{Bracketed(h.Host)}:{h.Port ?? builder.Port}"));

    /// <summary>The first host of an Npgsql Host value, without a port it may carry (<c>name:port</c>).</summary>
    public static string? FirstHost(string? host) => host is null ? null : Hosts(host)[0].Host;

    /// <summary>
    /// The hosts of an Npgsql Host value, each with the port it names, as Npgsql reads them
    /// (<c>NpgsqlConnectionStringBuilder.TrySplitHostPort</c>): the last ':' starts a port unless the host is a bare
    /// IPv6 address (brackets are needed then: <c>[::1]:5440</c>) or a Unix socket path.
    /// </summary>
    private static List<(string Host, int? Port)> Hosts(string host) => host.Split(',').Select(SplitPort).ToList();

    private static (string Host, int? Port) SplitPort(string host)
    {
        var colon = host.LastIndexOf(':');
        if (colon <= 0 || Path.IsPathRooted(host) || host[0] == '@') return (host, null);
        var otherColon = host.LastIndexOf(':', colon - 1);
        var ipv6End = host.LastIndexOf(']');
        if (otherColon != -1 && !(colon > ipv6End && otherColon < ipv6End)) return (host, null);
        return int.TryParse(host.AsSpan(colon + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var port)
            ? (host[..colon], port)
            : (host, null);
    }

    private static bool NamesPort(DbConnectionStringBuilder written, string? host) =>
        written.ContainsKey("Port") || (host is not null && Hosts(host).All(h => h.Port is not null));

    private static string Bracketed(string host) => host.Contains(':', StringComparison.Ordinal) && host[0] != '[' ? $"[{host}]" : host;

    private void Check(SslMode mode, string where)
    {
        if (SslModes.Contains(mode)) return;
        throw new ConfigurationException(
            $"{where} is {mode}, which the {Name.ToLowerInvariant()} target does not accept: use " +
            $"{string.Join(", ", SslModes.SkipLast(1))} or {SslModes[^1]}" +
            (SslMode is { } fallback ? $" (the default, when none is given, is {fallback})" : ""));
    }
}
