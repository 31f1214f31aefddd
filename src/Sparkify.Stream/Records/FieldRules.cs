using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sparkify.Stream.Records;

/// <summary>The kind of JSON value a field holds, as either tokenizer saw it.</summary>
internal enum TokenKind : byte
{
    String,
    Number,
    True,
    False,
    Null,
    Object,
    Array,
}

/// <summary>
/// The field rules of docs/semantics.md#validation-rules for one staging table, stated once: both tokenizers (the fast scanner for clean log lines
/// and <c>Utf8JsonReader</c> for everything else) hand each field over as (column, token kind, raw bytes), and this
/// decides the value or the reject. Leniency: a string field takes a number's or boolean's text, a numeric field
/// takes a string holding a JSON number. A value that breaks a rule is reported to the <see cref="RecordProblem"/>
/// and skipped, so the caller can go on checking the record's structure.
/// </summary>
/// <remarks>Thread-safe: one instance serves every parse worker (its only state is lock-free string caches).</remarks>
internal sealed class FieldRules
{
    /// <summary>Redshift's VARCHAR limit, in UTF-8 bytes.</summary>
    public const int MaxStringBytes = 65_535;

    private readonly StagingTable _table;
    private readonly ColumnType[] _types;
    private readonly string[] _fields;
    private readonly int[] _ranks;
    private readonly StringPool?[] _pools;
    private readonly bool[] _emptyIsNull, _zeroIsNull;
    private readonly RecordCheck[] _recordChecks;

    /// <summary>A column with a rule on the whole record: required, or a range; its parts read once, not per record.</summary>
    private readonly record struct RecordCheck(int Column, bool Required, ValueRange<long>? Integer, ValueRange<double>? Number);

    public FieldRules(StagingTable table)
    {
        _table = table;
        var columns = table.Columns;
        _types = [.. columns.Select(c => c.Type)];
        _fields = [.. columns.Select(c => c.Source?.Name ?? c.Name)];
        _ranks = [.. columns.Select(c => c.Source?.Rank ?? -1)];
        _pools = [.. columns.Select(c => c.Source is { CacheSize: > 0 } s ? new StringPool(s.CacheSize) : null)];
        _emptyIsNull = [.. columns.Select(c => c.Source?.EmptyStringIsNull ?? false)];
        _zeroIsNull = [.. columns.Select(c => c.Source?.ZeroIsNull ?? false)];
        _recordChecks = [.. columns.Select((c, i) => (c, i))
            .Where(p => p.c.Source is { } s && (!p.c.Nullable || s.IntegerRange is not null || s.NumberRange is not null))
            .Select(p => new RecordCheck(p.i, !p.c.Nullable, p.c.Source!.IntegerRange, p.c.Source.NumberRange))];
        Names = new FieldNames(table);
    }

    public StagingTable Table => _table;

    /// <summary>The table's source field names.</summary>
    public FieldNames Names { get; }

    /// <summary>Applies column <paramref name="column"/>'s rule to one value.</summary>
    /// <param name="raw">The token's bytes as written (a string's content between its quotes; empty for an object or array).</param>
    /// <param name="escaped">Whether <paramref name="raw"/> holds backslash escapes.</param>
    /// <returns>False only when the escapes are not valid JSON, which <c>Utf8JsonReader</c> refuses while reading: the
    /// fast scanner then hands the line to it.</returns>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool Read(int column, TokenKind kind, ReadOnlySpan<byte> raw, bool escaped, RecordValues values, ref RecordProblem problem)
    {
        if (kind == TokenKind.Null)
        {
            values.States[column] = ValueState.Null;   // JSON null is SQL NULL in every field
            return true;
        }
        var type = _types[column];
        // The usual integer, a number token, goes straight to the integer rule (what ReadInteger would do with it).
        if (kind == TokenKind.Number && type is ColumnType.Int32 or ColumnType.Int64)
            return Integral(column, kind, raw, raw, values, ref problem);
        return type switch
        {
            ColumnType.Text => ReadText(column, kind, raw, escaped, values, ref problem),
            ColumnType.Double => ReadDouble(column, kind, raw, escaped, values, ref problem),
            _ => ReadInteger(column, kind, raw, escaped, values, ref problem),
        };
    }

