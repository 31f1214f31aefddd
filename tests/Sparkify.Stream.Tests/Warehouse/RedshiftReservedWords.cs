using System.Text.RegularExpressions;

namespace Sparkify.Stream.Tests.Warehouse;

/// <summary>
/// Amazon Redshift's reserved words, and a check that a statement uses none of them as a bare identifier: such a word is
/// an identifier only in double quotes (<c>"time"</c>).
/// </summary>
/// <remarks>
/// The list is AWS's, copied from the Amazon Redshift Database Developer Guide, "Reserved words":
/// https://docs.aws.amazon.com/redshift/latest/dg/r_pg_keywords.html (the page adds that START and CONNECT are not
/// reserved, but need quotes or AS where they name a table alias; this project uses neither).
/// The check needs no grammar: a reserved word may appear unquoted only if it is one of the few this project's SQL uses
/// as keywords (<see cref="UsedAsKeywords"/>), and even then not where only a name can stand: beside a dot
/// (<c>c.nulls</c>), as a column of a CREATE TABLE or an INSERT column list, or after AS outside a CAST. Any other
/// reserved word — NULLS among them — is reported wherever it stands unquoted.
/// </remarks>
internal static partial class RedshiftReservedWords
{
    public const string Source = "https://docs.aws.amazon.com/redshift/latest/dg/r_pg_keywords.html";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(
        """
        AES128 AES256 ALL ALLOWOVERWRITE ANALYSE ANALYZE AND ANY ARRAY AS ASC AUTHORIZATION AZ64 BACKUP BETWEEN BINARY
        BLANKSASNULL BOTH BYTEDICT BZIP2 CASE CAST CHECK COLLATE COLUMN CONSTRAINT CREATE CREDENTIALS CROSS CURRENT_DATE
        CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER CURRENT_USER_ID DEFAULT DEFERRABLE DEFLATE DEFRAG DELTA DELTA32K DESC
        DISABLE DISTINCT DO ELSE EMPTYASNULL ENABLE ENCODE ENCRYPT ENCRYPTION END EXCEPT EXPLICIT FALSE FOR FOREIGN FREEZE
        FROM FULL GLOBALDICT256 GLOBALDICT64K GRANT GROUP GZIP HAVING IDENTITY IGNORE ILIKE IN INITIALLY INNER INTERSECT
        INTERVAL INTO IS ISNULL JOIN LEADING LEFT LIKE LIMIT LOCALTIME LOCALTIMESTAMP LUN LUNS LZO LZOP MINUS MOSTLY16
        MOSTLY32 MOSTLY8 NATURAL NEW NOT NOTNULL NULL NULLS OFF OFFLINE OFFSET OID OLD ON ONLY OPEN OR ORDER OUTER OVERLAPS
        PARALLEL PARTITION PERCENT PERMISSIONS PIVOT PLACING PRIMARY RAW READRATIO RECOVER REFERENCES REJECTLOG RESORT
        RESPECT RESTORE RIGHT SELECT SESSION_USER SIMILAR SNAPSHOT SOME SYSDATE SYSTEM TABLE TAG TDES TEXT255 TEXT32K THEN
        TIMESTAMP TO TOP TRAILING TRUE TRUNCATECOLUMNS UNION UNIQUE UNNEST UNPIVOT USER USING VERBOSE WALLET WHEN WHERE WITH
        WITHOUT
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries), StringComparer.OrdinalIgnoreCase);

    /// <summary>The reserved words this project's Redshift SQL uses as keywords (and only as keywords).</summary>
    public static readonly IReadOnlySet<string> UsedAsKeywords = new HashSet<string>(
        """
        ALL AND AS CASE CAST COLUMN CREATE DESC DISTINCT ELSE END FROM GROUP HAVING IN INTO IS JOIN LEFT LIKE LIMIT NOT NULL ON ONLY
        OR ORDER PARTITION PRIMARY SELECT TABLE THEN TIMESTAMP TO UNION WHEN WHERE WITH
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries), StringComparer.OrdinalIgnoreCase);

    /// <summary>Words that open an element of a CREATE TABLE list that is not a column: (LIKE t), PRIMARY KEY (…), ….</summary>
    private static readonly IReadOnlySet<string> TableElementKeywords =
        new HashSet<string>(["LIKE", "PRIMARY", "UNIQUE", "CONSTRAINT", "FOREIGN", "CHECK"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Words that follow AS without naming anything: CREATE TABLE x AS SELECT / WITH ….</summary>
    private static readonly IReadOnlySet<string> SubqueryKeywords =
        new HashSet<string>(["SELECT", "WITH"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Each reserved word <paramref name="sql"/> uses as a bare identifier (or where no keyword of ours stands).</summary>
    public static IReadOnlyList<string> Misuses(string sql)
    {
        var tokens = Tokens(sql);
        var found = new List<string>();
        // The parentheses open around each token: what opened each (CAST, a CREATE TABLE's columns, an INSERT's columns).
        var open = new Stack<string>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token == "(")
            {
                open.Push(Opener(tokens, i));
                continue;
            }
            if (token == ")")
            {
                if (open.Count > 0) open.Pop();
                continue;
            }
            if (!IsWord(token) || !All.Contains(token)) continue;
            var before = i > 0 ? tokens[i - 1] : "";
            var after = i + 1 < tokens.Count ? tokens[i + 1] : "";
            var inside = open.Count > 0 ? open.Peek() : "";
            string? where = null;
            if (!UsedAsKeywords.Contains(token)) where = "not a keyword of this project's SQL";
            else if (before == "." || after == ".") where = "a qualified name";
            else if (inside == "columns" && before is "(" or "," && !TableElementKeywords.Contains(token)) where = "a column definition";
            else if (inside == "insert" && before is "(" or ",") where = "an INSERT column";
            else if (before.Equals("AS", StringComparison.OrdinalIgnoreCase) && inside != "cast" && !SubqueryKeywords.Contains(token))
                where = "an alias";
            if (where is not null) found.Add($"{token} ({where})");
        }
        return found;
    }

    /// <summary>What the parenthesis at <paramref name="i"/> opens: "cast", "columns" (CREATE TABLE x (…)), "insert" (INSERT INTO x (…)), or "".</summary>
    private static string Opener(IReadOnlyList<string> tokens, int i)
    {
        bool At(int j, string word) => j >= 0 && tokens[j].Equals(word, StringComparison.OrdinalIgnoreCase);
        if (At(i - 1, "CAST")) return "cast";
        // [schema.]name, then TABLE [IF NOT EXISTS] or INSERT INTO
        var j = i - 1;
        if (j < 0 || !IsName(tokens[j])) return "";
        j--;
        if (j >= 1 && tokens[j] == "." && IsName(tokens[j - 1])) j -= 2;
        if (At(j, "INTO") && At(j - 1, "INSERT")) return "insert";
        if (At(j, "EXISTS") && At(j - 1, "NOT") && At(j - 2, "IF")) j -= 3;
        return At(j, "TABLE") ? "columns" : "";
    }

    private static bool IsName(string token) => IsWord(token) || token[0] == '"';

    private static bool IsWord(string token) => char.IsLetter(token[0]) || token[0] == '_';

    /// <summary>Words, quoted identifiers, "(", ")", "." and other punctuation; comments, string literals and numbers dropped.</summary>
    private static List<string> Tokens(string sql) =>
        [.. Token().Matches(sql).Select(m => m.Value).Where(t => !t.StartsWith("--", StringComparison.Ordinal) &&
            !t.StartsWith("/*", StringComparison.Ordinal) && t[0] != '\'' && !char.IsDigit(t[0]) && !char.IsWhiteSpace(t[0]))];

    [GeneratedRegex("""--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'|"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*|[0-9][0-9A-Za-z_.]*|\s+|.""", RegexOptions.Singleline)]
    private static partial Regex Token();
}
