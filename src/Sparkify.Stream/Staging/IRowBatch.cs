using Sparkify.Stream.Staging.ParquetFormat;

namespace Sparkify.Stream.Staging;

/// <summary>
/// Rows of one staging table held column by column, as Parquet wants them: a parse worker fills a small batch,
/// the table's writer appends batches into a row-group buffer that it reuses for every row group.
/// </summary>
internal interface IRowBatch<in TBatch>
{
    int Count { get; }

    /// <summary>Appends rows [start, start + count) of <paramref name="source"/>.</summary>
    void Append(TBatch source, int start, int count);

    void Clear();

    /// <summary>Writes every row as the columns of one (open) row group, in schema order.</summary>
    void Write(PartFileWriter file);
}

/// <summary>A growable column: a plain array and a count, so a row group is written from a slice without copying.</summary>
internal sealed class Column<T>(int capacity)
{
    private T[] _values = new T[Math.Max(capacity, 16)];

    public int Count { get; private set; }

    public ReadOnlyMemory<T> Memory => _values.AsMemory(0, Count);

    public ReadOnlySpan<T> Span => _values.AsSpan(0, Count);

    public T this[int index] => _values[index];

    public void Add(T value)
    {
        if (Count == _values.Length) Array.Resize(ref _values, _values.Length * 2);
        _values[Count++] = value;
    }

    public void Append(Column<T> source, int start, int count)
    {
        if (Count + count > _values.Length) Array.Resize(ref _values, Math.Max(_values.Length * 2, Count + count));
        Array.Copy(source._values, start, _values, Count, count);
        Count += count;
    }

    /// <summary>Forgets the rows; references are cleared so a reused buffer keeps no strings alive.</summary>
    public void Clear()
    {
        if (System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>())
            Array.Clear(_values, 0, Count);
        Count = 0;
    }
}

/// <summary>A row batch of plain records for the small tables (songs, files): rows in a list, columns built at write time.</summary>
/// <param name="write">Writes the rows as a row group; null for a batch that is only appended from.</param>
internal sealed class RowList<T>(Action<PartFileWriter, IReadOnlyList<T>>? write, List<T>? rows = null)
    : IRowBatch<RowList<T>>
{
    public List<T> Rows { get; } = rows ?? [];

    public int Count => Rows.Count;

    public void Append(RowList<T> source, int start, int count) => Rows.AddRange(source.Rows.GetRange(start, count));

    public void Clear() => Rows.Clear();

    public void Write(PartFileWriter file) =>
        (write ?? throw new InvalidOperationException("this row list is not a writer's buffer"))(file, Rows);
}
