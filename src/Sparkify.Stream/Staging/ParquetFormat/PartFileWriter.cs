using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Parquet.Schema;
using Snappier;
using static Sparkify.Stream.Staging.ParquetFormat.ParquetThrift;

namespace Sparkify.Stream.Staging.ParquetFormat;

/// <summary>
/// Writes a Parquet file of a flat staging schema (required or optional INT32, INT64, DOUBLE and UTF-8 strings: no
/// TIMESTAMP: docs/semantics.md#timestamps), a row group at a time, columns in schema order: Snappy-compressed v1 data pages,
/// one page per column chunk, strings dictionary-encoded when their values repeat (PLAIN otherwise), each column
/// chunk with its statistics (null count, exact min and max in the column's type order: <see cref="ColumnStatistics"/>).
/// </summary>
/// <remarks>
/// Why not Parquet.Net's writer: it takes strings only as .NET strings and encodes them to UTF-8 value by value
/// with an allocation per value; that was ~35 % of the staging CPU. Here a string column costs one hash lookup
/// per value (by reference first: the parser shares one string per repeated value) and one UTF-8 encoding per
/// distinct value in a row group. The schema is still Parquet.Net's <see cref="ParquetSchema"/> (one definition
/// of the staging columns), and Parquet.Net and DuckDB read these files back in the tests.
/// Not thread-safe: one writer per file. It holds no resources of its own: the stream is the caller's, and a
/// file whose writer never reached <see cref="Complete"/> has no footer, so no reader takes it for a Parquet file.
/// </remarks>
internal sealed partial class PartFileWriter
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();
    private const string CreatedBy = "Sparkify.Stream (hand-written flat-schema writer)";

    private readonly System.IO.Stream _stream;
    private readonly Column[] _columns;
    private readonly List<RowGroupMeta> _rowGroups = [];
    private readonly ArrayBufferWriter<byte> _body = new(1 << 20);
    private readonly ArrayBufferWriter<byte> _dictionary = new(1 << 16);
    private readonly ArrayBufferWriter<byte> _header = new(256);
    private readonly Dictionary<string, int> _byReference = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, int> _byContent = new(StringComparer.Ordinal);
    private byte[] _compressed = new byte[1 << 16];
    private int[] _levels = new int[1024];
    private int[] _indices = new int[1024];
    private long _position;
    private RowGroupMeta? _current;
    private int _nextColumn;
    private bool _completed;

    public PartFileWriter(System.IO.Stream stream, ParquetSchema schema)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("the Parquet writer assumes a little-endian CPU");
        _stream = stream;
        _columns = [.. schema.Fields.Select(Column.Of)];
        Write(Magic);
    }

    /// <summary>The file's size so far.</summary>
    public long Position => _position;

    public void BeginRowGroup(int rows)
    {
        if (_current is not null) throw new InvalidOperationException("the previous row group is not finished");
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        _current = new RowGroupMeta(rows, _position);
        _nextColumn = 0;
    }

    public void EndRowGroup()
    {
        var group = _current ?? throw new InvalidOperationException("no row group is open");
        if (_nextColumn != _columns.Length)
            throw new InvalidOperationException($"row group ended after {_nextColumn} of {_columns.Length} columns");
        _rowGroups.Add(group);
        _current = null;
    }

    public void WriteInt32(ReadOnlySpan<int> values) => WriteRequired(ColumnKind.Int32, values);

    public void WriteInt32(ReadOnlySpan<int?> values) => WriteOptional(ColumnKind.Int32, values);

    public void WriteInt64(ReadOnlySpan<long> values) => WriteRequired(ColumnKind.Int64, values);

    public void WriteInt64(ReadOnlySpan<long?> values) => WriteOptional(ColumnKind.Int64, values);

    public void WriteDouble(ReadOnlySpan<double> values) => WriteRequired(ColumnKind.Double, values);

    public void WriteDouble(ReadOnlySpan<double?> values) => WriteOptional(ColumnKind.Double, values);

    /// <summary>A UTF-8 string column; null is a null (required columns refuse it), "" an empty string.</summary>
    public void WriteStrings(ReadOnlySpan<string?> values)
    {
        var column = Peek(ColumnKind.Text, values.Length);
        if (!column.Nullable && HasNull(values)) throw NullInRequired(column);
        Start(column, values.Length);
        _body.ResetWrittenCount();
        var nonNull = column.Nullable ? WriteDefinitionLevels(values) : values.Length;

        // Dictionary indices for the non-null values; give up (PLAIN) when most values are distinct.
        _dictionary.ResetWrittenCount();
        if (_indices.Length < nonNull) _indices = new int[Math.Max(nonNull, _indices.Length * 2)];
        var count = 0;
        var distinct = 0;
        var dictionary = true;
        foreach (var value in values)
        {
            if (value is null) continue;
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_byReference, value, out var seen);
            if (!seen)
            {
                ref var contentSlot = ref CollectionsMarshal.GetValueRefOrAddDefault(_byContent, value, out var known);
                if (!known)
                {
                    contentSlot = distinct++;
                    PlainString(value, _dictionary);
                    if (distinct > MaxDictionaryValues(nonNull) || _dictionary.WrittenCount > MaxDictionaryBytes)
                    {
                        dictionary = false;
                        break;
                    }
                }
                slot = contentSlot;
            }
            _indices[count++] = slot;
        }

        var chunk = _current!.Columns[^1];
        var nulls = values.Length - nonNull;
        if (dictionary && distinct > 0)
        {
            chunk.Statistics = ColumnStatistics.OfPlainByteArrays(_dictionary.WrittenSpan, nulls);   // each distinct value once
            WriteDictionaryPage(distinct);
            var bitWidth = RleHybrid.BitWidth(distinct - 1);
            _body.GetSpan(1)[0] = (byte)bitWidth;
            _body.Advance(1);
            RleHybrid.Encode(_indices.AsSpan(0, count), bitWidth, _body);
            WriteDataPage(values.Length, Encoding.PlainDictionary);
        }
        else
        {
            var valuesAt = _body.WrittenCount;
            foreach (var value in values)
                if (value is not null) PlainString(value, _body);
            chunk.Statistics = ColumnStatistics.OfPlainByteArrays(_body.WrittenSpan[valuesAt..], nulls);
            WriteDataPage(values.Length, Encoding.Plain);
        }
        _byReference.Clear();   // holds no strings between row groups
        _byContent.Clear();
    }

    /// <summary>Writes the footer. The stream is left open.</summary>
    public void Complete()
    {
        if (_completed) return;
        if (_current is not null) throw new InvalidOperationException("a row group is still open");
        _header.ResetWrittenCount();
        WriteFooter(new ThriftCompactWriter(_header));
        var footerLength = _header.WrittenCount;
        Write(_header.WrittenSpan);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, footerLength);
        Write(length);
        Write(Magic);
        _stream.Flush();
        _completed = true;
    }

    private const int MaxDictionaryBytes = 4 << 20;

    private static int MaxDictionaryValues(int nonNull) => Math.Max(64, nonNull / 2);

    private void WriteRequired<T>(ColumnKind kind, ReadOnlySpan<T> values) where T : unmanaged
    {
        var column = Next(kind, values.Length);
        _body.ResetWrittenCount();
        if (column.Nullable) WriteAllPresent(values.Length);
        var bytes = MemoryMarshal.AsBytes(values);
        bytes.CopyTo(_body.GetSpan(bytes.Length));
        _body.Advance(bytes.Length);
        _current!.Columns[^1].Statistics = ColumnStatistics.Of(values, nulls: 0);
        WriteDataPage(values.Length, Encoding.Plain);
    }

    private void WriteOptional<T>(ColumnKind kind, ReadOnlySpan<T?> values) where T : unmanaged
    {
        var column = Peek(kind, values.Length);
        if (!column.Nullable && HasNull(values)) throw NullInRequired(column);
        Start(column, values.Length);
        _body.ResetWrittenCount();
        var present = column.Nullable ? WriteDefinitionLevels(values) : values.Length;
        var span = MemoryMarshal.Cast<byte, T>(_body.GetSpan(present * Unsafe.SizeOf<T>())[..(present * Unsafe.SizeOf<T>())]);
        var n = 0;
        foreach (var value in values)
            if (value.HasValue) span[n++] = value.GetValueOrDefault();
        _current!.Columns[^1].Statistics = ColumnStatistics.Of<T>(span, values.Length - present);
        _body.Advance(present * Unsafe.SizeOf<T>());
        WriteDataPage(values.Length, Encoding.Plain);
    }

    /// <typeparam name="T">A nullable value type or string.</typeparam>
    private static bool HasNull<T>(ReadOnlySpan<T> values)
    {
        foreach (var value in values)
            if (value is null) return true;
        return false;
    }

    private static InvalidOperationException NullInRequired(Column column) =>
        new($"column '{column.Name}' is required but a value is null");

    private Column Next(ColumnKind kind, int rows)
    {
        var column = Peek(kind, rows);
        Start(column, rows);
        return column;
    }

    /// <summary>The next column, checked against what the caller is about to write (nothing is consumed).</summary>
    private Column Peek(ColumnKind kind, int rows)
    {
        var group = _current ?? throw new InvalidOperationException("no row group is open");
        if (_nextColumn >= _columns.Length) throw new InvalidOperationException("every column of the row group is written");
        var column = _columns[_nextColumn];
        if (column.Kind != kind)
            throw new InvalidOperationException($"column '{column.Name}' is {column.Kind}, not {kind}");
        if (rows != group.Rows)
            throw new InvalidOperationException($"column '{column.Name}' has {rows} values, the row group {group.Rows}");
        return column;
    }

    private void Start(Column column, int rows)
    {
        _nextColumn++;
        _current!.Columns.Add(new ChunkMeta(column, rows, _position));
    }

    /// <summary>Writes the 4-byte length and the levels (1 = present, 0 = null) into the page body.</summary>
    /// <typeparam name="T">A nullable value type or string (<c>is null</c> tests either, without boxing).</typeparam>
    /// <returns>The number of non-null values.</returns>
    private int WriteDefinitionLevels<T>(ReadOnlySpan<T> values)
    {
        if (_levels.Length < values.Length) _levels = new int[Math.Max(values.Length, _levels.Length * 2)];
        var present = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var has = values[i] is null ? 0 : 1;
            _levels[i] = has;
            present += has;
        }
        return EncodeLevels(values.Length, present);
    }

    /// <summary>Definition levels for a nullable column written from values that are never null.</summary>
    private void WriteAllPresent(int rows)
    {
        if (_levels.Length < rows) _levels = new int[Math.Max(rows, _levels.Length * 2)];
        _levels.AsSpan(0, rows).Fill(1);
        EncodeLevels(rows, rows);
    }

    private int EncodeLevels(int rows, int present)
    {
        var lengthAt = _body.WrittenCount;
        _body.GetSpan(4);
        _body.Advance(4);  // the length, filled in below
        RleHybrid.Encode(_levels.AsSpan(0, rows), 1, _body);
        var length = _body.WrittenCount - lengthAt - 4;
        BinaryPrimitives.WriteInt32LittleEndian(
            MemoryMarshal.AsMemory(_body.WrittenMemory).Span.Slice(lengthAt, 4), length);
        return present;
    }

    private static void PlainString(string value, ArrayBufferWriter<byte> output)
    {
        var span = output.GetSpan(4 + Utf8.GetMaxByteCount(value.Length));
        var bytes = Utf8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(span, bytes);
        output.Advance(4 + bytes);
    }

    private void WriteDictionaryPage(int values)
    {
        var chunk = _current!.Columns[^1];
        chunk.DictionaryOffset = _position;
        WritePage(chunk, _dictionary.WrittenSpan, PageType.DictionaryPage, PageHeader.DictionaryPageHeader, header =>
        {
            header.I32(DictionaryPageHeader.NumValues, values);
            header.I32(DictionaryPageHeader.Encoding, Encoding.PlainDictionary);
        });
        chunk.Encodings.Add(Encoding.PlainDictionary);
    }

    private void WriteDataPage(int values, int encoding)
    {
        var chunk = _current!.Columns[^1];
        chunk.DataOffset = _position;
        WritePage(chunk, _body.WrittenSpan, PageType.DataPage, PageHeader.DataPageHeader, header =>
        {
            header.I32(DataPageHeader.NumValues, values);
            header.I32(DataPageHeader.Encoding, encoding);
            header.I32(DataPageHeader.DefinitionLevelEncoding, Encoding.Rle);
            header.I32(DataPageHeader.RepetitionLevelEncoding, Encoding.Rle);   // none: a flat schema
        });
        chunk.Encodings.Add(encoding);
        chunk.Encodings.Add(Encoding.Rle);   // the levels' encoding, named in the page header
    }

    /// <summary>A page: its PageHeader (type, sizes, then the type's own header as field
    /// <paramref name="typeHeaderField"/>: <see cref="PageHeader"/>'s DataPageHeader or DictionaryPageHeader) and its
    /// Snappy-compressed body.</summary>
    private void WritePage(ChunkMeta chunk, ReadOnlySpan<byte> body, int pageType, short typeHeaderField,
        Action<ThriftCompactWriter> typeHeader)
    {
        var max = Snappy.GetMaxCompressedLength(body.Length);
        if (_compressed.Length < max) _compressed = new byte[Math.Max(max, _compressed.Length * 2)];
        var compressed = Snappy.Compress(body, _compressed);
        _header.ResetWrittenCount();
        var header = new ThriftCompactWriter(_header);
        header.I32(PageHeader.Type, pageType);
        header.I32(PageHeader.UncompressedPageSize, body.Length);
        header.I32(PageHeader.CompressedPageSize, compressed);
        header.BeginStruct(typeHeaderField);
        typeHeader(header);
        header.EndStruct();
        header.EndMessage();
        Write(_header.WrittenSpan);
        Write(_compressed.AsSpan(0, compressed));
        chunk.Uncompressed += _header.WrittenCount + body.Length;
        chunk.Compressed += _header.WrittenCount + compressed;
    }

    private static readonly System.Text.UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private void Write(ReadOnlySpan<byte> bytes)
    {
        _stream.Write(bytes);
        _position += bytes.Length;
    }
}
