using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using Parquet;
using Parquet.Schema;

namespace Sparkify.Stream.Tests.Staging;

/// <summary>
/// Every staging part of a real run (<see cref="StagedRun"/>) read back by three independent readers, DuckDB,
/// Parquet.Net and Apache Arrow's C++ reader (ParquetSharp): all read the same schema, row counts and rows, those rows
/// are the records the run parsed, and every column chunk's
/// statistics — DuckDB's <c>parquet_metadata()</c>, Parquet.Net's raw footer and its typed statistics — are the
/// null count and the min/max in the column's type order computed here from the chunk's values.
/// </summary>
public sealed class StagedPartsReadBackTests(StagedRun run) : IClassFixture<StagedRun>
{
    /// <summary>One column chunk as read: its values (boxed; null for a null) and what each reader says of it.</summary>
    private sealed record Chunk(string Part, int RowGroup, DataField Field, object?[] Values,
        Parquet.Meta.Statistics? Footer, Parquet.Data.DataColumnStatistics? Typed, DuckStats Duck);

    private sealed record DuckStats(long? NullCount, string? Min, string? Max);

    [Theory]
    [InlineData("events")]
    [InlineData("songs")]
    [InlineData("files")]
    public async Task Three_readers_read_back_every_row_and_the_statistics_of_every_chunk(string table)
    {
        var parts = Directory.GetFiles(Path.Combine(run.Staging, table), "*.parquet").Order(StringComparer.Ordinal).ToArray();
        Assert.True(parts.Length >= 2, $"{table}: {parts.Length} part(s), the test wants several");
        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        var rows = new List<string>();
        var chunks = new List<Chunk>();
        foreach (var part in parts)
        {
            var (partRows, partChunks) = await ReadWithParquetNet(part, StagedRun.Schemas[table]);
            Assert.Equal(partRows, ReadWithDuckDb(db, part));   // the same rows in the same order
            AssertArrowReadsTheSame(part, StagedRun.Schemas[table], partChunks, partRows);
            chunks.AddRange(partChunks.Select(c => c with { Duck = DuckStatistics(db, part, c.RowGroup, c.Field.Name) }));
            rows.AddRange(partRows);
        }
        Assert.True(chunks.Select(c => (c.Part, c.RowGroup)).Distinct().Count() > parts.Length, $"{table}: one row group per part");

        rows.Sort(StringComparer.Ordinal);
        var expected = run.Expected[table].Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Count, rows.Count);
        Assert.Equal(expected, rows);
        foreach (var chunk in chunks) AssertStatistics(chunk);
        AssertEdgesCovered(table, chunks);
    }

    private static async Task<(List<string> Rows, List<Chunk> Chunks)> ReadWithParquetNet(string part, ParquetSchema schema)
    {
        await using var stream = File.OpenRead(part);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.DataFields;
        Assert.Equal(schema.DataFields.Select(f => (f.Name, f.IsNullable, f.ClrType)), fields.Select(f => (f.Name, f.IsNullable, f.ClrType)));
        // min_value/max_value mean something only with column_orders: TYPE_ORDER for every column.
        var orders = reader.Metadata!.ColumnOrders;
        Assert.NotNull(orders);
        Assert.Equal(fields.Length, orders.Count);
        Assert.All(orders, o => Assert.NotNull(o.TYPEORDER));

        var rows = new List<string>();
        var chunks = new List<Chunk>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var rowGroup = reader.OpenRowGroupReader(g);
            var n = checked((int)rowGroup.RowCount);
            var columns = new object?[fields.Length][];
            for (var c = 0; c < fields.Length; c++)
            {
                columns[c] = await ReadColumn(rowGroup, fields[c], n);
                chunks.Add(new Chunk(part, g, fields[c], columns[c], reader.Metadata.RowGroups[g].Columns[c].MetaData?.Statistics,
                    rowGroup.GetStatistics(fields[c]), new DuckStats(null, null, null)));
            }
            for (var i = 0; i < n; i++) rows.Add(StagedRun.ExactRow(columns.Select(column => column[i])));
        }
        return (rows, chunks);
    }

    /// <summary>
    /// Arrow's C++ reader sees the schema the staging table declares (names, order, nullability, the physical type of
    /// each column type, strings annotated as UTF-8), the footer's row count, each row group's row count and the rows
    /// Parquet.Net read, in the same order.
    /// </summary>
    private static void AssertArrowReadsTheSame(string part, ParquetSchema schema, List<Chunk> chunks, List<string> rows)
    {
        var arrow = ArrowParquet.Read(part);
        Assert.Equal(schema.DataFields.Select(f => (f.Name, f.IsNullable, Physical(f), IsText(f))),
            arrow.Schema.Select(c => (c.Name, c.Nullable, c.Physical, c.IsUtf8)));
        Assert.Equal(rows.Count, arrow.FooterRows);
        var groupRows = chunks.GroupBy(c => c.RowGroup).Select(g => (long)g.First().Values.Length);
        Assert.Equal(groupRows, arrow.RowGroups.Select(g => (long)g[0].Length));
        Assert.Equal(rows, arrow.Rows().Select(StagedRun.ExactRow));
    }

    private static ParquetSharp.PhysicalType Physical(DataField field) =>
        IsText(field) ? ParquetSharp.PhysicalType.ByteArray
        : field.ClrType == typeof(int) ? ParquetSharp.PhysicalType.Int32
        : field.ClrType == typeof(long) ? ParquetSharp.PhysicalType.Int64
        : field.ClrType == typeof(double) ? ParquetSharp.PhysicalType.Double
        : throw new NotSupportedException(field.ClrType.Name);

    /// <summary>A UTF-8 column (Parquet.Net 6 gives strings as <see cref="ReadOnlyMemory{T}"/> of char by default).</summary>
    private static bool IsText(DataField field) => field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>);

    private static async Task<object?[]> ReadColumn(ParquetRowGroupReader rowGroup, DataField field, int n)
    {
        if (IsText(field))
        {
            var strings = new string?[n];
            await rowGroup.ReadAsync(field, strings.AsMemory(), null);
            return strings;
        }
        if (field.ClrType == typeof(int)) return await Read<int>(rowGroup, field, n);
        if (field.ClrType == typeof(long)) return await Read<long>(rowGroup, field, n);
        if (field.ClrType == typeof(double)) return await Read<double>(rowGroup, field, n);
        throw new NotSupportedException(field.ClrType.Name);
    }

    private static async Task<object?[]> Read<T>(ParquetRowGroupReader rowGroup, DataField field, int n) where T : struct
    {
        if (field.IsNullable)
        {
            var values = new T?[n];
            await rowGroup.ReadAsync<T>(field, values.AsMemory(), null);
            return [.. values.Select(v => v.HasValue ? (object)v.Value : null)];
        }
        var required = new T[n];
        await rowGroup.ReadAsync<T>(field, required.AsMemory(), null);
        return [.. required.Select(v => (object?)v)];
    }

    private static List<string> ReadWithDuckDb(DuckDBConnection db, string part)
    {
        using var command = db.CreateCommand();
        command.CommandText = $"SELECT * EXCLUDE (file_row_number) FROM read_parquet('{part}', file_row_number = true) ORDER BY file_row_number";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
            rows.Add(StagedRun.ExactRow(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i))));
        return rows;
    }

    private static DuckStats DuckStatistics(DuckDBConnection db, string part, int rowGroup, string column)
    {
        using var command = db.CreateCommand();
        command.CommandText = "SELECT stats_null_count, stats_min_value, stats_max_value, stats_min, stats_max " +
                              $"FROM parquet_metadata('{part}') WHERE row_group_id = {rowGroup} AND path_in_schema = '{column}'";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read(), $"{part}: no metadata for row group {rowGroup}, column {column}");
        Assert.True(reader.IsDBNull(3) && reader.IsDBNull(4), "the deprecated min/max (signed order only) are not written");
        return new DuckStats(reader.IsDBNull(0) ? null : reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetString(2));
    }

    /// <summary>The chunk's statistics as each reader reports them equal those computed here from its values.</summary>
    private static void AssertStatistics(Chunk chunk)
    {
        var where = $"{Path.GetFileName(chunk.Part)} row group {chunk.RowGroup} column {chunk.Field.Name}";
        var nulls = chunk.Values.LongCount(v => v is null);
        var (min, max) = ExpectedBounds(chunk.Field, chunk.Values.Where(v => v is not null).ToArray()!);
        Assert.True(chunk.Footer is not null, $"{where}: no statistics");
        Assert.Equal(nulls, chunk.Footer.NullCount);
        Assert.Equal(nulls, chunk.Duck.NullCount);
        Assert.Equal(nulls, chunk.Typed?.NullCount);
        if (min is null)
        {
            Assert.True(chunk.Footer.MinValue is null && chunk.Footer.MaxValue is null, $"{where}: bounds without a value to bound");
            Assert.True(chunk.Duck.Min is null && chunk.Duck.Max is null, $"{where}: DuckDB reads bounds");
            return;
        }
        Assert.Equal(Plain(min), chunk.Footer.MinValue);
        Assert.Equal(Plain(max!), chunk.Footer.MaxValue);
        Assert.True(chunk.Footer.IsMinValueExact == true && chunk.Footer.IsMaxValueExact == true, $"{where}: not exact");
        Assert.Equal(StagedRun.Exact(min), StagedRun.Exact(chunk.Typed!.MinValue));
        Assert.Equal(StagedRun.Exact(max), StagedRun.Exact(chunk.Typed.MaxValue));
        Assert.Equal(StagedRun.Exact(min), StagedRun.Exact(FromDuck(chunk.Field, chunk.Duck.Min)));
        Assert.Equal(StagedRun.Exact(max), StagedRun.Exact(FromDuck(chunk.Field, chunk.Duck.Max)));
    }

    /// <summary>
    /// Min and max in the column's type order (parquet.thrift's ColumnOrder): signed for integers; for doubles the
    /// numeric order without NaN, a zero minimum as -0.0 and a zero maximum as +0.0; for strings code point order
    /// (which UTF-8's unsigned byte order is), none when either is over 4 KiB of UTF-8. Null when there is no value.
    /// </summary>
    private static (object? Min, object? Max) ExpectedBounds(DataField field, object[] values)
    {
        if (field.ClrType == typeof(double))
        {
            var numbers = values.Cast<double>().Where(d => !double.IsNaN(d)).ToArray();
            if (numbers.Length == 0) return (null, null);
            var (min, max) = (numbers.Min(), numbers.Max());
            return (min == 0 ? -0.0 : min, max == 0 ? 0.0 : max);
        }
        if (values.Length == 0) return (null, null);
        if (!IsText(field)) return (values.Min(), values.Max());
        var strings = values.Cast<string>().Order(CodePointOrder.Instance).ToArray();
        return Encoding.UTF8.GetByteCount(strings[0]) > 4096 || Encoding.UTF8.GetByteCount(strings[^1]) > 4096
            ? (null, null)
            : (strings[0], strings[^1]);
    }

    private static byte[] Plain(object value) => value switch
    {
        int i => BitConverter.GetBytes(i),
        long l => BitConverter.GetBytes(l),
        double d => BitConverter.GetBytes(d),
        string s => Encoding.UTF8.GetBytes(s),
        _ => throw new ArgumentException(value.GetType().Name, nameof(value)),
    };

    private static object? FromDuck(DataField field, string? text) =>
        text is null ? null :
        IsText(field) ? text :
        field.ClrType == typeof(double) ? (object)double.Parse(text, CultureInfo.InvariantCulture) :
        long.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>The test's data reaches the edges the statistics have rules for (else a passing test proves less).</summary>
    private static void AssertEdgesCovered(string table, List<Chunk> chunks)
    {
        bool Any(Func<Chunk, bool> predicate) => chunks.Any(predicate);
        bool Has(object value) => chunks.Any(c => c.Values.Any(v => StagedRun.Exact(v) == StagedRun.Exact(value)));
        Assert.True(Any(c => c.Field.IsNullable && c.Values.Any(v => v is null) && c.Values.Any(v => v is not null)), $"{table}: no chunk mixes nulls and values");
        if (table == "files")
        {
            // Song files have no date and come after the log files (rows in key order): whole row groups of NULL.
            Assert.True(Any(c => c.Values.All(v => v is null)), "files: no all-null chunk");
            return;   // ASCII keys, no extremes
        }
        // The sources' empty strings are staged as NULL (docs/semantics.md#staging_events), so '' beside NULL is PartFileWriterTests' case.
        Assert.DoesNotContain(chunks, c => c.Values.Any(v => v is ""));
        Assert.True(Any(c => c.Values.Any(v => v is string s && s.Any(ch => ch > 127))), $"{table}: no non-ASCII text");
        Assert.True(Has(int.MinValue) && Has(int.MaxValue), $"{table}: no int extremes");
        Assert.True(Has(double.MaxValue) && Has(-0.0) && Has(0.0), $"{table}: no double edges");
        // A chunk where .NET's ordinal (UTF-16) order would pick another maximum than UTF-8's byte order.
        Assert.True(Any(c => c.Values.Contains(StagedRun.Emoji + (table == "events" ? " emoji" : " Zoë")) &&
                             c.Values.OfType<string>().Any(s => s.StartsWith('\uE000'))), $"{table}: no chunk orders UTF-8 and UTF-16 differently");
        if (table == "events")
        {
            Assert.True(Has(long.MinValue) && Has(long.MaxValue) && Has(double.Epsilon), "events: no long extremes or denormal");
        }
        else
        {
            Assert.True(Any(c => c.Values.Contains(StagedRun.LongTitle) && c.Footer?.MaxValue is null), "songs: the over-4-KiB title kept its chunk's bounds");
        }
    }

    /// <summary>Unicode code point order: the order of UTF-8's unsigned bytes, unlike <see cref="StringComparer.Ordinal"/>.</summary>
    private sealed class CodePointOrder : IComparer<string>
    {
        public static readonly CodePointOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            var (a, b) = (x!.EnumerateRunes(), y!.EnumerateRunes());
            while (true)
            {
                var (moreA, moreB) = (a.MoveNext(), b.MoveNext());
                if (!moreA || !moreB) return moreA.CompareTo(moreB);
                var order = a.Current.Value.CompareTo(b.Current.Value);
                if (order != 0) return order;
            }
        }
    }
}