    /// <summary>Reads every field of the object the reader is in (after its StartObject), up to its EndObject.</summary>
    /// <param name="tally">Where a field outside the contract is counted, by name with an example (schema drift); null: ignored.</param>
    public void ReadObject(ref Utf8JsonReader reader, RecordValues values, ref RecordProblem problem, FieldTally? tally = null)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var column = Names.Match(ref reader);
            var unknownName = column < 0 && tally is not null ? reader.GetString() : null;
            reader.Read();
            if (column < 0)
            {
                // An unknown field is not loaded; it is counted for the drift report.
                if (unknownName is not null)
                {
                    var unknownKind = KindOf(reader.TokenType);
                    tally!.CountUnknown(unknownName,
                        Describe(unknownKind, unknownKind is TokenKind.Object or TokenKind.Array ? default : reader.ValueSpan));
                }
                reader.Skip();
                continue;
            }
            var kind = KindOf(reader.TokenType);
            if (kind is TokenKind.Object or TokenKind.Array)
            {
                Read(column, kind, default, false, values, ref problem);
                reader.Skip();
            }
            else
            {
                Read(column, kind, reader.ValueSpan, reader.ValueIsEscaped, values, ref problem);
            }
        }
    }

    /// <summary>The rules on the whole record, once its fields are read: required fields, then ranges.</summary>
    public void Check(RecordValues values, ref RecordProblem problem)
    {
        var states = values.States;
        foreach (var (c, required, integer, number) in _recordChecks)
        {
            var state = states[c];
            if (state == ValueState.Value)
            {
                var message = integer is not null ? integer.Check(values.Integers[c]) : number?.Check(values.Numbers[c]);
                if (message is not null) problem.Offer(_ranks[c], RejectReason.OutOfRange, _fields[c], message);
            }
            else if (required && state is ValueState.Missing or ValueState.Null or ValueState.Empty)
            {
                var what = state switch { ValueState.Missing => "missing", ValueState.Empty => "empty", _ => "null" };
                problem.Offer(_ranks[c], RejectReason.MissingField, _fields[c], $"{_fields[c]} is {what}");
            }
        }
    }

    public static TokenKind KindOf(JsonTokenType token) => token switch
    {
        JsonTokenType.String => TokenKind.String,
        JsonTokenType.Number => TokenKind.Number,
        JsonTokenType.True => TokenKind.True,
        JsonTokenType.False => TokenKind.False,
        JsonTokenType.Null => TokenKind.Null,
        JsonTokenType.StartObject => TokenKind.Object,
        _ => TokenKind.Array,
    };

    /// <summary>Names a value for a message: <c>"yesterday"</c>, <c>1.5</c>, <c>true</c>, <c>an object</c>.</summary>
    public static string Describe(TokenKind kind, ReadOnlySpan<byte> raw) => kind switch
    {
        TokenKind.String => "\"" + RawText.Preview(raw) + "\"",
        TokenKind.Number => RawText.Preview(raw),
        TokenKind.True => "true",
        TokenKind.False => "false",
        TokenKind.Null => "null",
        TokenKind.Object => "an object",
        _ => "an array",
    };

    private bool ReadText(int c, TokenKind kind, ReadOnlySpan<byte> raw, bool escaped, RecordValues values, ref RecordProblem problem)
    {
        switch (kind)
        {
            case TokenKind.True:
                values.SetText(c, "true");
                return true;
            case TokenKind.False:
                values.SetText(c, "false");
                return true;
            case TokenKind.Object or TokenKind.Array:
                if (problem.Wants(_table.StringTypeRank))
                {
                    problem.Offer(_table.StringTypeRank, RejectReason.WrongType, _fields[c],
                        $"{_fields[c]} is {Describe(kind, raw)}, not a string");
                }
                values.States[c] = ValueState.Bad;
                return true;
        }

        // A string, or a number's text as written.
        if (raw.IsEmpty)
        {
            values.States[c] = ValueState.Empty;
            return true;
        }
        var pool = _pools[c];
        var value = pool?.Find(raw);
        if (value is not null)
        {
            values.SetText(c, value);
            return true;
        }

        if (!escaped)
        {
            if (raw.Length > MaxStringBytes) return TooLong(c, raw.Length, values, ref problem);
            value = Encoding.UTF8.GetString(raw); // the whole record was checked to be valid UTF-8
        }
        else
        {
            value = JsonString.Decode(raw, out var status);
            if (status == UnescapeStatus.Syntax) return false;
            if (status == UnescapeStatus.LoneSurrogate)
            {
                // "\ud800" without its pair: valid JSON syntax, but no UTF-8 string can hold it.
                problem.Offer(RecordProblem.InvalidUnicodeRank, RejectReason.InvalidUtf8, _fields[c],
                    $"{_fields[c]} holds a \\u escape that is not valid Unicode (a lone surrogate): {Describe(kind, raw)}");
                values.States[c] = ValueState.Bad;
                return true;
            }
            if (value!.Contains('\0', StringComparison.Ordinal))
            {
                // "\u0000": valid JSON and valid Unicode, but Postgres and Redshift cannot store it in text; rejected
                // here so that every target loads the same rows instead of one target failing the whole run.
                problem.Offer(RecordProblem.InvalidUnicodeRank, RejectReason.InvalidUtf8, _fields[c],
                    $"{_fields[c]} holds \\u0000 (NUL), which Postgres and Redshift text cannot store");
                values.States[c] = ValueState.Bad;
                return true;
            }
            if (raw.Length > MaxStringBytes) // unescaping only shrinks: shorter raw text cannot be too long
            {
                var bytes = Encoding.UTF8.GetByteCount(value);
                if (bytes > MaxStringBytes) return TooLong(c, bytes, values, ref problem);
            }
        }

        pool?.Add(raw, value);
        values.SetText(c, value);
        return true;
    }

    private bool TooLong(int c, int bytes, RecordValues values, ref RecordProblem problem)
    {
        if (problem.Wants(_table.TooLongRank))
        {
            problem.Offer(_table.TooLongRank, RejectReason.TooLong, _fields[c],
                $"{_fields[c]} is {bytes:N0} UTF-8 bytes, over the {MaxStringBytes:N0}-byte limit");
        }
        values.States[c] = ValueState.Bad;
        return true;
    }

    private bool ReadInteger(int c, TokenKind kind, ReadOnlySpan<byte> raw, bool escaped, RecordValues values, ref RecordProblem problem)
    {
        switch (kind)
        {
            case TokenKind.Number:
                return Integral(c, kind, raw, raw, values, ref problem);
            case TokenKind.String:
                if (raw.IsEmpty && _emptyIsNull[c])
                {
                    values.States[c] = ValueState.Empty;
                    return true;
                }
                if (!escaped) return Integral(c, kind, raw, raw, values, ref problem);
                if (!NumberText(raw, out var text)) return false;
                return Integral(c, kind, raw, text, values, ref problem);
            default:
                return NotANumber(c, kind, raw, values, ref problem);
        }
    }

    /// <summary>An integer from a number's text: it must be integral (1.0 and 1e2 are) and fit the column's type.</summary>
    private bool Integral(int c, TokenKind kind, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> text, RecordValues values, ref RecordProblem problem)
    {
        var integral = TryPlainInteger(text, out var value) ? IntegralKind.Integral : JsonNumber.ParseIntegral(text, out value);
        var isInt = _types[c] == ColumnType.Int32;
        if (integral == IntegralKind.Integral && (!isInt || value is >= int.MinValue and <= int.MaxValue))
        {
            values.Integers[c] = value;
            values.States[c] = value == 0 && _zeroIsNull[c] ? ValueState.Null : ValueState.Value; // year 0 means unknown
            return true;
        }

        var rank = _ranks[c];
        if (problem.Wants(rank))
        {
            var (reason, what) = integral switch
            {
                IntegralKind.NotNumber => (RejectReason.WrongType, "is not a number"),
                IntegralKind.Fraction => (RejectReason.WrongType, "is not an integer"),
                _ => (RejectReason.OutOfRange, isInt ? "is out of INT range" : "is out of BIGINT range"),
            };
            problem.Offer(rank, reason, _fields[c], $"{_fields[c]} {what}: {Describe(kind, raw)}");
        }
        values.States[c] = ValueState.Bad;
        return true;
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

    private bool ReadDouble(int c, TokenKind kind, ReadOnlySpan<byte> raw, bool escaped, RecordValues values, ref RecordProblem problem)
    {
        double value;
        switch (kind)
        {
            case TokenKind.Number:
                // What Utf8JsonReader.TryGetDouble does with a number token's text (its grammar is checked);
                // an overflow gives ±Infinity.
                if (!Utf8Parser.TryParse(raw, out value, out var consumed) || consumed != raw.Length) value = 0;
                break;
            case TokenKind.String:
                var text = raw;
                if (escaped && !NumberText(raw, out text)) return false;
                if (!JsonNumber.IsValid(text)) return NotANumber(c, kind, raw, values, ref problem);
                double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
                break;
            default:
                return NotANumber(c, kind, raw, values, ref problem);
        }

        if (double.IsFinite(value))
        {
            values.Numbers[c] = value;
            values.States[c] = ValueState.Value;
            return true;
        }
        if (problem.Wants(_ranks[c]))
        {
            problem.Offer(_ranks[c], RejectReason.OutOfRange, _fields[c],
                $"{_fields[c]} is out of DOUBLE range: {Describe(kind, raw)}");
        }
        values.States[c] = ValueState.Bad;
        return true;
    }

    private bool NotANumber(int c, TokenKind kind, ReadOnlySpan<byte> raw, RecordValues values, ref RecordProblem problem)
    {
        if (problem.Wants(_ranks[c]))
            problem.Offer(_ranks[c], RejectReason.WrongType, _fields[c], $"{_fields[c]} is not a number: {Describe(kind, raw)}");
        values.States[c] = ValueState.Bad;
        return true;
    }

    /// <summary>The decoded text of a string meant to hold a number (escapes are rare there); false at a syntax error.</summary>
    private static bool NumberText(ReadOnlySpan<byte> raw, out ReadOnlySpan<byte> text)
    {
        var buffer = new byte[raw.Length];
        switch (JsonString.Unescape(raw, buffer, out var written))
        {
            case UnescapeStatus.Syntax:
                text = default;
                return false;
            case UnescapeStatus.LoneSurrogate:
                text = "\\"u8; // certainly not a number
                return true;
            default:
                text = buffer.AsSpan(0, written);
                return true;
        }
    }
}
