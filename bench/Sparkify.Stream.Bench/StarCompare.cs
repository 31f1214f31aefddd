using System.Globalization;
using DuckDB.NET.Data;

namespace Sparkify.Stream.Bench;

/// <summary>
/// bench/run.sh's correctness check: the five star tables of two DuckDB files compared with EXCEPT both ways
/// (songplays without songplay_id, whose hash differs between tools; the other tables whole rows).
/// </summary>
internal static class StarCompare
{
    private static readonly (string Table, string Columns)[] Tables =
    [
        ("songplays", "start_time, user_id, level, song_id, artist_id, session_id, location, user_agent"),
        ("users", "*"), ("songs", "*"), ("artists", "*"), ("\"time\"", "*"),
    ];

    public static int Run(string ours, string theirs)
    {
        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        Execute(db, $"ATTACH '{ours.Replace("'", "''", StringComparison.Ordinal)}' AS a (READ_ONLY)");
        Execute(db, $"ATTACH '{theirs.Replace("'", "''", StringComparison.Ordinal)}' AS b (READ_ONLY)");
        var same = true;
        foreach (var (table, columns) in Tables)
        {
            var (rowsA, rowsB) = (Count(db, $"SELECT count(*) FROM a.{table}"), Count(db, $"SELECT count(*) FROM b.{table}"));
            var onlyA = Count(db, $"SELECT count(*) FROM (SELECT {columns} FROM a.{table} EXCEPT SELECT {columns} FROM b.{table})");
            var onlyB = Count(db, $"SELECT count(*) FROM (SELECT {columns} FROM b.{table} EXCEPT SELECT {columns} FROM a.{table})");
            var ok = rowsA == rowsB && onlyA == 0 && onlyB == 0;
            same &= ok;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"star {table.Trim('"')}: rows {rowsA} vs {rowsB}, only in first {onlyA}, only in second {onlyB}: {(ok ? "same" : "DIFFERENT")}"));
        }
        return same ? 0 : 1;
    }

    private static void Execute(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Count(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
