using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
        // Through a ref: a plain store into string?[] costs a covariance-check call on every value (the JIT keeps it
        // without dynamic PGO, which this app runs without); the index is checked first.
        if ((uint)column >= (uint)Texts.Length) throw new ArgumentOutOfRangeException(nameof(column), column, "no such column");
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Texts), column) = value;
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

    // The same buffers by type, with their ordinals: Add fills them with direct (not virtual) calls, one per value
    // of a million-row hot path.
    private readonly (ColumnBuffer<int> Buffer, int Column)[] _int32;
    private readonly (ColumnBuffer<int?> Buffer, int Column)[] _nullableInt32;
    private readonly (ColumnBuffer<long> Buffer, int Column)[] _int64;
    private readonly (ColumnBuffer<long?> Buffer, int Column)[] _nullableInt64;
    private readonly (ColumnBuffer<double> Buffer, int Column)[] _double;
    private readonly (ColumnBuffer<double?> Buffer, int Column)[] _nullableDouble;
    private readonly (ColumnBuffer<string?> Buffer, int Column)[] _text;

    public RecordBatch(StagingTable table, int capacity = 1024)
    {
        Table = table;
        _columns = [.. table.Columns.Select(c => ColumnBuffer.For(c, capacity))];
        _int32 = Of<int>();
        _nullableInt32 = Of<int?>();
        _int64 = Of<long>();
        _nullableInt64 = Of<long?>();
        _double = Of<double>();
        _nullableDouble = Of<double?>();
        _text = Of<string?>();
    }

    private (ColumnBuffer<T>, int)[] Of<T>() =>
        [.. _columns.Select((b, i) => (b as ColumnBuffer<T>, i)).Where(p => p.Item1 is not null).Select(p => (p.Item1!, p.i))];

    public StagingTable Table { get; }

    public int Count { get; private set; }

    /// <summary>The column buffers in table order (the Parquet writer reads their spans).</summary>
    public IReadOnlyList<ColumnBuffer> Columns => _columns;

    /// <summary>Adds the record read into <paramref name="values"/> (the parser's path).</summary>
    public void Add(RecordValues values)
    {
        var states = values.States;
        var integers = values.Integers;
        var numbers = values.Numbers;
        var texts = values.Texts;
        foreach (var (b, c) in _int64) b.Push(integers[c]);
        foreach (var (b, c) in _nullableInt32) b.Push(states[c] == ValueState.Value ? (int)integers[c] : null);
        foreach (var (b, c) in _text) b.Push(states[c] == ValueState.Value ? texts[c] : null);
        foreach (var (b, c) in _nullableDouble) b.Push(states[c] == ValueState.Value ? numbers[c] : null);
        foreach (var (b, c) in _nullableInt64) b.Push(states[c] == ValueState.Value ? integers[c] : null);
        foreach (var (b, c) in _int32) b.Push((int)integers[c]);
        foreach (var (b, c) in _double) b.Push(numbers[c]);
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

    /// <summary>Rows the buffers hold without growing.</summary>
    public int Capacity => _columns.Length == 0 ? int.MaxValue : _columns[0].Capacity;

    /// <summary>Grows every column to hold at least <paramref name="rows"/> rows (one copy, not a doubling series).</summary>
    public void EnsureCapacity(int rows)
    {
        foreach (var column in _columns) column.EnsureCapacity(rows);
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

    public abstract int Capacity { get; }

    public abstract void EnsureCapacity(int rows);

    public abstract void AddBoxed(object? value);

    public abstract void Append(ColumnBuffer source, int start, int count);

    public abstract void Clear();

    public abstract object? ValueAt(int row);

    public static ColumnBuffer For(StagingColumn column, int capacity) => (column.Type, column.Nullable) switch
    {
        (ColumnType.Int32, false) => new ColumnBuffer<int>(capacity),
        (ColumnType.Int32, true) => new ColumnBuffer<int?>(capacity),
        (ColumnType.Int64, false) => new ColumnBuffer<long>(capacity),
        (ColumnType.Int64, true) => new ColumnBuffer<long?>(capacity),
        (ColumnType.Double, false) => new ColumnBuffer<double>(capacity),
        (ColumnType.Double, true) => new ColumnBuffer<double?>(capacity),
        // NOT NULL text columns (source_key) hold no null: their rule requires a value.
        (ColumnType.Text, _) => new ColumnBuffer<string?>(capacity),
        _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, "no buffer for this column type"),
    };
}

/// <summary>A column of <typeparamref name="T"/> (nullable for a nullable column); its <see cref="Span"/> is what the Parquet writer encodes.</summary>
internal sealed class ColumnBuffer<T>(int capacity) : ColumnBuffer
{
    private T[] _values = new T[Math.Max(capacity, 16)];
    private int _count;

    public override int Count => _count;

    public override int Capacity => _values.Length;

    public override void EnsureCapacity(int rows)
    {
        if (rows > _values.Length) Array.Resize(ref _values, rows);
    }

    public ReadOnlySpan<T> Span => _values.AsSpan(0, _count);

    public T this[int row] => _values[row];

    public override void AddBoxed(object? value) => Push(value is null ? default! : (T)value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(T value)
    {
        if ((uint)_count >= (uint)_values.Length) Array.Resize(ref _values, _values.Length * 2);
        // Through a ref, as RecordValues.SetText: no covariance-check call per string (the count is below the length).
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_values), _count++) = value;
    }

    public override void Append(ColumnBuffer source, int start, int count)
    {
        var from = (ColumnBuffer<T>)source;
        if (_count + count > _values.Length) Array.Resize(ref _values, Math.Max(_values.Length * 2, _count + count));
        from._values.AsSpan(start, count).CopyTo(_values.AsSpan(_count));
        _count += count;
    }

    public override void Clear()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>()) Array.Clear(_values, 0, _count);
        _count = 0;
    }

    public override object? ValueAt(int row) => _values[row];
}
