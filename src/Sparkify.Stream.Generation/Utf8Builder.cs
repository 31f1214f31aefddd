using System.Globalization;
using System.Text;

namespace Sparkify.Stream.Generation;

/// <summary>A growable UTF-8 byte buffer with the few JSON writers the generator needs, formatted by hand for speed.</summary>
internal sealed class Utf8Builder(int capacity = 1024)
{
    private byte[] _buffer = new byte[capacity];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    public void Clear() => Length = 0;

    public byte[] ToArray() => Written.ToArray();

    public void Append(byte b)
    {
        if (Length == _buffer.Length) Grow(1);
        _buffer[Length++] = b;
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (Length + bytes.Length > _buffer.Length) Grow(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += bytes.Length;
    }

    /// <summary>Appends ASCII text (keys, enum-like values) as is.</summary>
    public void AppendAscii(string text)
    {
        if (Length + text.Length > _buffer.Length) Grow(text.Length);
        Length += Encoding.ASCII.GetBytes(text, _buffer.AsSpan(Length));
    }

    public void AppendInt(long value)
    {
        if (Length + 20 > _buffer.Length) Grow(20);
        value.TryFormat(_buffer.AsSpan(Length), out var n, default, CultureInfo.InvariantCulture);
        Length += n;
    }

    /// <summary>Appends a double the way Python's <c>json.dumps</c> does: shortest round-trip digits, <c>.0</c> on integral values.</summary>
    public void AppendDouble(double value)
    {
        if (Length + 32 > _buffer.Length) Grow(32);
        var span = _buffer.AsSpan(Length);
        value.TryFormat(span, out var n, "R", CultureInfo.InvariantCulture);
        if (span[..n].IndexOfAny((byte)'.', (byte)'E') < 0)
        {
            span[n++] = (byte)'.';
            span[n++] = (byte)'0';
        }
        Length += n;
    }

    private void Grow(int needed) =>
        Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + needed));
}
