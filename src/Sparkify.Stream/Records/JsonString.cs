using System.Buffers;
using System.Text;

namespace Sparkify.Stream.Records;

/// <summary>What decoding a JSON string's escapes found.</summary>
internal enum UnescapeStatus : byte
{
    Ok,

    /// <summary>An escape JSON does not have (<c>\x</c>, a short <c>\u</c>): not valid JSON.</summary>
    Syntax,

    /// <summary>Valid JSON, but a <c>\u</c> surrogate without its pair: no UTF-8 string can hold it.</summary>
    LoneSurrogate,
}

/// <summary>Decodes the escapes of a JSON string's raw content (RFC 8259 §7), as <c>Utf8JsonReader.GetString</c> does.</summary>
internal static class JsonString
{
    /// <summary>
    /// Decodes <paramref name="raw"/> (the bytes between the quotes, valid UTF-8) into <paramref name="destination"/>,
    /// which needs <c>raw.Length</c> bytes (decoding only shrinks). A syntax error wins over a lone surrogate, as in
    /// <c>Utf8JsonReader</c>, which refuses the syntax while reading and the surrogate only when the string is decoded.
    /// </summary>
    public static UnescapeStatus Unescape(ReadOnlySpan<byte> raw, Span<byte> destination, out int written)
    {
        var status = UnescapeStatus.Ok;
        written = 0;
        var i = 0;
        while (true)
        {
            var backslash = raw[i..].IndexOf((byte)'\\');
            if (backslash < 0)
            {
                raw[i..].CopyTo(destination[written..]);
                written += raw.Length - i;
                return status;
            }
            raw.Slice(i, backslash).CopyTo(destination[written..]);
            written += backslash;
            i += backslash;
            if (i + 1 >= raw.Length) return UnescapeStatus.Syntax;
            byte plain;
            switch (raw[i + 1])
            {
                case (byte)'"': plain = (byte)'"'; break;
                case (byte)'\\': plain = (byte)'\\'; break;
                case (byte)'/': plain = (byte)'/'; break;
                case (byte)'b': plain = (byte)'\b'; break;
                case (byte)'f': plain = (byte)'\f'; break;
                case (byte)'n': plain = (byte)'\n'; break;
                case (byte)'r': plain = (byte)'\r'; break;
                case (byte)'t': plain = (byte)'\t'; break;
                case (byte)'u':
                    if (!Hex4(raw, i + 2, out var unit)) return UnescapeStatus.Syntax;
                    i += 6;
                    var scalar = unit;
                    if (unit is >= 0xD800 and <= 0xDBFF)
                    {
                        if (i + 1 < raw.Length && raw[i] == (byte)'\\' && raw[i + 1] == (byte)'u')
                        {
                            if (!Hex4(raw, i + 2, out var low)) return UnescapeStatus.Syntax;
                            if (low is >= 0xDC00 and <= 0xDFFF)
                            {
                                scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                                i += 6;
                            }
                            else
                            {
                                status = UnescapeStatus.LoneSurrogate;   // the next escape is read on its own
                                continue;
                            }
                        }
                        else
                        {
                            status = UnescapeStatus.LoneSurrogate;
                            continue;
                        }
                    }
                    else if (unit is >= 0xDC00 and <= 0xDFFF)
                    {
                        status = UnescapeStatus.LoneSurrogate;
                        continue;
                    }
                    written += new Rune(scalar).EncodeToUtf8(destination[written..]);
                    continue;
                default:
                    return UnescapeStatus.Syntax;
            }
            destination[written++] = plain;
            i += 2;
        }
    }

    /// <summary>Decodes <paramref name="raw"/> to a string; null with the status when it is not Ok.</summary>
    public static string? Decode(ReadOnlySpan<byte> raw, out UnescapeStatus status)
    {
        byte[]? rented = null;
        var buffer = raw.Length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(raw.Length));
        try
        {
            status = Unescape(raw, buffer, out var written);
            return status == UnescapeStatus.Ok ? Encoding.UTF8.GetString(buffer[..written]) : null;
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static bool Hex4(ReadOnlySpan<byte> raw, int start, out int value)
    {
        value = 0;
        if (start + 4 > raw.Length) return false;
        for (var k = start; k < start + 4; k++)
        {
            var digit = HexDigit(raw[k]);
            if (digit < 0) return false;
            value = (value << 4) | digit;
        }
        return true;
    }

    private static int HexDigit(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
