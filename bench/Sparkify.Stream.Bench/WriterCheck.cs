using System.Globalization;
using DuckDB.NET.Data;

namespace Sparkify.Stream.Bench;

/// <summary>
/// The writer benchmark's check: the three writers' files of the same rows hold the same rows, column types and
/// annotations (DuckDB's read_parquet and parquet_schema); prints each file's size.
/// </summary>
internal static class WriterCheck
{
    public static int Run(int rows)
    {
        var bench = new WriterBenchmarks { Rows = rows };
        bench.Setup();
        var dir = Directory.CreateTempSubdirectory("sparkify-writer-check-").FullName;
        try
        {
            var files = new List<(string Name, string Path)>();
            foreach (var (name, write) in new (string, Func<long>)[]
                     {
                         ("hand-written", bench.HandWritten), ("ParquetSharp", bench.ParquetSharp),
                         ("Parquet.Net", () => bench.ParquetNet().GetAwaiter().GetResult()),
                     })
            {
                var size = write();
                var path = Path.Combine(dir, name + ".parquet");
                File.Copy(Path.Combine(bench.OutputFolder, "part-00000.parquet"), path);
                files.Add((name, path));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {size:N0} bytes"));
            }
            using var db = new DuckDBConnection("Data Source=:memory:");
            db.Open();
            var same = true;
            var (_, first) = files[0];
            foreach (var (name, path) in files.Skip(1))
            {
                var differ = Scalar(db, $"SELECT count(*) FROM (SELECT * FROM '{first}' EXCEPT ALL SELECT * FROM '{path}')")
                             + Scalar(db, $"SELECT count(*) FROM (SELECT * FROM '{path}' EXCEPT ALL SELECT * FROM '{first}')");
                const string Schema = "SELECT name, type, repetition_type, converted_type, logical_type FROM parquet_schema";
                var schemaDiffers = Scalar(db, $"SELECT count(*) FROM ({Schema}('{first}') EXCEPT {Schema}('{path}'))")
                                    + Scalar(db, $"SELECT count(*) FROM ({Schema}('{path}') EXCEPT {Schema}('{first}'))");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name} vs hand-written: {differ} rows differ, {schemaDiffers} schema elements differ"));
                foreach (var line in Rows(db, $"{Schema}('{first}') EXCEPT {Schema}('{path}')")) Console.WriteLine("  hand-written: " + line);
                foreach (var line in Rows(db, $"{Schema}('{path}') EXCEPT {Schema}('{first}')")) Console.WriteLine($"  {name}: " + line);
                same &= differ == 0 && schemaDiffers == 0;
            }
            return same ? 0 : 1;
        }
        finally
        {
            bench.Cleanup();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static List<string> Rows(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
            rows.Add(string.Join(", ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : reader.GetValue(i).ToString())));
        return rows;
    }

    private static long Scalar(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
