using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sparkify.Stream.Records;

/// <summary>What a field held after reading it.</summary>
internal enum ValueState : byte
{
    /// <summary>The field did not appear.</summary>
    Missing,

    /// <summary>JSON null (or, where the field allows it, the empty string): SQL NULL.</summary>
    Null,

    /// <summary>A usable value.</summary>
    Value,

    /// <summary>A value that broke a rule; the problem is recorded.</summary>
    Bad,
}

/// <summary>The SQL type an integer field must fit.</summary>
internal enum IntegerType : byte
{
    Int,
    BigInt,
}

/// <summary>The ranks, in one record kind's rule table, of the rules that apply to every string field.</summary>
internal readonly record struct StringRules(int WrongTypeRank, int TooLongRank);

/// <summary>
/// Reads one field value at the reader's current token, with SPEC §1's leniency: a string field takes a number's
/// or boolean's text, a numeric field takes a string holding a JSON number. A value that breaks a rule is reported
/// to the <see cref="RecordProblem"/> and skipped, so the caller can go on checking the record's structure.
/// </summary>
internal static class FieldReader
{
    /// <summary>Redshift's VARCHAR limit, in UTF-8 bytes.</summary>
    public const int MaxStringBytes = 65_535;

    public static ValueState ReadString(
        ref Utf8JsonReader reader, StringPool? pool, string field, StringRules rules, ref RecordProblem problem,
        out string? value)
    {
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return ValueState.Null;
            case JsonTokenType.True:
                value = "true";
                return ValueState.Value;
            case JsonTokenType.False:
                value = "false";
                return ValueState.Value;
            case JsonTokenType.String:
            case JsonTokenType.Number: // the number's text as written
                break;
            default:
                if (problem.Wants(rules.WrongTypeRank))
                {
                    problem.Offer(rules.WrongTypeRank, RejectReason.WrongType, field,
                        $"{field} is {RawText.Describe(ref reader)}, not a string");
                }

                reader.Skip();
                return ValueState.Bad;
        }

        var raw = reader.ValueSpan;
        if (raw.IsEmpty) return ValueState.Null;
        value = pool?.Find(raw);
        if (value is not null) return ValueState.Value;

        if (!reader.ValueIsEscaped)
        {
            if (raw.Length > MaxStringBytes) return TooLong(field, raw.Length, rules, ref problem);
            value = Encoding.UTF8.GetString(raw); // the whole record was checked to be valid UTF-8
        }
        else
        {
            if (!TryUnescape(ref reader, field, ref problem, out value)) return ValueState.Bad;
            if (raw.Length > MaxStringBytes) // unescaping only shrinks: shorter raw text cannot be too long
            {
                var bytes = Encoding.UTF8.GetByteCount(value);
                if (bytes > MaxStringBytes)
                {
                    value = null;
                    return TooLong(field, bytes, rules, ref problem);
                }
            }
        }

