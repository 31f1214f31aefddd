using System.Globalization;
using System.Text.RegularExpressions;

namespace Sparkify.Stream.Warehouse;

/// <summary>
/// The only way values reach SQL text: typed values rendered by these helpers, or identifiers and strings that
/// pass a strict grammar and are quoted. Everything else is a parameter.
/// </summary>
internal static partial class SqlText
{
    /// <summary>A UTC midnight as a TIMESTAMP literal; built from a typed date, so it cannot carry text.</summary>
    public static string Timestamp(DateOnly date) =>
        "TIMESTAMP '" + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " 00:00:00'";

    public static string Timestamp(DateTime utc) =>
        "TIMESTAMP '" + utc.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "'";

    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A string literal: single quotes doubled; control characters refused.</summary>
    public static string Literal(string value)
    {
        if (value.Any(char.IsControl))
            throw new ArgumentException("a SQL string value may not contain control characters", nameof(value));
        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    /// <summary>
    /// Whether <paramref name="value"/> reads the same as a literal on every target: no control character, and no
    /// backslash — Redshift reads a backslash in a string literal as an escape (AWS, "QUOTE_LITERAL function" doubles
    /// backslashes as well as quotes), Postgres and DuckDB as itself. Values from outside (an S3 key) are checked first.
    /// </summary>
    public static bool IsPlain(string value) => !value.Contains('\\', StringComparison.Ordinal) && !value.Any(char.IsControl);

    /// <summary>
    /// Strings as a list of literals for <c>IN (…)</c>, each through <see cref="Literal"/>; <c>''</c> for none (an empty
    /// <c>IN ()</c> is no SQL), so a caller's values must never be empty strings themselves.
    /// </summary>
    public static string Literals(IEnumerable<string> values)
    {
        var list = string.Join(", ", values.Select(Literal));
        return list.Length == 0 ? "''" : list;
    }

    /// <summary>A quoted identifier from a strict grammar (letters, digits, underscore).</summary>
    public static string Identifier(string name)
    {
        if (!IdentifierPattern().IsMatch(name))
            throw new ArgumentException($"not a valid SQL identifier: {name}", nameof(name));
        return "\"" + name + "\"";
    }

    /// <summary>Replaces <c>{{name}}</c> tokens with already rendered SQL; an unknown token is an error.</summary>
    public static string Fill(string sql, IReadOnlyDictionary<string, string> values) =>
        Token().Replace(sql, m => values.TryGetValue(m.Groups[1].Value, out var v)
            ? v
            : throw new InvalidOperationException($"no value for {{{{{m.Groups[1].Value}}}}} in SQL"));

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]{0,62}\z")]   // \z: '$' would also match before a final newline
    private static partial Regex IdentifierPattern();

    [GeneratedRegex(@"\{\{([a-z_]+)\}\}")]
    private static partial Regex Token();
}
