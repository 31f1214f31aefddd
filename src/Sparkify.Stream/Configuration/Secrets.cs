using System.Text.RegularExpressions;

namespace Sparkify.Stream.Configuration;

/// <summary>Masks secrets (passwords, keys, tokens) in text that may reach a console, a log or a report.</summary>
internal static partial class Secrets
{
    public static string Mask(string text) =>
        KeyValueSecret().Replace(text, m => m.Groups[1].Value + "=***");

    [GeneratedRegex(@"\b(password|pwd|secret|token|aws_secret_access_key|aws_session_token|db_password)\s*=\s*[^;\s]*",
        RegexOptions.IgnoreCase)]
    private static partial Regex KeyValueSecret();
}
