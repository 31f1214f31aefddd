using System.Buffers;
using System.Buffers.Text;
using System.Globalization;

namespace Sparkify.Stream.Records;

/// <summary>
/// The fast path for the common log line: one flat JSON object whose strings have no escapes, whose values are
/// all well-formed and within the rules. It reads such a line into <see cref="EventFields"/> exactly as
/// <see cref="LogEventParser"/>'s <c>Utf8JsonReader</c> path does (the same string caches, the same number
/// readers), and gives up — returning false, the caller then re-reads the line the full way — at anything else:
/// an escape, a nested value, a value that breaks a rule, a syntax error. So a line is rejected, and its reject
/// worded, only by the full path; this one only has to agree with it on lines that are fine.
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

    public static bool TryRead(ReadOnlySpan<byte> line, EventStringPools pools, ref EventFields f)
    {
        var i = SkipSpace(line, 0);
        if (i >= line.Length || line[i] != (byte)'{') return false;
        i = SkipSpace(line, i + 1);
        if (i < line.Length && line[i] == (byte)'}') return End(line, i + 1);

        while (true)
        {
            // "name"
            if (i >= line.Length || line[i] != (byte)'"') return false;
            if (!TryName(line, i + 1, out var name, out i)) return false;
            var field = EventFieldNames.Match(name);
            i = SkipSpace(line, i);
            if (i >= line.Length || line[i] != (byte)':') return false;
            i = SkipSpace(line, i + 1);
            if (i >= line.Length) return false;

            // the value
            if (!TryValue(line, ref i, out var kind, out var raw, out var escaped)) return false;
            if (escaped && !IsTextField(field)) return false;   // validity and meaning of its escapes: the full path
            if (!Assign(field, kind, raw, escaped, pools, ref f)) return false;

            i = SkipSpace(line, i);
            if (i >= line.Length) return false;
            if (line[i] == (byte)'}') return End(line, i + 1);
            if (line[i] != (byte)',') return false;
            i = SkipSpace(line, i + 1);
        }
    }

    private enum Kind : byte { String, Number, True, False, Null }

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

    private static bool IsTextField(EventField field) => field >= EventField.Artist;

    private static bool TryValue(ReadOnlySpan<byte> line, ref int i, out Kind kind, out ReadOnlySpan<byte> raw, out bool escaped)
    {
        raw = default;
        kind = Kind.Null;
        escaped = false;
        switch (line[i])
        {
            case (byte)'"':
                kind = Kind.String;
                return TryString(line, i + 1, out raw, out escaped, out i);
            case (byte)'n':
                kind = Kind.Null;
                return Literal(line, ref i, "null"u8);
            case (byte)'t':
                kind = Kind.True;
                return Literal(line, ref i, "true"u8);
            case (byte)'f':
                kind = Kind.False;
                return Literal(line, ref i, "false"u8);
            case (byte)'-' or >= (byte)'0' and <= (byte)'9':
                kind = Kind.Number;
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

    private static bool Assign(EventField field, Kind kind, ReadOnlySpan<byte> raw, bool escaped, EventStringPools pools, ref EventFields f)
    {
        switch (field)
        {
            case EventField.None:
                return true;   // an unknown field: ignored (a scalar here; nested values went to the full path)
            case EventField.Ts:
                return Integer(kind, raw, IntegerType.BigInt, false, out f.TsState, out f.Ts);
            case EventField.UserId:
                return Integer(kind, raw, IntegerType.Int, true, out f.UserIdState, out f.UserId);
            case EventField.SessionId:
                return Integer(kind, raw, IntegerType.Int, false, out f.SessionIdState, out f.SessionId);
            case EventField.ItemInSession:
                return Integer(kind, raw, IntegerType.Int, false, out f.ItemState, out f.ItemInSession);
            case EventField.Status:
                return Integer(kind, raw, IntegerType.Int, false, out f.StatusState, out f.Status);
            case EventField.Registration:
                return Integer(kind, raw, IntegerType.BigInt, false, out f.RegistrationState, out f.Registration);
            case EventField.Length:
                return Double(kind, raw, out f.LengthState, out f.Length);
            default:
                if (!Text(kind, raw, escaped, pools.For(field), out var text)) return false;
                f.SetString(field, text);
                return true;
        }
    }

    /// <summary>As <see cref="FieldReader.ReadString"/> for a value that breaks no rule.</summary>
    /// <remarks>
    /// A string with escapes is taken only from the cache: the cache holds raw text the full path has decoded and
    /// accepted (valid escapes, no lone surrogate, no NUL), so the same raw text means the same value; a miss
    /// sends the line to the full path, which decodes it and fills the cache.
    /// </remarks>
    private static bool Text(Kind kind, ReadOnlySpan<byte> raw, bool escaped, StringPool pool, out string? value)
    {
        value = null;
        switch (kind)
        {
            case Kind.Null:
                return true;
            case Kind.True:
                value = "true";
                return true;
            case Kind.False:
                value = "false";
                return true;
        }
        if (raw.IsEmpty) return true;   // "" is NULL
        if (escaped)
        {
            value = pool.Find(raw);
            return value is not null;
        }
        if (raw.Length > FieldReader.MaxStringBytes) return false;   // too long: the full path words the reject
        value = pool.Get(raw);
        return true;
    }

    /// <summary>As <see cref="FieldReader.ReadInteger"/> for a value that breaks no rule.</summary>
    private static bool Integer(Kind kind, ReadOnlySpan<byte> raw, IntegerType type, bool emptyStringIsNull,
        out ValueState state, out long value)
    {
        value = 0;
        state = ValueState.Null;
        switch (kind)
        {
            case Kind.Null:
                return true;
            case Kind.String when raw.IsEmpty && emptyStringIsNull:
                return true;
            case Kind.String or Kind.Number:
                if (!TryPlainInteger(raw, out value) && JsonNumber.ParseIntegral(raw, out value) != IntegralKind.Integral)
                    return false;
                if (type == IntegerType.Int && value is < int.MinValue or > int.MaxValue) return false;
                state = ValueState.Value;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Up to 18 digits with an optional minus and no leading zero: the usual case, read directly.</summary>
    private static bool TryPlainInteger(ReadOnlySpan<byte> raw, out long value)
    {
        value = 0;
        var negative = raw.Length > 0 && raw[0] == (byte)'-';
        var digits = negative ? raw[1..] : raw;
        if (digits.Length is 0 or > 18 || (digits[0] == (byte)'0' && digits.Length > 1)) return false;
        long v = 0;
        foreach (var d in digits)
        {
            var digit = d - (byte)'0';
            if ((uint)digit > 9) return false;
            v = (v * 10) + digit;
        }
        value = negative ? -v : v;
        return true;
    }

    /// <summary>As <see cref="FieldReader.ReadDouble"/> for a value that breaks no rule.</summary>
    private static bool Double(Kind kind, ReadOnlySpan<byte> raw, out ValueState state, out double value)
    {
        value = 0;
        state = ValueState.Null;
        switch (kind)
        {
            case Kind.Null:
                return true;
            case Kind.Number:
                // What Utf8JsonReader.TryGetDouble does with the token's text.
                if (!Utf8Parser.TryParse(raw, out value, out var consumed) || consumed != raw.Length) return false;
                break;
            case Kind.String:
                if (!JsonNumber.IsValid(raw)) return false;
                double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
                break;
            default:
                return false;
        }
        if (!double.IsFinite(value)) return false;
        state = ValueState.Value;
        return true;
    }
}