        pool?.Add(raw, value);
        return ValueState.Value;
    }

    public static ValueState ReadInteger(
        ref Utf8JsonReader reader, string field, IntegerType type, int rank, ref RecordProblem problem,
        out long value, bool emptyStringIsNull = false)
    {
        value = 0;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return ValueState.Null;
            case JsonTokenType.Number:
                if (type == IntegerType.BigInt ? reader.TryGetInt64(out value) : TryGetInt32(ref reader, out value))
                    return ValueState.Value;

                return Classify(ref reader, reader.ValueSpan, field, type, rank, ref problem, out value);
            case JsonTokenType.String:
                if (reader.ValueSpan.IsEmpty && emptyStringIsNull) return ValueState.Null;
                return Classify(ref reader, NumberText(ref reader), field, type, rank, ref problem, out value);
            default:
                return NotANumber(ref reader, field, rank, ref problem);
        }
    }

    public static ValueState ReadDouble(
        ref Utf8JsonReader reader, string field, int rank, ref RecordProblem problem, out double value)
    {
        value = 0;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return ValueState.Null;
            case JsonTokenType.Number:
                reader.TryGetDouble(out value); // the reader checked the grammar; overflow gives ±Infinity
                break;
            case JsonTokenType.String:
                var text = NumberText(ref reader);
                if (!JsonNumber.IsValid(text)) return NotANumber(ref reader, field, rank, ref problem);
                double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
                break;
            default:
                return NotANumber(ref reader, field, rank, ref problem);
        }

        if (double.IsFinite(value)) return ValueState.Value;
        if (problem.Wants(rank))
        {
            problem.Offer(rank, RejectReason.OutOfRange, field,
                $"{field} is out of DOUBLE range: {RawText.Describe(ref reader)}");
        }

        return ValueState.Bad;
    }

    private static bool TryGetInt32(ref Utf8JsonReader reader, out long value)
    {
        var ok = reader.TryGetInt32(out var small);
        value = small;
        return ok;
    }

    private static ValueState Classify(
        ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> text, string field, IntegerType type, int rank,
        ref RecordProblem problem, out long value)
    {
        var kind = JsonNumber.ParseIntegral(text, out value);
        if (kind == IntegralKind.Integral && (type == IntegerType.BigInt || value is >= int.MinValue and <= int.MaxValue))
            return ValueState.Value;

        if (problem.Wants(rank))
        {
            var (reason, what) = kind switch
            {
                IntegralKind.NotNumber => (RejectReason.WrongType, "is not a number"),
                IntegralKind.Fraction => (RejectReason.WrongType, "is not an integer"),
                _ => (RejectReason.OutOfRange, type == IntegerType.Int ? "is out of INT range" : "is out of BIGINT range"),
            };
            problem.Offer(rank, reason, field, $"{field} {what}: {RawText.Describe(ref reader)}");
        }

        value = 0;
        return ValueState.Bad;
    }

    private static ValueState NotANumber(ref Utf8JsonReader reader, string field, int rank, ref RecordProblem problem)
    {
        if (problem.Wants(rank))
            problem.Offer(rank, RejectReason.WrongType, field, $"{field} is not a number: {RawText.Describe(ref reader)}");
        reader.Skip(); // past an object or array; no-op for a scalar
        return ValueState.Bad;
    }

    /// <summary>The text of a string token meant to hold a number; escapes (rare) are decoded.</summary>
    private static ReadOnlySpan<byte> NumberText(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped) return reader.ValueSpan;
        try
        {
            return Encoding.UTF8.GetBytes(reader.GetString()!);
        }
        catch (InvalidOperationException)
        {
            return "\\"u8; // a lone surrogate escape: certainly not a number
        }
    }

    private static bool TryUnescape(ref Utf8JsonReader reader, string field, ref RecordProblem problem, [NotNullWhen(true)] out string? value)
    {
        try
        {
            value = reader.GetString()!;
            if (value.Contains('\0', StringComparison.Ordinal))
            {
                // "\u0000": valid JSON and valid Unicode, but Postgres and Redshift cannot store it in text; rejected
                // here so that every target loads the same rows instead of one target failing the whole run.
                problem.Offer(RecordProblem.InvalidUnicodeRank, RejectReason.InvalidUtf8, field,
                    $"{field} holds \\u0000 (NUL), which Postgres and Redshift text cannot store");
                value = null;
                return false;
            }
            return true;
        }
        catch (InvalidOperationException)
        {
            // "\ud800" without its pair: valid JSON syntax, but no UTF-8 string can hold it.
            problem.Offer(RecordProblem.InvalidUnicodeRank, RejectReason.InvalidUtf8, field,
                $"{field} holds a \\u escape that is not valid Unicode (a lone surrogate): {RawText.Describe(ref reader)}");
            value = null;
            return false;
        }
    }

    private static ValueState TooLong(string field, int bytes, StringRules rules, ref RecordProblem problem)
    {
        if (problem.Wants(rules.TooLongRank))
        {
            problem.Offer(rules.TooLongRank, RejectReason.TooLong, field,
                $"{field} is {bytes:N0} UTF-8 bytes, over the {MaxStringBytes:N0}-byte limit");
        }

        return ValueState.Bad;
    }
}
