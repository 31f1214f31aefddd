using System.Runtime.CompilerServices;

namespace Sparkify.Stream.Records;

/// <summary>What a field held after reading it.</summary>
internal enum ValueState : byte
{
    /// <summary>The field did not appear.</summary>
    Missing,

    /// <summary>JSON null: SQL NULL.</summary>
    Null,

    /// <summary>The empty string, where it reads as SQL NULL (a text field, or an integer field that allows it).</summary>
    Empty,

    /// <summary>A usable value.</summary>
    Value,

    /// <summary>A value that broke a rule; the problem is recorded.</summary>
    Bad,
}

/// <summary>
/// The values of one record while it is read, one slot per column of its <see cref="StagingTable"/>: reused from
/// record to record (no object per record); only a slot whose state is <see cref="ValueState.Value"/> is read.
/// </summary>
internal sealed class RecordValues(StagingTable table)
{
    public StagingTable Table { get; } = table;

    public readonly ValueState[] States = new ValueState[table.Columns.Count];
    public readonly long[] Integers = new long[table.Columns.Count];
    public readonly double[] Numbers = new double[table.Columns.Count];
    public readonly string?[] Texts = new string?[table.Columns.Count];

    /// <summary>Forgets the previous record: every field is missing again.</summary>
    public void Reset() => States.AsSpan().Clear();

    public int? Int32(int column) => States[column] == ValueState.Value ? (int)Integers[column] : null;

    public void SetInteger(int column, long value)
    {
        Integers[column] = value;
        States[column] = ValueState.Value;
    }

    public void SetText(int column, string value)
    {
        Texts[column] = value;
        States[column] = ValueState.Value;
    }

    /// <summary>Fills the source key and line columns (where the table has them).</summary>
    public void SetOrigin(string sourceKey, int line)
    {
        if (Table.SourceKey >= 0) SetText(Table.SourceKey, sourceKey);
        if (Table.SourceLine >= 0) SetInteger(Table.SourceLine, line);
    }
}

/// <summary>
/// Rows of one staging table held column by column, as Parquet wants them: a parse worker fills a small batch, the
/// table's writer appends batches into a row-group buffer that it reuses for every row group. The buffers follow the
/// table's columns: one typed array per column, so a row group is written from slices without copying.
/// </summary>
internal sealed class RecordBatch
{
    private readonly ColumnBuffer[] _columns;

    public RecordBatch(StagingTable table, int capacity = 1024)
    {
        Table = table;
        _columns = [.. table.Columns.Select(c => ColumnBuffer.For(c, capacity))];
    }

    public StagingTable Table { get; }

    public int Count { get; private set; }

    /// <summary>The column buffers in table order (the Parquet writer reads their spans).</summary>
    public IReadOnlyList<ColumnBuffer> Columns => _columns;

    /// <summary>Adds the record read into <paramref name="values"/> (the parser's path).</summary>
    public void Add(RecordValues values)
    {
        var columns = _columns;
        for (var c = 0; c < columns.Length; c++) columns[c].Add(values, c);
        Count++;
    }

    /// <summary>Adds a plain record through the columns' <see cref="StagingColumn.Get"/> (tests, the probe, the file list).</summary>
    public void Add<TRecord>(TRecord record)
    {
        for (var c = 0; c < _columns.Length; c++)
        {
            var get = Table.Columns[c].Get as Func<TRecord, object?>
                      ?? throw new InvalidOperationException($"{Table.Columns[c].Name} is not read from a {typeof(TRecord).Name}");
            _columns[c].AddBoxed(get(record));
        }
        Count++;
    }

    /// <summary>Appends rows [start, start + count) of <paramref name="source"/>, a batch of the same table.</summary>
    public void Append(RecordBatch source, int start, int count)
    {
        if (!ReferenceEquals(source.Table, Table)) throw new ArgumentException($"rows of {source.Table} are not rows of {Table}");
        for (var c = 0; c < _columns.Length; c++) _columns[c].Append(source._columns[c], start, count);
        Count += count;
    }

    /// <summary>Forgets the rows; references are cleared so a reused buffer keeps no strings alive.</summary>
    public void Clear()
    {
        foreach (var column in _columns) column.Clear();
        Count = 0;
    }

