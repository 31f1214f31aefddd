using System.Text;

namespace Sparkify.Stream.Generation;

/// <summary>How a JSON string is spelled; all spellings but <see cref="Mojibake"/> decode to the same text.</summary>
internal enum JsonSpelling
{
    /// <summary>Non-ASCII as raw UTF-8.</summary>
    Utf8,

    /// <summary>Non-ASCII as <c>\uXXXX</c> escapes (Python's <c>ensure_ascii</c>), surrogate pairs beyond the BMP.</summary>
    AsciiEscaped,

    /// <summary>The UTF-8 bytes each escaped as a <c>\u00XX</c> character: double-encoded text ("Beyoncé" reads back as "BeyoncÃ©").</summary>
    Mojibake,
}

/// <summary>Encodes strings as JSON string literals (quotes included).</summary>
internal static class JsonText
{
    private static readonly byte[] Hex = "0123456789abcdef"u8.ToArray();

    /// <summary>The JSON literal of <paramref name="value"/>; <paramref name="escapeSlash"/> writes <c>/</c> as <c>\/</c> (as the real log files do).</summary>
    public static byte[] Encode(string? value, JsonSpelling spelling, bool escapeSlash)
    {
        if (value is null) return "null"u8.ToArray();
        var builder = new Utf8Builder(value.Length + 16);
        Append(builder, value, spelling, escapeSlash);
        return builder.ToArray();
    }

    public static void Append(Utf8Builder builder, string value, JsonSpelling spelling, bool escapeSlash)
    {
        builder.Append((byte)'"');
        switch (spelling)
        {
            case JsonSpelling.Utf8:
                Span<byte> utf8 = stackalloc byte[4];
                foreach (var rune in value.EnumerateRunes())
                {
                    if (rune.IsAscii) AppendAscii(builder, (char)rune.Value, escapeSlash);
                    else builder.Append(utf8[..rune.EncodeToUtf8(utf8)]);
                }
                break;
            case JsonSpelling.AsciiEscaped:
                foreach (var c in value) AppendAscii(builder, c, escapeSlash);
                break;
            default:
                foreach (var b in Encoding.UTF8.GetBytes(value)) AppendAscii(builder, (char)b, escapeSlash);
                break;
        }
        builder.Append((byte)'"');
    }

    public static bool IsAscii(string value) => Ascii.IsValid(value);

    // Writes one UTF-16 unit as ASCII JSON: short escapes where JSON has them, \uXXXX for other controls and non-ASCII.
    private static void AppendAscii(Utf8Builder builder, char c, bool escapeSlash)
    {
        switch (c)
        {
            case '"': builder.Append("\\\""u8); return;
            case '\\': builder.Append("\\\\"u8); return;
            case '/' when escapeSlash: builder.Append("\\/"u8); return;
            case '\n': builder.Append("\\n"u8); return;
            case '\r': builder.Append("\\r"u8); return;
            case '\t': builder.Append("\\t"u8); return;
            case '\b': builder.Append("\\b"u8); return;
            case '\f': builder.Append("\\f"u8); return;
        }
        if (c is >= ' ' and < (char)0x80)
        {
            builder.Append((byte)c);
            return;
        }
        builder.Append("\\u"u8);
        builder.Append(Hex[c >> 12]);
        builder.Append(Hex[(c >> 8) & 0xF]);
        builder.Append(Hex[(c >> 4) & 0xF]);
        builder.Append(Hex[c & 0xF]);
    }
}
