using System.Text.RegularExpressions;

namespace Sparkify.Stream;

/// <summary>Masks secrets (passwords, keys, tokens) in text that may reach a console, a log or a report.</summary>
internal static partial class Secrets
{
    public const string Masked = "***";

    /// <summary>
    /// Replaces the value of every <c>password=…</c>-like pair (quoted values too) and the password of every URL's
    /// user part (<c>scheme://user:password@host</c>) with <c>***</c>.
    /// </summary>
    public static string Mask(string text) =>
        KeyValueSecret().Replace(Url().Replace(text, m => MaskUrl(m.Value)), m => m.Groups[1].Value + "=" + Masked);

    /// <summary>
    /// A connection string fit to show, as written: the value of every secret key (Password, PWD, SSL Password, …)
    /// replaced by <see cref="Masked"/>, quoted values (which may hold ';') included; an unterminated quote is masked
    /// to the end. Works on strings that do not parse, so a malformed one can be shown too.
    /// </summary>
    /// <remarks>
    /// A connection URL (<c>postgresql://user:password@host/db?sslpassword=…</c>, <c>jdbc:redshift://…;PWD=…</c>) has
    /// its user part's password masked up to the last '@' (a password may hold an unencoded '@', '?' or ';'; an '@'
    /// in a parameter makes it mask more, never less), and every secret parameter, whose name is compared
    /// percent-decoded.
    /// </remarks>
    public static string MaskConnectionString(string connectionString)
    {
        var text = connectionString.Contains("://", StringComparison.Ordinal) ? MaskUrl(connectionString) : connectionString;
        return ConnectionStringSecret().Replace(text, m => m.Groups["key"].Value + Masked);
    }

    private static string MaskUrl(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var query = url.IndexOfAny(['?', ';'], start);
        var at = url.LastIndexOf('@');
        if (at >= start && url.IndexOf(':', start, at - start) is var colon and >= 0)
        {
            url = url[..(colon + 1)] + Masked + url[at..];
            query = url.IndexOfAny(['?', ';'], colon + Masked.Length + 1);
        }
        if (query < 0) return url;
        return url[..query] + UrlParameter().Replace(url[query..], m =>
            IsSecretName(Unescape(m.Groups["name"].Value)) ? m.Groups["head"].Value + Masked : m.Value);
    }

    private static bool IsSecretName(string name) => SecretName().IsMatch(name);

    private static string Unescape(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            return text;
        }
    }

    /// <summary>Removes a known secret value from a message (e.g. a server's error text) before it is shown.</summary>
    /// <remarks>Values under 4 characters are left alone: they cannot be told apart from ordinary text.</remarks>
    public static string Scrub(string text, string? secret) =>
        secret is { Length: >= 4 } ? text.Replace(secret, Masked, StringComparison.Ordinal) : text;

    // A value is quoted ("…" or '…', the quote doubled inside, as in connection strings) or runs to ';' or blank.
    [GeneratedRegex("""\b(password|pwd|secret|token|aws_secret_access_key|aws_session_token|db_password|secret_?access_?key|session_?token)\s*=\s*("(?:[^"]|"")*"?|'(?:[^']|'')*'?|[^;\s]*)""",
        RegexOptions.IgnoreCase)]
    private static partial Regex KeyValueSecret();

    [GeneratedRegex(@"\b[a-z][a-z0-9+.:\-]*://\S+", RegexOptions.IgnoreCase)]
    private static partial Regex Url();

    // A URL's parameter: '?', '&' or ';', a name, '=', the value up to the next separator.
    [GeneratedRegex(@"(?<head>[?&;]\s*(?<name>[^=&;?]*)=)[^&;]*")]
    private static partial Regex UrlParameter();

    [GeneratedRegex("^\\s*(?:[a-z_ ]*(?:password|pwd|psw|secret|token)[a-z_ ]*)\\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex("""(?<key>(?:^|;)\s*(?:(?:[a-z_ ]*\s)?(?:password|pwd|psw)|[a-z_ ]*(?:secret|token)[a-z_ ]*)\s*=\s*)(?:"(?:[^"]|"")*(?:"|$)|'(?:[^']|'')*(?:'|$)|[^;]*)""",
        RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringSecret();
}
