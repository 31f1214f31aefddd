using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Configuration;

/// <summary>
/// Connection URLs turned into Npgsql's keyword form: libpq's URIs
/// (<c>postgresql://user:password@host:port,host2/db?sslmode=require&amp;connect_timeout=10</c>, also <c>postgres://</c>)
/// and the JDBC URL Redshift's console shows (<c>jdbc:redshift://host:5439/dev;UID=etl;PWD=…</c>). Npgsql reads
/// only keywords, and no maintained .NET package parses these URLs, hence this one small parser.
/// </summary>
/// <remarks>
/// Every part is percent-decoded, as libpq does. Only what the URL names is written, so the target's defaults (port,
/// SSL mode) still apply where it is silent. Errors quote the URL masked (<see cref="Secrets.MaskConnectionString"/>)
/// and never a secret parameter's value.
/// </remarks>
internal static partial class ConnectionUri
{
    private static readonly string[] Schemes = ["postgresql://", "postgres://", "jdbc:redshift://", "jdbc:postgresql://"];

    /// <summary>libpq's and the Redshift JDBC driver's parameter names (any case), by the Npgsql keyword they set.</summary>
    private static readonly Dictionary<string, string> Parameters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["host"] = "Host",
        ["port"] = "Port",
        ["dbname"] = "Database",
        ["user"] = "Username",
        ["uid"] = "Username",
        ["password"] = "Password",
        ["pwd"] = "Password",
        ["sslmode"] = "SSL Mode",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["sslpassword"] = "SSL Password",
        ["sslrootcert"] = "Root Certificate",
        ["connect_timeout"] = "Timeout",
        ["loginTimeout"] = "Timeout",
        ["application_name"] = "Application Name",
        ["ApplicationName"] = "Application Name",
        ["options"] = "Options",
        ["client_encoding"] = "Client Encoding",
        ["target_session_attrs"] = "Target Session Attributes",
        ["channel_binding"] = "Channel Binding",
        ["gssencmode"] = "GSS Encryption Mode",
        ["krbsrvname"] = "Kerberos Service Name",
        ["keepalives_idle"] = "Tcp Keepalive Time",
    };

    /// <summary>Whether <paramref name="connection"/> is a URL this class reads (rather than keywords or a file path).</summary>
    public static bool IsUri(string connection) => SchemeOf(connection) is not null;

    /// <summary>
    /// <paramref name="connection"/> in Npgsql's keyword form when it is a connection URL; as given otherwise.
    /// </summary>
    /// <param name="defaults">The target's defaults: JDBC's <c>ssl=true</c> means the target's SSL mode, at least Require.</param>
    /// <exception cref="ConfigurationException">A malformed URL or an unknown parameter (exit 2), the URL shown masked.</exception>
    public static string ToKeywords(string connection, ServerDefaults defaults)
    {
        if (SchemeOf(connection) is not { } scheme) return connection;
        var builder = new NpgsqlConnectionStringBuilder();
        try
        {
            Parse(connection.Trim()[scheme.Length..], builder, defaults);
        }
        catch (FormatException e)
        {
            throw new ConfigurationException(
                $"not a valid {defaults.Name} connection URL ({Secrets.MaskConnectionString(connection)}): {e.Message}");
        }
        return builder.ConnectionString;
    }

    private static string? SchemeOf(string connection)
    {
        var trimmed = connection.TrimStart();
        return Schemes.FirstOrDefault(s => trimmed.StartsWith(s, StringComparison.OrdinalIgnoreCase));
    }

    private static void Parse(string rest, NpgsqlConnectionStringBuilder builder, ServerDefaults defaults)
    {
        // Parameters start at the first '?' (libpq, JDBC) or ';' (JDBC); the path (database) at the first '/' before them.
        var paramsAt = rest.IndexOfAny(['?', ';']);
        var head = paramsAt < 0 ? rest : rest[..paramsAt];
        var query = paramsAt < 0 ? "" : rest[(paramsAt + 1)..];
        // The user part ends at the last '@' (a password with an unencoded '@' still parses); the host list at '/'.
        var at = head.LastIndexOf('@');
        var slash = head.IndexOf('/', at + 1);
        var userInfo = at < 0 ? null : head[..at];
        var hosts = head[(at + 1)..(slash < 0 ? head.Length : slash)];
        var database = slash < 0 ? "" : head[(slash + 1)..];

        if (userInfo is not null)
        {
            var colon = userInfo.IndexOf(':');
            Set(builder, "Username", Decode(colon < 0 ? userInfo : userInfo[..colon], "the user name"));
            if (colon >= 0) Set(builder, "Password", Decode(userInfo[(colon + 1)..], "the password"));
        }
        if (hosts.Length > 0) SetHosts(builder, hosts);
        if (database.Length > 0) Set(builder, "Database", Decode(database, "the database name"));
        foreach (var pair in query.Split(['&', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            SetParameter(builder, pair, defaults);
    }

    private static void SetHosts(NpgsqlConnectionStringBuilder builder, string hosts)
    {
        var parsed = hosts.Split(',').Select(SplitHost).ToList();
        if (parsed.Count == 1)
        {
            Set(builder, "Host", parsed[0].Host);
            if (parsed[0].Port is { } port) Set(builder, "Port", port);
            return;
        }
        // Several hosts: Npgsql takes each one's port in its Host value (name:port, [v6]:port).
        Set(builder, "Host", string.Join(",", parsed.Select(h =>
            h.Port is { } port ? $"{(h.Host.Contains(':', StringComparison.Ordinal) ? $"[{h.Host}]" : h.Host)}:{port}" : h.Host)));
    }

    private static (string Host, string? Port) SplitHost(string spec)
    {
        string host;
        string portText;
        if (spec.StartsWith('['))
        {
            var close = spec.IndexOf(']');
            if (close < 0) throw new FormatException("an IPv6 host opens '[' but does not close it");
            host = spec[1..close];
            portText = spec[(close + 1)..];
            if (portText.Length > 0 && portText[0] != ':') throw new FormatException("text follows an IPv6 host's ']' that is not :port");
            portText = portText.Length > 0 ? portText[1..] : "";
        }
        else
        {
            var colon = spec.IndexOf(':');
            host = Decode(colon < 0 ? spec : spec[..colon], "a host name");
            portText = colon < 0 ? "" : spec[(colon + 1)..];
        }
        if (host.Length == 0) throw new FormatException("a host in the host list is empty");
        if (portText.Length == 0) return (host, null);
        return (host, CheckPort(portText));
    }

    private static string CheckPort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535
            ? port.ToString(CultureInfo.InvariantCulture)
            : throw new FormatException($"the port must be a whole number from 1 to 65535, not '{text}'");

    private static void SetParameter(NpgsqlConnectionStringBuilder builder, string pair, ServerDefaults defaults)
    {
        var equals = pair.IndexOf('=');
        if (equals <= 0) throw new FormatException("a parameter is not name=value");
        var name = Decode(pair[..equals].Trim(), "a parameter name");
        var value = pair[(equals + 1)..];
        var secret = IsSecret(name);
        var decoded = Decode(value, secret ? $"the value of {name}" : $"{name}'s value '{value}'");
        if (name.Equals("ssl", StringComparison.OrdinalIgnoreCase))
        {
            // JDBC's ssl=true|false: true keeps the target's verified default (or Require), false turns TLS off.
            SetSslMode(builder, decoded.ToLowerInvariant() switch
            {
                "true" or "1" => (defaults.SslMode ?? SslMode.Require).ToString(),
                "false" or "0" => nameof(SslMode.Disable),
                _ => throw new FormatException($"ssl must be true or false, not '{decoded}'"),
            });
            return;
        }
        if (name.Equals("sslmode", StringComparison.OrdinalIgnoreCase))
        {
            SetSslMode(builder, decoded);
            return;
        }
        if (name.Equals("port", StringComparison.OrdinalIgnoreCase)) decoded = CheckPort(decoded);
        if (Parameters.TryGetValue(name, out var keyword))
        {
            Set(builder, keyword, decoded, secret);
            return;
        }
        // Npgsql's own keywords are taken as they are (Pooling=false, Maximum Pool Size=5, ...).
        try
        {
            builder[name] = decoded;
        }
        catch (ArgumentException)
        {
            var near = Nearest.Of(name, Parameters.Keys.Append("ssl"));
            throw new FormatException($"unknown parameter '{name}'" + (near is null ? "" : $" (did you mean '{near}'?)") +
                $"; known: {string.Join(", ", Parameters.Keys.Append("ssl").Order(StringComparer.OrdinalIgnoreCase))}, " +
                "or an Npgsql keyword");
        }
    }

    private static void SetSslMode(NpgsqlConnectionStringBuilder builder, string text)
    {
        if (!ConfigurationLoader.TryParseSslMode(text, out var mode))
        {
            throw new FormatException(
                $"sslmode must be disable, allow, prefer, require, verify-ca or verify-full, not '{text}'");
        }
        Set(builder, "SSL Mode", mode.ToString());
    }

    private static void Set(NpgsqlConnectionStringBuilder builder, string keyword, string value, bool secret = false)
    {
        try
        {
            builder[keyword] = value;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            throw new FormatException(secret ? $"the value of {keyword} is not valid" : $"{keyword} '{value}' is not valid");
        }
    }

    private static bool IsSecret(string name) =>
        name.Contains("password", StringComparison.OrdinalIgnoreCase) || name.Equals("pwd", StringComparison.OrdinalIgnoreCase);

    /// <summary>Percent-decodes a part; a '%' not followed by two hex digits is an error, as in libpq.</summary>
    private static string Decode(string text, string what)
    {
        if (BadPercent().IsMatch(text)) throw new FormatException($"{what} holds a '%' that is not followed by two hex digits");
        return Uri.UnescapeDataString(text);
    }

    [GeneratedRegex("%(?![0-9A-Fa-f]{2})")]
    private static partial Regex BadPercent();
}
