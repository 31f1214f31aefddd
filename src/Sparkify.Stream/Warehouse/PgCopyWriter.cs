using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Sparkify.Stream.Warehouse;

/// <summary>
/// Rows in PostgreSQL's binary COPY format, buffered and written to a raw COPY stream (Npgsql's
/// <c>BeginRawBinaryCopyAsync</c>). Spec: https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4
/// </summary>
/// <remarks>
/// Why not Npgsql's <c>NpgsqlBinaryImporter</c>: it binds a parameter per value (type resolution, a state machine),
/// which for a million staged events (21 million values) took ~4 s of client CPU, most of the staging load.
/// The staging columns use four types only, whose binary forms are fixed: int4, int8, float8 (big-endian) and text
/// (UTF-8 bytes; the session's client encoding is UTF-8). No timestamp: ts is staged as int8 epoch milliseconds.
/// </remarks>
internal sealed class PgCopyWriter(System.IO.Stream output)
{
    private const int FlushAt = 1 << 20;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>"PGCOPY\n\377\r\n\0": raw bytes (a u8 literal would encode \xff as two bytes).</summary>
    private static ReadOnlySpan<byte> Signature => [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00];

    private readonly ArrayBufferWriter<byte> _buffer = new(FlushAt + (1 << 16));

    /// <summary>Whether enough is buffered to send (call between rows).</summary>
    public bool ShouldFlush => _buffer.WrittenCount >= FlushAt;

    /// <summary>The 19-byte file header: signature, flags (no OIDs), no header extension.</summary>
    public void Header()
    {
        Signature.CopyTo(_buffer.GetSpan(Signature.Length));
        _buffer.Advance(Signature.Length);
        Int32Raw(0);
        Int32Raw(0);
    }

    public void StartRow(int columns) => Int16Raw(checked((short)columns));

    public void Null() => Int32Raw(-1);

    public void Int32(int value)
    {
        Int32Raw(4);
        Int32Raw(value);
    }

    public void Int64(long value)
    {
        Int32Raw(8);
        Int64Raw(value);
    }

    public void Double(double value)
    {
        Int32Raw(8);
        Int64Raw(BitConverter.DoubleToInt64Bits(value));
    }

    public void Text(string value)
    {
        var span = _buffer.GetSpan(4 + Utf8.GetMaxByteCount(value.Length));
        var length = Utf8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteInt32BigEndian(span, length);
        _buffer.Advance(4 + length);
    }

    /// <summary>Sends what is buffered.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        if (_buffer.WrittenCount == 0) return;
        await output.WriteAsync(_buffer.WrittenMemory, ct);
        _buffer.ResetWrittenCount();
    }

    /// <summary>The trailer (a field count of -1), then everything still buffered.</summary>
    public async Task CompleteAsync(CancellationToken ct)
    {
        Int16Raw(-1);
        await FlushAsync(ct);
    }

    private void Int16Raw(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
    }

    private void Int32Raw(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    private void Int64Raw(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }
}
