using Parquet;
using Parquet.Schema;
using Sparkify.Stream.Records;
using Sparkify.Stream.Staging;

namespace Sparkify.Stream.Warehouse;

/// <summary>
/// Streams staged Parquet parts into one Postgres table through a binary COPY: one row group in memory at a time,
/// columns read into reusable buffers, then written row by row to the importer (COPY's wire format is row-major).
/// Its columns, their order and their wire types come from the table's column table.
/// </summary>
/// <remarks>Not thread-safe: one instance per COPY.</remarks>
internal sealed class ParquetBinaryCopy
{
    private readonly StagingTable _staging;
    private readonly string _table;
    private readonly ParquetSchema _schema;
    private readonly IReadOnlyList<CopyColumn> _columns;

    public ParquetBinaryCopy(StagingTable table)
    {
        _staging = table;
        _table = table.SqlName;
        _schema = StagingParquet.For(table);
        _columns = [.. table.Columns.Select(CopyColumn.For)];
        Command = $"COPY {SqlText.Identifier(_table)} " +
                  $"({string.Join(", ", table.Columns.Select(c => SqlText.Identifier(c.Name)))}) " +
                  "FROM STDIN (FORMAT BINARY)";
    }

    /// <summary>The COPY statement, columns in the schema's order.</summary>
    public string Command { get; }

    /// <summary>Writes every row of one Parquet part (a seekable stream) in COPY's binary row format.</summary>
    /// <returns>The number of rows written.</returns>
    public async Task<long> WritePartAsync(PgCopyWriter writer, System.IO.Stream parquet, string url, CancellationToken ct)
    {
        await using var reader = await ParquetReader.CreateAsync(parquet, leaveStreamOpen: true, cancellationToken: ct);
        var fields = reader.Schema.DataFields;
        CheckSchema(fields, url);
        long written = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var rowGroup = reader.OpenRowGroupReader(g);
            var rows = checked((int)rowGroup.RowCount);
            for (var c = 0; c < _columns.Count; c++) await _columns[c].ReadAsync(rowGroup, fields[c], rows, ct);
            for (var r = 0; r < rows; r++)
            {
                writer.StartRow(_columns.Count);
                var c = 0;
                try
                {
                    for (; c < _columns.Count; c++) _columns[c].Write(writer, r);
                }
                catch (NulCharacterException)
                {
                    throw new SparkifyException(
                        $"{Origin(r)} has U+0000 in {fields[c].Name}: Postgres text cannot hold that character " +
                        "(DuckDB can), so this record cannot be loaded into Postgres; nothing was committed");
                }
                if (writer.ShouldFlush) await writer.FlushAsync(ct);
            }
            written += rows;
        }
        return written;
    }

    /// <summary>Where a row of the current row group came from: its source key and line when the table has them.</summary>
    private string Origin(int row)
    {
        var key = _staging.SourceKey;
        var line = _staging.SourceLine;
        if (key < 0) return $"a staged {_table} row";
        var where = line < 0 ? $"{_columns[key].ValueAt(row)}" : $"{_columns[key].ValueAt(row)} line {_columns[line].ValueAt(row)}";
        return $"the {_table} record from {where}";
    }

    private void CheckSchema(DataField[] found, string url)
    {
        var expected = _schema.DataFields;
        // A column may carry the name an older release staged it under (its packages are still loaded).
        var same = found.Length == expected.Length && found.Zip(expected, _staging.Columns).All(p =>
            (p.First.Name == p.Second.Name || p.First.Name == p.Third.FormerName) && p.First.ClrType == p.Second.ClrType &&
            p.First.IsNullable == p.Second.IsNullable);
        if (!same)
        {
            throw new SparkifyException(
                $"staged file {url} does not have the columns of {_table}: expected ({Describe(expected)}), " +
                $"found ({Describe(found)})");
        }
    }

    private static string Describe(IEnumerable<DataField> fields) =>
        string.Join(", ", fields.Select(f => $"{f.Name} {f.ClrType.Name}{(f.IsNullable ? "?" : "")}"));

    /// <summary>One column: a buffer for a row group and how each value goes on the wire.</summary>
    private abstract class CopyColumn
    {
        public abstract Task ReadAsync(ParquetRowGroupReader rowGroup, DataField field, int rows, CancellationToken ct);

        /// <summary>Writes the value of <paramref name="row"/> into the row being built.</summary>
        public abstract void Write(PgCopyWriter writer, int row);

        public abstract object? ValueAt(int row);

        public static CopyColumn For(StagingColumn column) => (column.Type, column.Nullable) switch
        {
            (ColumnType.Text, _) => new Text(),
            (ColumnType.Int64, false) => new Required<long>((w, v) => w.Int64(v)),
            (ColumnType.Int64, true) => new Optional<long>((w, v) => w.Int64(v)),
            (ColumnType.Int32, false) => new Required<int>((w, v) => w.Int32(v)),
            (ColumnType.Int32, true) => new Optional<int>((w, v) => w.Int32(v)),
            (ColumnType.Double, false) => new Required<double>((w, v) => w.Double(v)),
            (ColumnType.Double, true) => new Optional<double>((w, v) => w.Double(v)),
            _ => throw new NotSupportedException(
                $"staging column {column.Name} has type {column.Type}, which the Postgres loader does not map"),
        };

        protected static T[] Grow<T>(T[] buffer, int rows) => buffer.Length >= rows ? buffer : new T[rows];
    }

    private sealed class Text : CopyColumn
    {
        private string?[] _values = [];

        public override async Task ReadAsync(ParquetRowGroupReader rowGroup, DataField field, int rows, CancellationToken ct)
        {
            _values = Grow(_values, rows);
            await rowGroup.ReadAsync(field, _values.AsMemory(0, rows), null, ct);
        }

        public override void Write(PgCopyWriter writer, int row)
        {
            if (_values[row] is not { } value)
            {
                writer.Null();
                return;
            }
            // The server would refuse it too, but only as "invalid byte sequence" for the whole COPY, no row named.
            if (value.Contains('\0', StringComparison.Ordinal)) throw new NulCharacterException();
            writer.Text(value);
        }

        public override object? ValueAt(int row) => _values[row];
    }

    private sealed class NulCharacterException : Exception;

    private sealed class Required<T>(Action<PgCopyWriter, T> write) : CopyColumn
        where T : struct
    {
        private T[] _values = [];

        public override async Task ReadAsync(ParquetRowGroupReader rowGroup, DataField field, int rows, CancellationToken ct)
        {
            _values = Grow(_values, rows);
            await rowGroup.ReadAsync<T>(field, _values.AsMemory(0, rows), null, ct);
        }

        public override void Write(PgCopyWriter writer, int row) => write(writer, _values[row]);

        public override object? ValueAt(int row) => _values[row];
    }

    private sealed class Optional<T>(Action<PgCopyWriter, T> write) : CopyColumn
        where T : struct
    {
        private T?[] _values = [];

        public override async Task ReadAsync(ParquetRowGroupReader rowGroup, DataField field, int rows, CancellationToken ct)
        {
            _values = Grow(_values, rows);
            await rowGroup.ReadAsync<T>(field, _values.AsMemory(0, rows), null, ct);
        }

        public override void Write(PgCopyWriter writer, int row)
        {
            if (_values[row] is { } value) write(writer, value);
            else writer.Null();
        }

        public override object? ValueAt(int row) => _values[row];
    }
}
