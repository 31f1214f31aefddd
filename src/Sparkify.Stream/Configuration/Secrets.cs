using System.Data.Common;
using System.Text.RegularExpressions;

namespace Sparkify.Stream.Configuration;

/// <summary>Masks secrets (passwords, keys, tokens) in text that may reach a console, a log or a report.</summary>
internal static partial class Secrets
{
    public const string Masked = "***";

    public static string Mask(string text) =>
        KeyValueSecret().Replace(text, m => m.Groups[1].Value + "=" + Masked);

    /// <summary>
    /// A connection string fit to show: the value of every secret key (Password, PWD, SSL Password, …) replaced by
    /// <see cref="Masked"/>, quoted values included. A string that does not parse is masked from each secret key to
    /// the next ';' outside quotes, or to its end.
    /// </summary>
    public static string MaskConnectionString(string connectionString)
    {
        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
            foreach (var key in builder.Keys.Cast<string>().ToList())
            {
                if (SecretKey().IsMatch(key)) builder[key] = Masked;
            }
            return builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            return ConnectionStringSecret().Replace(connectionString, m => m.Groups[1].Value + "=" + Masked);
        }
    }

    /// <summary>Removes a known secret value from a message (e.g. a server's error text) before it is shown.</summary>
    /// <remarks>Values under 4 characters are left alone: they cannot be told apart from ordinary text.</remarks>
    public static string Scrub(string text, string? secret) =>
        secret is { Length: >= 4 } ? text.Replace(secret, Masked, StringComparison.Ordinal) : text;

    [GeneratedRegex(@"\b(password|pwd|secret|token|aws_secret_access_key|aws_session_token|db_password)\s*=\s*[^;\s]*",
        RegexOptions.IgnoreCase)]
    private static partial Regex KeyValueSecret();

    [GeneratedRegex(@"(?:^|\s)(?:password|pwd|psw)$|secret|token", RegexOptions.IgnoreCase)]
    private static partial Regex SecretKey();

    [GeneratedRegex("""\b((?:ssl\s+)?(?:password|pwd|psw)|[a-z_ ]*(?:secret|token)[a-z_ ]*)\s*=\s*(?:"(?:[^"]|"")*(?:"|$)|'(?:[^']|'')*(?:'|$)|[^;]*)""",
        RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringSecret();
}
