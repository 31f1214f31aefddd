using System.Buffers;

namespace Sparkify.Stream.Records;

/// <summary>
/// The fast tokenizer for the common log line: one flat JSON object of scalars. It hands each field to the same
/// <see cref="FieldRules"/> as the <c>Utf8JsonReader</c> path, so a rule is stated once and a value is read (or
/// rejected, and its reject worded) the same way on both paths. It gives up — returning false, the caller then
/// re-reads the line the full way — at anything it does not tokenise: a nested value, a syntax error, an escape
/// JSON does not have, an escape in a property name, a field outside the contract (counted there for drift). So it
/// only has to agree with <c>Utf8JsonReader</c> on what
/// is valid JSON.
/// </summary>
/// <remarks>
/// Why: <c>Utf8JsonReader</c> validates and tracks state for any JSON; on these lines it was ~30 % of the staging
/// CPU. The agreement is checked by a differential test over generated, real-shaped and mutated lines.
/// The line must be known to be valid UTF-8 (the caller checks).
/// </remarks>
internal static class FastEventLine
{
    /// <summary>Bytes that end an unescaped string's scan: the quote, a backslash, or a control character.</summary>
    private static readonly SearchValues<byte> StringStops = SearchValues.Create(
        [(byte)'"', (byte)'\\', .. Enumerable.Range(0, 0x20).Select(b => (byte)b)]);

    public static bool TryRead(ReadOnlySpan<byte> line, FieldRules rules, RecordValues values, ref RecordProblem problem)
    {
        var i = SkipSpace(line, 0);
        if (i >= line.Length || line[i] != (byte)'{') return false;
        i = SkipSpace(line, i + 1);
        if (i < line.Length && line[i] == (byte)'}') return End(line, i + 1);

        for (var position = 0; ; position++)
        {
            // "name"
            if (i >= line.Length || line[i] != (byte)'"') return false;
            if (!TryName(line, i + 1, out var name, out i)) return false;
            var column = rules.Names.Match(name, position);
            i = SkipSpace(line, i);
            if (i >= line.Length || line[i] != (byte)':') return false;
            i = SkipSpace(line, i + 1);
            if (i >= line.Length) return false;

            // the value
            if (!TryValue(line, ref i, out var kind, out var raw, out var escaped)) return false;
            if (column < 0) return false;   // a field outside the contract: the full path counts it (schema drift)
            if (!rules.Read(column, kind, raw, escaped, values, ref problem))
            {
                return false;
            }

            i = SkipSpace(line, i);
            if (i >= line.Length) return false;
            if (line[i] == (byte)'}') return End(line, i + 1);
            if (line[i] != (byte)',') return false;
            i = SkipSpace(line, i + 1);
        }
    }

    /// <summary>Only whitespace may follow the object.</summary>
    private static bool End(ReadOnlySpan<byte> line, int i) => SkipSpace(line, i) == line.Length;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static int SkipSpace(ReadOnlySpan<byte> line, int i) =>
        i < line.Length && line[i] > (byte)' ' ? i : SkipSpaces(line, i);   // usually there is none

    private static int SkipSpaces(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length && line[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r') i++;
        return i;
    }

    /// <summary>A property name: short, so a plain loop beats a vectorised search; false at an escape or control character.</summary>
    private static bool TryName(ReadOnlySpan<byte> line, int start, out ReadOnlySpan<byte> name, out int next)
    {
        for (var i = start; i < line.Length; i++)
        {
            var b = line[i];
            if (b == (byte)'"')
            {
                name = line[start..i];
                next = i + 1;
                return true;
            }
            if (b is (byte)'\\' or < 0x20) break;
        }
        name = default;
        next = 0;
        return false;
    }

    /// <summary>
    /// The raw content of a string starting after its opening quote (escapes left as written: the string caches are
    /// keyed by the raw bytes); false at a control character or a backslash at the very end.
    /// </summary>
    private static bool TryString(ReadOnlySpan<byte> line, int start, out ReadOnlySpan<byte> content, out bool escaped, out int next)
    {
        content = default;
        escaped = false;
        next = 0;
        var i = start;
        while (true)
        {
            var stop = line[i..].IndexOfAny(StringStops);
            if (stop < 0) return false;
            i += stop;
            if (line[i] == (byte)'"') break;
            if (line[i] != (byte)'\\' || i + 1 >= line.Length) return false;   // a control character
            escaped = true;
            i += 2;   // the backslash and the byte it escapes ("\"" does not end the string)
        }
        content = line[start..i];
        next = i + 1;
        return true;
    }

    private static bool TryValue(ReadOnlySpan<byte> line, ref int i, out TokenKind kind, out ReadOnlySpan<byte> raw, out bool escaped)
    {
        raw = default;
        kind = TokenKind.Null;
        escaped = false;
        switch (line[i])
        {
            case (byte)'"':
                kind = TokenKind.String;
                return TryString(line, i + 1, out raw, out escaped, out i);
            case (byte)'n':
                kind = TokenKind.Null;
                return Literal(line, ref i, "null"u8);
            case (byte)'t':
                kind = TokenKind.True;
                return Literal(line, ref i, "true"u8);
            case (byte)'f':
                kind = TokenKind.False;
                return Literal(line, ref i, "false"u8);
            case (byte)'-' or >= (byte)'0' and <= (byte)'9':
                kind = TokenKind.Number;
                var end = i;
                while (end < line.Length && line[end] is (byte)'-' or (byte)'+' or (byte)'.' or (byte)'e' or (byte)'E'
                           or >= (byte)'0' and <= (byte)'9')
                    end++;
                raw = line[i..end];
                i = end;
                return JsonNumber.IsValid(raw);
            default:
                return false;   // an object, an array, or not JSON
        }
    }

    private static bool Literal(ReadOnlySpan<byte> line, ref int i, ReadOnlySpan<byte> literal)
    {
        if (!line[i..].StartsWith(literal)) return false;
        i += literal.Length;
        // A literal must end at a delimiter ("nullx" is not JSON).
        return i >= line.Length || line[i] is (byte)',' or (byte)'}' or (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';
    }
}
