using System.Text.RegularExpressions;

namespace Sparkify.Stream;

/// <summary>Masks secrets (passwords, keys, tokens) in text that may reach a console, a log or a report.</summary>
internal static partial class Secrets
{
    public const string Masked = "***";

    /// <summary>Replaces the value of every <c>password=…</c>-like pair (quoted values too) with <c>***</c>.</summary>
    public static string Mask(string text) =>
        KeyValueSecret().Replace(text, m => m.Groups[1].Value + "=" + Masked);

    /// <summary>
    /// A connection string fit to show, as written: the value of every secret key (Password, PWD, SSL Password, …)
    /// replaced by <see cref="Masked"/>, quoted values (which may hold ';') included; an unterminated quote is masked
    /// to the end. Works on strings that do not parse, so a malformed one can be shown too.
    /// </summary>
    public static string MaskConnectionString(string connectionString) =>
        ConnectionStringSecret().Replace(connectionString, m => m.Groups["key"].Value + Masked);

    /// <summary>Removes a known secret value from a message (e.g. a server's error text) before it is shown.</summary>
    /// <remarks>Values under 4 characters are left alone: they cannot be told apart from ordinary text.</remarks>
    public static string Scrub(string text, string? secret) =>
        secret is { Length: >= 4 } ? text.Replace(secret, Masked, StringComparison.Ordinal) : text;

    // A value is quoted ("…" or '…', the quote doubled inside, as in connection strings) or runs to ';' or blank.
    [GeneratedRegex("""\b(password|pwd|secret|token|aws_secret_access_key|aws_session_token|db_password|secret_?access_?key|session_?token)\s*=\s*("(?:[^"]|"")*"?|'(?:[^']|'')*'?|[^;\s]*)""",
        RegexOptions.IgnoreCase)]
    private static partial Regex KeyValueSecret();

    [GeneratedRegex("""(?<key>(?:^|;)\s*(?:(?:[a-z_ ]*\s)?(?:password|pwd|psw)|[a-z_ ]*(?:secret|token)[a-z_ ]*)\s*=\s*)(?:"(?:[^"]|"")*(?:"|$)|'(?:[^']|'')*(?:'|$)|[^;]*)""",
        RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringSecret();
}
