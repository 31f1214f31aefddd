using System.Buffers;

namespace Sparkify.Stream.Staging.ParquetFormat;

/// <summary>
/// Parquet's RLE / bit-packing hybrid encoding (definition levels, dictionary indices): runs of eight or more equal
/// values as RLE runs, everything between them bit-packed in groups of eight, least significant bit first.
/// Spec: https://parquet.apache.org/docs/file-format/data-pages/encodings/#run-length-encoding--bit-packing-hybrid-rle--3
/// </summary>
internal static class RleHybrid
{
    private const int MinRun = 8;

    /// <summary>The bit width that holds every value in [0, <paramref name="maxValue"/>] (at least 1).</summary>
    public static int BitWidth(int maxValue) => Math.Max(1, 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)maxValue));

    /// <summary>Appends <paramref name="values"/> (each in [0, 2^bitWidth)) encoded, without a length prefix.</summary>
    public static void Encode(ReadOnlySpan<int> values, int bitWidth, IBufferWriter<byte> output)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bitWidth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bitWidth, 32);
        var i = 0;
        while (i < values.Length)
        {
            var run = RunLength(values, i, int.MaxValue);
            if (run >= MinRun)
            {
                WriteRle(values[i], run, bitWidth, output);
                i += run;
                continue;
            }

            // Bit-pack groups of eight until a long run starts at a group boundary (or the values end: the last
            // group is padded with zeros, which readers ignore as they stop at the page's value count).
            var end = i;
            do end += MinRun;
            while (end < values.Length && RunLength(values, end, MinRun) < MinRun);
            WriteBitPacked(values[i..Math.Min(end, values.Length)], (end - i) / MinRun, bitWidth, output);
            i = end;
        }
    }

    private static int RunLength(ReadOnlySpan<int> values, int start, int cap)
    {
        var first = values[start];
        var end = start + 1;
        var limit = (int)Math.Min((long)start + cap, values.Length);
        while (end < limit && values[end] == first) end++;
        return end - start;
    }

    private static void WriteRle(int value, int count, int bitWidth, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(5 + 4);
        var n = VarInt((uint)count << 1, span);
        for (var b = 0; b < (bitWidth + 7) / 8; b++) span[n++] = (byte)(value >> (8 * b));
        output.Advance(n);
    }

    private static void WriteBitPacked(ReadOnlySpan<int> values, int groups, int bitWidth, IBufferWriter<byte> output)
    {
        var bytes = groups * bitWidth;   // eight values of bitWidth bits per group
        var span = output.GetSpan(5 + bytes);
        var n = VarInt(((uint)groups << 1) | 1, span);
        ulong acc = 0;
        var bits = 0;
        var count = groups * MinRun;
        for (var k = 0; k < count; k++)
        {
            var v = k < values.Length ? (uint)values[k] : 0u;
            acc |= (ulong)v << bits;
            bits += bitWidth;
            while (bits >= 8)
            {
                span[n++] = (byte)acc;
                acc >>= 8;
                bits -= 8;
            }
        }
        output.Advance(n);
    }

    private static int VarInt(uint value, Span<byte> span)
    {
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        return i;
    }
}
