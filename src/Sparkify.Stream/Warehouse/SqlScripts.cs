using System.Reflection;
using System.Text.RegularExpressions;

namespace Sparkify.Stream.Warehouse;

/// <summary>
/// The SQL of one dialect, from embedded <c>Sql/&lt;dialect&gt;/…</c> resources, falling back to <c>Sql/common/…</c>
/// (a dialect file of the same name replaces the common one). A missing script is an immediate error.
/// </summary>
internal sealed partial class SqlScripts(string dialect)
{
    private static readonly Assembly Assembly = typeof(SqlScripts).Assembly;
    private static readonly string[] Resources = Assembly.GetManifestResourceNames();

    private readonly Func<string, string>? _rewrite;

    /// <summary>
    /// The scripts of <paramref name="dialect"/>, each passed through <paramref name="rewrite"/> once its macros are
    /// expanded: the tests' Redshift stand-in runs the Redshift scripts on Postgres with only what Postgres cannot
    /// parse rewritten (distribution and sort clauses, DATEADD).
    /// </summary>
    internal SqlScripts(string dialect, Func<string, string> rewrite) : this(dialect) => _rewrite = rewrite;

    public string Dialect { get; } = dialect;

    /// <summary>The text of <paramref name="name"/> (e.g. "create_tables" or "queries/top-songs").</summary>
    public string Get(string name) =>
        TryGet(name) ?? throw new InvalidOperationException($"no SQL script '{name}' for {Dialect} or common");

    public string? TryGet(string name)
    {
        foreach (var folder in new[] { Dialect, "common" })
        {
            using var stream = Assembly.GetManifestResourceStream($"Sql/{folder}/{name}.sql");
            if (stream is null) continue;
            using var reader = new StreamReader(stream);
            var sql = ExpandMacros(reader.ReadToEnd());
            return _rewrite is null ? sql : _rewrite(sql);
        }
        return null;
    }

    /// <summary>
    /// Dialect macros, so one script serves every target: <c>{{distinct(a, b)}}</c> is a null-safe "differs"
    /// (IS DISTINCT FROM where the dialect has it, spelled out for Redshift); <c>{{clear(t)}}</c> empties a
    /// staging table (TRUNCATE on Postgres, where DELETE leaves a million dead rows to vacuum; Redshift's
    /// TRUNCATE would commit the run's transaction, so DELETE there); <c>{{unlogged}}</c> makes a staging table
    /// UNLOGGED on Postgres (no WAL for rows that live one transaction; a crash empties it, which is harmless);
    /// <c>{{key}}</c> is PRIMARY KEY on Postgres, where a later run's merge finds rows through the index, and
    /// nothing on DuckDB: its joins hash, and its key indexes (ART) must live in memory, ~1.2 GB per million events
    /// loaded (DuckDB's own advice for bulk loads is no PRIMARY KEY/UNIQUE). The merge keeps every key unique on
    /// every target, and <c>sparkify check</c> verifies it (checks/unique-keys.sql);
    /// <c>{{key_order(k)}}</c> inserts rows in the order the target keeps them: on Postgres the PRIMARY KEY's (in order,
    /// its B-tree is appended to, not split all over), on Redshift the table's SORTKEY (AWS docs, "Load your data in sort
    /// key order": rows that follow the sorted ones leave less for VACUUM to sort), nothing on DuckDB, which has no key
    /// index to feed and would only sort. <c>{{key_order(k, s)}}</c> where the two differ: <c>k</c> the primary key
    /// (Postgres), <c>s</c> the sort key (Redshift);
    /// <c>{{analyze(t)}}</c> (or <c>{{analyze(t (c1, c2))}}</c>: the columns the plans need) gathers a temporary
    /// table's statistics on Postgres, whose autovacuum never sees temporary tables: without them the planner takes a
    /// million-row table for a few thousand rows and sorts where it should hash. Nothing (an empty statement, skipped)
    /// on DuckDB, which keeps statistics as it writes, and on Redshift, whose statement list stays as it was: it
    /// updates statistics itself (AWS docs, "Analyzing tables": automatic analyze), and an ANALYZE in the load's
    /// transaction is not added untried on a cluster;
    /// <c>{{temp_view}}</c> is VIEW (a run's view over its staging rows: <c>CREATE TEMP VIEW</c>) and TABLE on Redshift,
    /// which has no temporary views (AWS docs, "CREATE VIEW"), so the rows are copied there;
    /// <c>{{epoch_ms(x)}}</c> is the UTC TIMESTAMP of the epoch milliseconds <c>x</c> (see <see cref="EpochMs"/>).
    /// </summary>
    private string ExpandMacros(string sql)
    {
        sql = EpochMsMacro().Replace(sql, m => EpochMs(m.Groups[1].Value));
        sql = DistinctMacro().Replace(sql, m =>
        {
            var (a, b) = (m.Groups[1].Value, m.Groups[2].Value);
            return Dialect == "redshift"
                ? $"({a} <> {b} OR ({a} IS NULL AND {b} IS NOT NULL) OR ({a} IS NOT NULL AND {b} IS NULL))"
                : $"{a} IS DISTINCT FROM {b}";
        });
        sql = ClearMacro().Replace(sql, m => (Dialect == "postgres" ? "TRUNCATE " : "DELETE FROM ") + m.Groups[1].Value);
        sql = sql.Replace("{{key}}", Dialect == "postgres" ? " PRIMARY KEY" : "", StringComparison.Ordinal);
        sql = KeyOrderMacro().Replace(sql, m =>
        {
            var keys = m.Groups[1].Value.Split(',', 2, StringSplitOptions.TrimEntries);
            return Dialect switch { "postgres" => "ORDER BY " + keys[0], "redshift" => "ORDER BY " + keys[^1], _ => "" };
        });
        sql = AnalyzeMacro().Replace(sql, m => Dialect == "postgres" ? "ANALYZE " + m.Groups[1].Value : "");
        sql = sql.Replace("{{temp_view}}", Dialect == "redshift" ? "TABLE" : "VIEW", StringComparison.Ordinal);
        return sql.Replace("{{unlogged}}", Dialect == "postgres" ? "UNLOGGED " : "", StringComparison.Ordinal);
    }

