namespace Sparkify.Stream.Records;

/// <summary>What a piece of text is, read as an integer (docs/semantics.md#validation-rules: an integer field takes any integral JSON number).</summary>
internal enum IntegralKind
{
    /// <summary>Not a JSON number at all (grammar of RFC 8259 §6).</summary>
    NotNumber,

    /// <summary>A JSON number whose value is an integer that fits a BIGINT.</summary>
    Integral,

    /// <summary>A JSON number with a non-zero fractional part.</summary>
    Fraction,

    /// <summary>A JSON number whose value is an integer outside the BIGINT range.</summary>
    OutOfRange,
}

/// <summary>Exact reading of JSON number text: no rounding through double or decimal.</summary>
/// <remarks>
/// <c>1.540919166796E12</c> and <c>8.0</c> are integers; <c>8.5</c> is not; <c>1e30</c> is an integer out of range.
/// The value is digits × 10^exponent, decided on the digit string, so 10 MB of zeros costs one pass and no allocation.
/// </remarks>
internal static class JsonNumber
{
    /// <summary>True when <paramref name="text"/> is exactly one JSON number (no whitespace, no sign '+', no leading zeros).</summary>
    public static bool IsValid(ReadOnlySpan<byte> text) => Scan(text, out _);

    /// <summary>Classifies <paramref name="text"/> and, when it is <see cref="IntegralKind.Integral"/>, gives its value.</summary>
    public static IntegralKind ParseIntegral(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (!Scan(text, out var parts)) return IntegralKind.NotNumber;

        var digits = new DigitView(text, parts);
        var first = digits.FirstNonZero();
        if (first < 0) return IntegralKind.Integral; // every digit is zero: the value is 0 whatever the exponent

        var last = digits.LastNonZero();
        // value = D[first..last] × 10^scale, with D read as an integer.
        var scale = parts.Exponent - parts.FractionLength + (digits.Length - 1 - last);
        if (scale < 0) return IntegralKind.Fraction;
        var significant = last - first + 1;
        if (significant + scale > 19) return IntegralKind.OutOfRange; // 10^19 > long.MaxValue

        ulong magnitude = 0;
        for (var k = first; k <= last; k++) magnitude = (magnitude * 10) + digits.At(k);
        for (var k = 0; k < scale; k++) magnitude *= 10; // at most 19 digits: fits a ulong

        if (parts.Negative)
        {
            if (magnitude > 1UL << 63) return IntegralKind.OutOfRange;
            value = unchecked(-(long)magnitude);
        }
        else
        {
            if (magnitude > long.MaxValue) return IntegralKind.OutOfRange;
            value = (long)magnitude;
        }

        return IntegralKind.Integral;
    }

    private struct Parts
    {
        public bool Negative;
        public int IntStart, IntEnd, FracStart, FracEnd;
        public long Exponent;
        public readonly int FractionLength => FracEnd - FracStart;
    }

    // An exponent beyond this is clamped: with at most int.MaxValue digits, it decides the answer all the same.
    private const long ExponentClamp = 1L << 40;

    private static bool Scan(ReadOnlySpan<byte> s, out Parts parts)
    {
        parts = default;
        var i = 0;
        if (i < s.Length && s[i] == (byte)'-') { parts.Negative = true; i++; }

        parts.IntStart = i;
        if (i >= s.Length || !IsDigit(s[i])) return false;
        if (s[i] == (byte)'0') i++;
        else while (i < s.Length && IsDigit(s[i])) i++;
        parts.IntEnd = i;

        parts.FracStart = parts.FracEnd = i;
        if (i < s.Length && s[i] == (byte)'.')
        {
            i++;
            parts.FracStart = i;
            while (i < s.Length && IsDigit(s[i])) i++;
            if (i == parts.FracStart) return false;
            parts.FracEnd = i;
        }

        if (i < s.Length && (s[i] == (byte)'e' || s[i] == (byte)'E'))
        {
            i++;
            var negativeExponent = false;
            if (i < s.Length && (s[i] == (byte)'+' || s[i] == (byte)'-')) { negativeExponent = s[i] == (byte)'-'; i++; }
            var start = i;
            long exponent = 0;
            while (i < s.Length && IsDigit(s[i]))
            {
                exponent = Math.Min((exponent * 10) + (s[i] - '0'), ExponentClamp);
                i++;
            }

            if (i == start) return false;
            parts.Exponent = negativeExponent ? -exponent : exponent;
        }

        return i == s.Length;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    /// <summary>The integer digits followed by the fraction digits, as one sequence.</summary>
    private readonly ref struct DigitView(ReadOnlySpan<byte> text, Parts parts)
    {
        private readonly ReadOnlySpan<byte> _int = text[parts.IntStart..parts.IntEnd];
        private readonly ReadOnlySpan<byte> _frac = text[parts.FracStart..parts.FracEnd];

        public int Length => _int.Length + _frac.Length;

        public uint At(int k) => (uint)((k < _int.Length ? _int[k] : _frac[k - _int.Length]) - '0');

        public int FirstNonZero()
        {
            var k = _int.IndexOfAnyExcept((byte)'0');
            if (k >= 0) return k;
            k = _frac.IndexOfAnyExcept((byte)'0');
            return k < 0 ? -1 : _int.Length + k;
        }

        public int LastNonZero()
        {
            var k = _frac.LastIndexOfAnyExcept((byte)'0');
            if (k >= 0) return _int.Length + k;
            return _int.LastIndexOfAnyExcept((byte)'0');
        }
    }
}
