using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Sparkify.Stream.Staging.ParquetFormat;

/// <summary>
/// A column chunk's <c>Statistics</c> (parquet.thrift): null_count always; min_value and max_value, exact, in the
/// column's TYPE_ORDER (the footer's column_orders) when the chunk has a value to bound — signed for INT32 and INT64,
/// the numeric value for DOUBLE (NaN left out and counted in nan_count, a zero minimum written as -0.0 and a zero
/// maximum as +0.0, as parquet.thrift asks), unsigned bytes for UTF-8 strings.
/// </summary>
/// <remarks>
/// A string bound longer than <see cref="MaxStringBytes"/> drops both bounds of that chunk (Arrow's default
/// max_statistics_size; like Arrow and parquet-java, not truncated: a shortened maximum would have to be made up).
/// </remarks>
internal sealed class ColumnStatistics
{
    public const int MaxStringBytes = 4096;

    private ColumnStatistics(long nullCount, long? nanCount, byte[]? min, byte[]? max)
    {
        NullCount = nullCount;
        NanCount = nanCount;
        Min = min;
        Max = max;
    }

    public long NullCount { get; }

    /// <summary>NaN values (DOUBLE only; null for other types).</summary>
    public long? NanCount { get; }

    /// <summary>The PLAIN encoding of the least value (no length prefix for strings); null when none is written.</summary>
    public byte[]? Min { get; }

    public byte[]? Max { get; }

    /// <summary>Statistics of a numeric chunk from its non-null values.</summary>
    public static ColumnStatistics Of<T>(ReadOnlySpan<T> values, long nulls) where T : unmanaged
    {
        if (typeof(T) == typeof(int)) return OfIntegers(MemoryMarshal.Cast<T, int>(values), nulls);
        if (typeof(T) == typeof(long)) return OfIntegers(MemoryMarshal.Cast<T, long>(values), nulls);
        if (typeof(T) == typeof(double)) return OfDoubles(MemoryMarshal.Cast<T, double>(values), nulls);
        throw new NotSupportedException($"no statistics for {typeof(T).Name}");
    }

    /// <summary>Statistics of a string chunk from PLAIN-encoded values (each a 4-byte length and its UTF-8 bytes):
    /// the page body's or the dictionary's, which holds each distinct value once.</summary>
    public static ColumnStatistics OfPlainByteArrays(ReadOnlySpan<byte> plain, long nulls)
    {
        var (minAt, minLength, maxAt, maxLength) = (-1, 0, -1, 0);
        for (var at = 0; at < plain.Length;)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(plain[at..]);
            at += 4;
            var value = plain.Slice(at, length);
            if (minAt < 0)
            {
                (minAt, minLength, maxAt, maxLength) = (at, length, at, length);
            }
            else if (value.SequenceCompareTo(plain.Slice(minAt, minLength)) < 0)
            {
                (minAt, minLength) = (at, length);
            }
            else if (value.SequenceCompareTo(plain.Slice(maxAt, maxLength)) > 0)
            {
                (maxAt, maxLength) = (at, length);
            }
            at += length;
        }
        if (minAt < 0 || minLength > MaxStringBytes || maxLength > MaxStringBytes) return new(nulls, null, null, null);
        return new(nulls, null, plain.Slice(minAt, minLength).ToArray(), plain.Slice(maxAt, maxLength).ToArray());
    }

    private static ColumnStatistics OfIntegers<T>(ReadOnlySpan<T> values, long nulls) where T : unmanaged, IBinaryInteger<T>
    {
        if (values.IsEmpty) return new(nulls, null, null, null);
        var min = values[0];
        var max = min;
        foreach (var value in values)
        {
            if (value < min) min = value;
            if (value > max) max = value;
        }
        return new(nulls, null, Plain(min), Plain(max));
    }

    private static ColumnStatistics OfDoubles(ReadOnlySpan<double> values, long nulls)
    {
        var nan = 0L;
        var (min, max) = (double.PositiveInfinity, double.NegativeInfinity);
        foreach (var value in values)
        {
            if (double.IsNaN(value)) nan++;
            else
            {
                if (value < min) min = value;
                if (value > max) max = value;
            }
        }
        if (nan == values.Length) return new(nulls, nan, null, null);
        // -0.0 == +0.0: the bounds must hold whichever zero the chunk has.
        if (min == 0) min = -0.0;
        if (max == 0) max = 0.0;
        return new(nulls, nan, Plain(min), Plain(max));
    }

    private static byte[] Plain<T>(T value) where T : unmanaged =>
        MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)).ToArray();   // little-endian: checked by the writer

    /// <summary>Writes the struct as field <paramref name="field"/> of the enclosing struct.</summary>
    public void Write(ThriftCompactWriter t, short field)
    {
        t.BeginStruct(field);
        t.I64(ParquetThrift.Statistics.NullCount, NullCount);
        if (Min is not null && Max is not null)
        {
            t.Binary(ParquetThrift.Statistics.MaxValue, Max);
            t.Binary(ParquetThrift.Statistics.MinValue, Min);
            t.Bool(ParquetThrift.Statistics.IsMaxValueExact, true);
            t.Bool(ParquetThrift.Statistics.IsMinValueExact, true);
        }
        if (NanCount is { } nan) t.I64(ParquetThrift.Statistics.NanCount, nan);
        t.EndStruct();
    }
}
