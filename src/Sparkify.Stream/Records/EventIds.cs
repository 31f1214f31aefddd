using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace Sparkify.Stream.Records;

/// <summary>The stable event id (docs/semantics.md#staging_events): one 64-bit hash, computed in C#, identical on every target.</summary>
/// <remarks>
/// XxHash64 (seed 0) of the UTF-8 text <c>ts|sessionId|itemInSession|userId</c>, integers in invariant
/// decimal form, a null as the empty string; the 64 bits read as a signed little-endian BIGINT.
/// </remarks>
internal static class EventIds
{
    public static long Compute(long ts, int? sessionId, int? itemInSession, int? userId)
    {
        Span<byte> buffer = stackalloc byte[80];
        var written = 0;
        Append(buffer, ref written, ts);
        buffer[written++] = (byte)'|';
        if (sessionId is { } s) Append(buffer, ref written, s);
        buffer[written++] = (byte)'|';
        if (itemInSession is { } i) Append(buffer, ref written, i);
        buffer[written++] = (byte)'|';
        if (userId is { } u) Append(buffer, ref written, u);
        return unchecked((long)XxHash64.HashToUInt64(buffer[..written]));
    }

    private static void Append(Span<byte> buffer, ref int written, long value)
    {
        value.TryFormat(buffer[written..], out var n, default, CultureInfo.InvariantCulture);
        written += n;
    }

    /// <summary>The same hash over the text form, for documentation and cross-checks.</summary>
    public static long ComputeFromText(string text) =>
        unchecked((long)XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(text)));
}
