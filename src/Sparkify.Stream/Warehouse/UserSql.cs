using System.Data.Common;

namespace Sparkify.Stream.Warehouse;

/// <summary>
/// A user's own SQL (<c>sparkify query --sql</c>): exactly one statement. A second one could leave the read-only
/// transaction the first runs in (<c>COMMIT; DROP TABLE songplays</c>), so text holding more than one is refused
/// before anything reaches the warehouse. Semicolons inside string literals ('…', E'…'), quoted names ("…"),
/// dollar-quoted bodies ($$…$$, $tag$…$tag$) and comments (--, /* … */, nested) do not count; trailing ones do not
/// either.
/// </summary>
internal static class UserSql
{
    /// <summary>The one statement of <paramref name="sql"/>, without trailing semicolons and blanks.</summary>
    public static string SingleStatement(string sql)
    {
        var end = -1;   // the first statement's terminating semicolon
        var content = false;
        for (var i = 0; i < sql.Length;)
        {
            var c = sql[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (IsComment(sql, i)) { i = Skip(sql, i); continue; }
            if (c == ';') { if (end < 0) end = i; i++; continue; }
            if (end >= 0)
            {
                var (line, column) = Position(sql, i);
                throw new ConfigurationException(
                    $"--sql takes one statement, and a second one starts at line {line}, column {column}: run each on its own");
            }
            content = true;
            var next = Skip(sql, i);
            i = next > i ? next : i + 1;
        }
        if (!content)
            throw new ConfigurationException("--sql is empty: give one SQL statement, e.g. --sql \"SELECT COUNT(*) FROM songplays\"");
        return (end < 0 ? sql : sql[..end]).Trim();
    }

    private static bool IsComment(string sql, int i) =>
        i + 1 < sql.Length && (sql[i] == '-' && sql[i + 1] == '-' || sql[i] == '/' && sql[i + 1] == '*');

    /// <summary>The index just past the literal, quoted name or comment starting at <paramref name="i"/>; <paramref name="i"/> when none starts there.</summary>
    private static int Skip(string sql, int i)
    {
        var c = sql[i];
        if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
        {
            var newline = sql.IndexOf('\n', i);
            return newline < 0 ? sql.Length : newline + 1;
        }
        if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
        {
            var depth = 0;
            for (var j = i; j + 1 < sql.Length; j++)
            {
                if (sql[j] == '/' && sql[j + 1] == '*') { depth++; j++; }
                else if (sql[j] == '*' && sql[j + 1] == '/' && --depth == 0) return j + 2;
                else if (sql[j] == '*' && sql[j + 1] == '/') j++;
            }
            return sql.Length;
        }
        if (c == '\'')
        {
            var escapes = i > 0 && sql[i - 1] is 'E' or 'e' && (i < 2 || !IsWordChar(sql[i - 2]));
            for (var j = i + 1; j < sql.Length; j++)
            {
                if (escapes && sql[j] == '\\') { j++; continue; }
                if (sql[j] != '\'') continue;
                if (j + 1 < sql.Length && sql[j + 1] == '\'') { j++; continue; }
                return j + 1;
            }
            return sql.Length;
        }
        if (c == '"')
        {
            for (var j = i + 1; j < sql.Length; j++)
            {
                if (sql[j] != '"') continue;
                if (j + 1 < sql.Length && sql[j + 1] == '"') { j++; continue; }
                return j + 1;
            }
            return sql.Length;
        }
        if (c == '$' && (i == 0 || !IsWordChar(sql[i - 1])))
        {
            var close = sql.IndexOf('$', i + 1);
            if (close < 0) return i;
            var tag = sql[(i + 1)..close];
            if (tag.Length > 0 && (char.IsDigit(tag[0]) || !tag.All(IsWordChar))) return i;   // $1: a parameter
            var body = sql.IndexOf(sql[i..(close + 1)], close + 1, StringComparison.Ordinal);
            return body < 0 ? sql.Length : body + close + 1 - i;
        }
        return i;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static (int Line, int Column) Position(string sql, int index)
    {
        var line = 1 + sql.AsSpan(0, index).Count('\n');
        var column = index - (sql.LastIndexOf('\n', Math.Max(0, index - 1)) + 1) + 1;
        return (line, column);
    }

    /// <summary>
    /// A failure of the user's statement as a configuration error (exit 2): a write the read-only session refused
    /// says so; anything else gives the warehouse's first line.
    /// </summary>
    public static ConfigurationException Failed(DbException e)
    {
        var first = e.Message.Split('\n', 2)[0].Trim();
        var refused = e is Npgsql.PostgresException { SqlState: "25006" } ||
                      first.Contains("read-only", StringComparison.OrdinalIgnoreCase) ||
                      first.Contains("disabled by configuration", StringComparison.OrdinalIgnoreCase);
        return new ConfigurationException(refused
            ? $"sparkify query --sql only reads, and the warehouse refused this statement: {first}"
            : $"the query failed: {first}", e);
    }
}
