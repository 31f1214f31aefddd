using System.Text.RegularExpressions;

namespace Sparkify.Stream.Configuration;

/// <summary>Masks secrets (passwords, keys, tokens) in text that may reach a console, a log or a report.</summary>
internal static partial class Secrets
{
    /// <summary>Replaces the value of every <c>password=…</c>-like pair (quoted values too) with <c>***</c>.</summary>
    public static string Mask(string text) =>
        KeyValueSecret().Replace(text, m => m.Groups[1].Value + "=***");

    // A value is quoted ("…" or '…', the quote doubled inside, as in connection strings) or runs to ';' or blank.
    [GeneratedRegex("""\b(password|pwd|secret|token|aws_secret_access_key|aws_session_token|db_password|secret_?access_?key|session_?token)\s*=\s*("(?:[^"]|"")*"?|'(?:[^']|'')*'?|[^;\s]*)""",
        RegexOptions.IgnoreCase)]
    private static partial Regex KeyValueSecret();
}