    /// <summary>
    /// The TIMESTAMP (UTC wall clock) of the BIGINT epoch milliseconds <paramref name="ms"/>, exact to the millisecond
    /// (staging holds ts as BIGINT: docs/semantics.md#timestamps). Integer arithmetic, never a float division such as to_timestamp(ms / 1000.0).
    /// </summary>
    /// <remarks>
    /// DuckDB: epoch_ms(BIGINT) returns a TIMESTAMP (not TIMESTAMPTZ), so it compares equal to the star's columns.
    /// Postgres: bigint × interval goes through float8 internally, but both factors and the product (ms × 1000 µs,
    /// below 4.2e15 for ts before 2100) are integers under 2^53, so every step is exact.
    /// Redshift: DATEADD takes its interval as an INTEGER (AWS docs, DATEADD function), so whole seconds since
    /// 1970 would overflow INT after 2038; minutes (68,374,080 at 2100) fit, and the millisecond remainder is added
    /// with the documented date part <c>ms</c> (AWS docs, "Date parts for date or timestamp functions"). ts is
    /// always in 2000..2100 (docs/semantics.md#validation-rules), positive, so the truncating integer division and % are floor and remainder.
    /// </remarks>
    private string EpochMs(string ms) => Dialect switch
    {
        "duckdb" => $"epoch_ms({ms})",
        "redshift" => $"DATEADD(ms, CAST({ms} % 60000 AS INTEGER), " +
                      $"DATEADD(minute, CAST({ms} / 60000 AS INTEGER), TIMESTAMP '1970-01-01 00:00:00'))",
        _ => $"(TIMESTAMP '1970-01-01 00:00:00' + {ms} * INTERVAL '1 millisecond')",
    };

    [GeneratedRegex(@"\{\{key_order\(([^)]*)\)\}\}")]
    private static partial Regex KeyOrderMacro();

    [GeneratedRegex(@"\{\{analyze\(([A-Za-z_]+(?: \([A-Za-z_, ]+\))?)\)\}\}")]
    private static partial Regex AnalyzeMacro();

    [GeneratedRegex(@"\{\{epoch_ms\(([A-Za-z_.]+)\)\}\}")]
    private static partial Regex EpochMsMacro();

    [GeneratedRegex(@"\{\{clear\(([A-Za-z_]+)\)\}\}")]
    private static partial Regex ClearMacro();

    [GeneratedRegex(@"\{\{distinct\(([A-Za-z_.""]+),\s*([A-Za-z_.""]+)\)\}\}")]
    private static partial Regex DistinctMacro();

    /// <summary>Every script name of this dialect ("create_tables", "merge/60_songplays", …): its own and the common ones, in name order.</summary>
    public IReadOnlyList<string> Names()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var root in new[] { Dialect, "common" })
        {
            var prefix = $"Sql/{root}/";
            foreach (var resource in Resources.Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)))
                names.Add(resource[prefix.Length..^".sql".Length]);
        }
        return [.. names];
    }

    /// <summary>The script names in a folder (e.g. "merge"), dialect and common merged, in name order.</summary>
    public IReadOnlyList<string> List(string folder) =>
        [.. Names().Where(n => n.StartsWith(folder + "/", StringComparison.Ordinal))];

    /// <summary>Splits a script into statements (a statement ends with ';' at the end of a line).</summary>
    public static IReadOnlyList<SqlStatement> Split(string script)
    {
        var statements = new List<SqlStatement>();
        foreach (var part in StatementEnd().Split(script))
        {
            var text = part.Trim();
            if (text.Length == 0 || text.Split('\n').All(l => l.TrimStart().StartsWith("--", StringComparison.Ordinal)))
                continue;
            var metric = Metric().Match(text);
            var when = When().Match(text);
            var description = Description().Match(text);
            var body = string.Join('\n', text.Split('\n')
                .Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal))).Trim();
            statements.Add(new SqlStatement(body,
                metric.Success ? metric.Groups[1].Value : null,
                when.Success ? when.Groups[1].Value : null,
                description.Success ? description.Groups[1].Value.Trim() : null));
        }
        return statements;
    }

    [GeneratedRegex(@";[ \t]*(?:\r?\n|$)")]
    private static partial Regex StatementEnd();

    [GeneratedRegex(@"^--\s*metric:\s*([a-z_]+\.[a-z_]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex Metric();

    [GeneratedRegex(@"^--\s*when:\s*([a-z_]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex When();

    [GeneratedRegex(@"^--\s*description:\s*(.+)$", RegexOptions.Multiline)]
    private static partial Regex Description();
}

/// <summary>One statement of a script, with its annotations.</summary>
/// <param name="Metric">"table.inserted|updated|deleted": its affected-row count goes into the run's report.</param>
/// <param name="When">A condition such as "replace": the statement runs only then.</param>
/// <param name="Description">A one-line description (named queries and checks).</param>
internal sealed record SqlStatement(string Text, string? Metric, string? When, string? Description);