    /// <summary>The value at a column and row, boxed (null for NULL): for tests and messages, not the hot path.</summary>
    public object? Value(int column, int row) => _columns[column].ValueAt(row);

    /// <summary>The value of a named column, boxed.</summary>
    public object? Value(string column, int row) => Value(Table.Ordinal(column), row);
}

/// <summary>One column's values: a plain array and a count.</summary>
internal abstract class ColumnBuffer
{
    public abstract int Count { get; }

    /// <summary>Appends column <paramref name="column"/> of the record being read.</summary>
    public abstract void Add(RecordValues values, int column);

    public abstract void AddBoxed(object? value);

    public abstract void Append(ColumnBuffer source, int start, int count);

    public abstract void Clear();

    public abstract object? ValueAt(int row);

    public static ColumnBuffer For(StagingColumn column, int capacity) => (column.Type, column.Nullable) switch
    {
        (ColumnType.Int32, false) => new Int32Column(capacity),
        (ColumnType.Int32, true) => new NullableInt32Column(capacity),
        (ColumnType.Int64, false) => new Int64Column(capacity),
        (ColumnType.Int64, true) => new NullableInt64Column(capacity),
        (ColumnType.Double, false) => new DoubleColumn(capacity),
        (ColumnType.Double, true) => new NullableDoubleColumn(capacity),
        (ColumnType.Text, _) => new TextColumn(capacity),
        _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, "no buffer for this column type"),
    };
}

/// <summary>A column of <typeparamref name="T"/>; its <see cref="Span"/> is what the Parquet writer encodes.</summary>
internal abstract class ColumnBuffer<T>(int capacity) : ColumnBuffer
{
    private T[] _values = new T[Math.Max(capacity, 16)];
    private int _count;

    public override int Count => _count;

    public ReadOnlySpan<T> Span => _values.AsSpan(0, _count);

    public T this[int row] => _values[row];

    /// <summary>The column's value in the record being read.</summary>
    protected abstract T Read(RecordValues values, int column);

    public sealed override void Add(RecordValues values, int column) => Push(Read(values, column));

    public sealed override void AddBoxed(object? value) => Push(value is null ? default! : (T)value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Push(T value)
    {
        if (_count == _values.Length) Array.Resize(ref _values, _values.Length * 2);
        _values[_count++] = value;
    }

    public sealed override void Append(ColumnBuffer source, int start, int count)
    {
        var from = (ColumnBuffer<T>)source;
        if (_count + count > _values.Length) Array.Resize(ref _values, Math.Max(_values.Length * 2, _count + count));
        Array.Copy(from._values, start, _values, _count, count);
        _count += count;
    }

    public sealed override void Clear()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>()) Array.Clear(_values, 0, _count);
        _count = 0;
    }

    public sealed override object? ValueAt(int row) => _values[row];
}

internal sealed class Int32Column(int capacity) : ColumnBuffer<int>(capacity)
{
    protected override int Read(RecordValues values, int column) => (int)values.Integers[column];
}

internal sealed class NullableInt32Column(int capacity) : ColumnBuffer<int?>(capacity)
{
    protected override int? Read(RecordValues values, int column) =>
        values.States[column] == ValueState.Value ? (int)values.Integers[column] : null;
}

internal sealed class Int64Column(int capacity) : ColumnBuffer<long>(capacity)
{
    protected override long Read(RecordValues values, int column) => values.Integers[column];
}

internal sealed class NullableInt64Column(int capacity) : ColumnBuffer<long?>(capacity)
{
    protected override long? Read(RecordValues values, int column) =>
        values.States[column] == ValueState.Value ? values.Integers[column] : null;
}

internal sealed class DoubleColumn(int capacity) : ColumnBuffer<double>(capacity)
{
    protected override double Read(RecordValues values, int column) => values.Numbers[column];
}

internal sealed class NullableDoubleColumn(int capacity) : ColumnBuffer<double?>(capacity)
{
    protected override double? Read(RecordValues values, int column) =>
        values.States[column] == ValueState.Value ? values.Numbers[column] : null;
}

/// <summary>A text column; NOT NULL columns (source_key) hold no null because their rule requires a value.</summary>
internal sealed class TextColumn(int capacity) : ColumnBuffer<string?>(capacity)
{
    protected override string? Read(RecordValues values, int column) =>
        values.States[column] == ValueState.Value ? values.Texts[column] : null;
}
