using ParquetSharp;

namespace Sparkify.Stream.Tests.Staging;

/// <summary>
/// A third reader of the staging parts, beside Parquet.Net and DuckDB: Apache Arrow's C++ Parquet reader (through
/// ParquetSharp), the reader most Parquet producers are checked against. It reads a part column by column with the
/// logical readers and gives back its schema as written and every value, boxed (null for a null).
/// </summary>
internal static class ArrowParquet
{
    /// <summary>One leaf column as the footer declares it.</summary>
    internal sealed record Column(string Name, PhysicalType Physical, bool Nullable, bool IsUtf8);

    /// <summary>A whole part: its schema, the rows the footer counts, and each row group's columns of values.</summary>
    internal sealed record Part(Column[] Schema, long FooterRows, List<object?[][]> RowGroups)
    {
        /// <summary>The part's rows in file order, each row its column values.</summary>
        public IEnumerable<object?[]> Rows() =>
            RowGroups.SelectMany(g => Enumerable.Range(0, g.Length == 0 ? 0 : g[0].Length).Select(r => g.Select(c => c[r]).ToArray()));
    }

    public static Part Read(string path)
    {
        using var file = new ParquetFileReader(path);
        var meta = file.FileMetaData;
        var schema = Enumerable.Range(0, meta.NumColumns).Select(c => Describe(meta.Schema.Column(c))).ToArray();
        var groups = new List<object?[][]>();
        for (var g = 0; g < meta.NumRowGroups; g++)
        {
            using var rowGroup = file.RowGroup(g);
            var rows = checked((int)rowGroup.MetaData.NumRows);
            var columns = new object?[schema.Length][];
            for (var c = 0; c < schema.Length; c++)
            {
                using var column = rowGroup.Column(c);
                columns[c] = ReadAll(column, schema[c], rows);
            }
            groups.Add(columns);
        }
        file.Close();
        return new Part(schema, meta.NumRows, groups);
    }

    private static Column Describe(ColumnDescriptor descriptor)
    {
        using var logical = descriptor.LogicalType;
        return new Column(descriptor.Name, descriptor.PhysicalType, descriptor.MaxDefinitionLevel > 0, logical is StringLogicalType);
    }

    private static object?[] ReadAll(ColumnReader column, Column described, int rows) => (described.Physical, described.Nullable) switch
    {
        (PhysicalType.Int32, false) => Box(column.LogicalReader<int>().ReadAll(rows)),
        (PhysicalType.Int32, true) => Box(column.LogicalReader<int?>().ReadAll(rows)),
        (PhysicalType.Int64, false) => Box(column.LogicalReader<long>().ReadAll(rows)),
        (PhysicalType.Int64, true) => Box(column.LogicalReader<long?>().ReadAll(rows)),
        (PhysicalType.Double, false) => Box(column.LogicalReader<double>().ReadAll(rows)),
        (PhysicalType.Double, true) => Box(column.LogicalReader<double?>().ReadAll(rows)),
        (PhysicalType.ByteArray, _) when described.IsUtf8 => column.LogicalReader<string?>().ReadAll(rows),
        _ => throw new NotSupportedException($"column '{described.Name}': {described.Physical} is not a staging type"),
    };

    private static object?[] Box<T>(T[] values) => [.. values.Select(v => (object?)v)];
}
