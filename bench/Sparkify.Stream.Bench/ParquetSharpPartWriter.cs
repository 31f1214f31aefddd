using System.Runtime.InteropServices;
using System.Text;
using ParquetSharp;
using ParquetSharp.Schema;
using ParquetNetSchema = Parquet.Schema.ParquetSchema;

namespace Sparkify.Stream.Bench;

/// <summary>
/// The staging part writer's calls (<c>BeginRowGroup</c>, one <c>Write…</c> per column in schema order,
/// <c>EndRowGroup</c>, <c>Complete</c>) on ParquetSharp's low-level column writers (Apache Arrow's C++ writer),
/// writing the hand-written writer's schema: INT32/INT64 with INT(32|64, signed), DOUBLE, UTF-8 strings as STRING,
/// Snappy, dictionary encoding for strings (the hand-written writer's numbers are PLAIN).
/// </summary>
/// <remarks>
/// Strings go in as <see cref="ByteArray"/>s: each distinct string object of a column chunk is encoded to UTF-8 once,
/// into pinned memory (the parser shares one string per repeated value), as the hand-written writer does; the C++
/// writer copies the bytes into its dictionary or page, so the buffer is reused for the next column.
/// </remarks>
public sealed class ParquetSharpPartWriter : IPartColumns, IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ParquetFileWriter _file;
    private readonly bool[] _nullable;
    private readonly Dictionary<string, ByteArray> _encoded = new(ReferenceEqualityComparer.Instance);
    private readonly PinnedUtf8 _utf8 = new();
    private RowGroupWriter? _group;
    private int _column;
    private short[] _levels = [];
    private ByteArray[] _strings = [];
    private byte[] _values = [];

    /// <param name="statistics">Column statistics (min/max/null count, Arrow's default); the hand-written writer writes none.</param>
    public ParquetSharpPartWriter(string path, ParquetNetSchema schema, bool statistics = true)
    {
        var fields = schema.DataFields;
        _nullable = [.. fields.Select(f => f.IsNullable)];
        var nodes = fields.Select(Node).ToArray();
        using var root = new GroupNode("schema", Repetition.Required, nodes);
        using var builder = new WriterPropertiesBuilder()
            .Compression(Compression.Snappy)
            .CreatedBy("Sparkify.Stream (ParquetSharp)")
            .DisableDictionary();
        foreach (var f in fields.Where(IsText)) builder.EnableDictionary(f.Name);
        if (!statistics) builder.DisableStatistics().SetSizeStatisticsLevel(SizeStatisticsLevel.None);
        using var properties = builder.Build();
        _file = new ParquetFileWriter(path, root, properties);
        foreach (var node in nodes) node.Dispose();
    }

    private static bool IsText(Parquet.Schema.DataField f) => f.ClrType == typeof(string) || f.ClrType == typeof(ReadOnlyMemory<char>);

    private static PrimitiveNode Node(Parquet.Schema.DataField f)
    {
        var repetition = f.IsNullable ? Repetition.Optional : Repetition.Required;
        using var logical = IsText(f) ? LogicalType.String()
            : f.ClrType == typeof(int) ? LogicalType.Int(32, isSigned: true)
            : f.ClrType == typeof(long) ? LogicalType.Int(64, isSigned: true)
            : LogicalType.None();
        var physical = IsText(f) ? PhysicalType.ByteArray
            : f.ClrType == typeof(int) ? PhysicalType.Int32
            : f.ClrType == typeof(long) ? PhysicalType.Int64
            : f.ClrType == typeof(double) ? PhysicalType.Double
            : throw new NotSupportedException($"staging column '{f.Name}': type {f.ClrType.Name} is not supported");
        return new PrimitiveNode(f.Name, repetition, logical, physical);
    }

    public void BeginRowGroup(int rows)
    {
        _group = _file.AppendRowGroup();
        _column = 0;
        if (_levels.Length < rows) _levels = new short[rows];
    }

    public void EndRowGroup()
    {
        _group!.Close();
        _group.Dispose();
        _group = null;
    }

    public void WriteInt32(ReadOnlySpan<int> values) => WriteRequired(values);

    public void WriteInt32(ReadOnlySpan<int?> values) => WriteOptional(values);

    public void WriteInt64(ReadOnlySpan<long> values) => WriteRequired(values);

    public void WriteInt64(ReadOnlySpan<long?> values) => WriteOptional(values);

    public void WriteDouble(ReadOnlySpan<double> values) => WriteRequired(values);

    public void WriteDouble(ReadOnlySpan<double?> values) => WriteOptional(values);

    public void WriteStrings(ReadOnlySpan<string?> values)
    {
        var nullable = _nullable[_column];
        if (_strings.Length < values.Length) _strings = new ByteArray[values.Length];
        var n = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            _levels[i] = value is null ? (short)0 : (short)1;
            if (value is null) continue;
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_encoded, value, out var seen);
            if (!seen) slot = _utf8.Add(value);
            _strings[n++] = slot;
        }
        using (var column = (ColumnWriter<ByteArray>)Next())
            column.WriteBatch(values.Length, nullable ? _levels : default, default, _strings.AsSpan(0, n));
        _encoded.Clear();
        _utf8.Reset();
    }

    /// <summary>Writes the footer and closes the file.</summary>
    public void Complete() => _file.Close();

    public void Dispose()
    {
        _file.Dispose();
        _utf8.Dispose();
    }

    private ColumnWriter Next()
    {
        _column++;
        return _group!.NextColumn();
    }

    private void WriteRequired<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        using var column = (ColumnWriter<T>)Next();
        column.WriteBatch(values);
    }

    private void WriteOptional<T>(ReadOnlySpan<T?> values) where T : unmanaged
    {
        var size = Marshal.SizeOf<T>() * values.Length;
        if (_values.Length < size) _values = new byte[size];
        var present = MemoryMarshal.Cast<byte, T>(_values.AsSpan(0, size));
        var n = 0;
        for (var i = 0; i < values.Length; i++)
        {
            _levels[i] = values[i].HasValue ? (short)1 : (short)0;
            if (values[i] is { } v) present[n++] = v;
        }
        using var column = (ColumnWriter<T>)Next();
        column.WriteBatch(values.Length, _levels, default, present[..n]);
    }

    /// <summary>UTF-8 bytes in pinned arrays (they never move), handed to the C++ writer by address.</summary>
    private sealed class PinnedUtf8 : IDisposable
    {
        private const int BlockBytes = 1 << 20;
        private readonly List<byte[]> _blocks = [GC.AllocateUninitializedArray<byte>(BlockBytes, pinned: true)];
        private int _block;
        private int _used;

        public ByteArray Add(string value)
        {
            var max = Utf8.GetMaxByteCount(value.Length);
            if (BlockBytes - _used < max) NextBlock(max);
            var block = _blocks[_block];
            var length = Utf8.GetBytes(value, block.AsSpan(_used));
            var address = Marshal.UnsafeAddrOfPinnedArrayElement(block, _used);
            _used += length;
            return new ByteArray(address, length);
        }

        private void NextBlock(int bytes)
        {
            _block++;
            _used = 0;
            if (_block == _blocks.Count || _blocks[_block].Length < bytes)
                _blocks.Insert(_block, GC.AllocateUninitializedArray<byte>(Math.Max(BlockBytes, bytes), pinned: true));
        }

        public void Reset() => (_block, _used) = (0, 0);

        public void Dispose() => _blocks.Clear();
    }
}
