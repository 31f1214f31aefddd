using System.Text;
using System.Text.Json;

namespace Sparkify.Stream.Records;

/// <summary>Turns input bytes into the short texts of a <see cref="Reject"/>: its raw record and the values its message quotes.</summary>
internal static class RawText
{
    private const int PreviewBytes = 40;

    /// <summary>JSON whitespace (RFC 8259 §2): space, tab, LF, CR.</summary>
    public static ReadOnlySpan<byte> Whitespace => " \t\n\r"u8;

    /// <summary>The UTF-8 byte order mark.</summary>
    public static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    public static bool IsBlank(ReadOnlySpan<byte> text) => text.IndexOfAnyExcept(Whitespace) < 0;

    /// <summary>The record's text for <see cref="Reject.Raw"/>: at most <see cref="Reject.MaxRawBytes"/> UTF-8 bytes.</summary>
    /// <remarks>Never cuts inside a UTF-8 sequence; invalid bytes become U+FFFD, and the result is trimmed again
    /// if those replacement characters (3 bytes each) pushed it over the limit.</remarks>
    public static string Raw(ReadOnlySpan<byte> record) => Cut(record, Reject.MaxRawBytes);

    /// <summary>A short quote of a value for a message, cut like <see cref="Raw"/>, with "…" when cut.</summary>
    public static string Preview(ReadOnlySpan<byte> text) =>
        text.Length <= PreviewBytes ? Cut(text, PreviewBytes) : Cut(text, PreviewBytes) + "…";

    /// <summary>Names the reader's current value for a message: <c>"yesterday"</c>, <c>1.5</c>, <c>true</c>, <c>an object</c>.</summary>
    public static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => "\"" + Preview(reader.ValueSpan) + "\"",
        JsonTokenType.Number => Preview(reader.ValueSpan),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => reader.TokenType.ToString(),
    };

    /// <summary>What kind of JSON value the current token starts, for "not an object" messages.</summary>
    public static string KindOf(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    /// <summary>The offset of the first byte that is not part of a valid UTF-8 sequence, or -1.</summary>
    public static int FirstInvalidUtf8(ReadOnlySpan<byte> text)
    {
        var offset = 0;
        while (offset < text.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(text[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
                return offset;
            offset += consumed;
        }

        return -1;
    }

    private static string Cut(ReadOnlySpan<byte> text, int maxBytes)
    {
        if (text.Length > maxBytes)
        {
            var end = maxBytes;
            // Back up over continuation bytes (10xxxxxx) to the start of the sequence the cut would split.
            while (end > maxBytes - 3 && (text[end] & 0xC0) == 0x80) end--;
            if ((text[end] & 0xC0) == 0x80) end = maxBytes; // not a sequence at all: invalid bytes, cut anywhere
            text = text[..end];
        }

        var decoded = Encoding.UTF8.GetString(text);
        var excess = Encoding.UTF8.GetByteCount(decoded) - maxBytes;
        if (excess <= 0) return decoded;

        var length = decoded.Length;
        while (excess > 0 && length > 0)
        {
            var take = length >= 2 && char.IsLowSurrogate(decoded[length - 1]) ? 2 : 1;
            excess -= Encoding.UTF8.GetByteCount(decoded.AsSpan(length - take, take));
            length -= take;
        }

        return decoded[..length];
    }
}
