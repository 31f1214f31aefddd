using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace Sparkify.Stream.Generation;

/// <summary>
/// What the messy shape changes in the logical values (everything else it changes is spelling only): names as the
/// real data has them. Pure functions of the clean value, so a test can apply them to the clean star schema.
/// </summary>
internal static class MessyText
{
    /// <summary>A catalogue string (title, artist name, artist location): ASCII-folded unless kept (<see cref="MessyRates.KeptNonAsciiNames"/>).</summary>
    public static string? CatalogueText(string? value)
    {
        if (value is null || Ascii.IsValid(value) || Fraction(value) < MessyRates.KeptNonAsciiNames) return value;
        var folded = Fold(value);
        return Ascii.IsValid(folded) ? folded : value;
    }

    /// <summary>A user's name or location: always ASCII-folded (the real logs have no non-ASCII user fields).</summary>
    public static string UserText(string value)
    {
        var folded = Fold(value);
        return Ascii.IsValid(folded) ? folded : value;
    }

    /// <summary>A user agent as the messy shape writes it: some browsers replaced (<see cref="MessyRates.ReplacedUserAgents"/>).</summary>
    public static string UserAgent(string value)
    {
        var quoted = value.Length > 1 && value[0] == '"' && value[^1] == '"';
        var index = Array.IndexOf(Vocabulary.UserAgents, quoted ? value[1..^1] : value);
        if (!MessyRates.ReplacedUserAgents.TryGetValue(index, out var replaced)) return value;
        return replaced.Contains(',', StringComparison.Ordinal) ? $"\"{replaced}\"" : replaced;
    }

    /// <summary>
    /// Double-encoded twice, as the real logs' names are: UTF-8 read as Latin-1, twice ("é" → "Ã©" → "Ã\u0083Â©").
    /// ASCII text is unchanged.
    /// </summary>
    public static string DoubleMojibake(string value) => Latin1(Encoding.UTF8.GetBytes(Latin1(Encoding.UTF8.GetBytes(value))));

    /// <summary>Latin letters without their diacritics ("Łukasz Doğan" → "Lukasz Dogan"); other characters as they are.</summary>
    public static string Fold(string value)
    {
        var decomposed = value.Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            folded.Append(c switch
            {
                'Ł' => "L", 'ł' => "l", 'Ø' => "O", 'ø' => "o", 'Æ' => "AE", 'æ' => "ae", 'Œ' => "OE", 'œ' => "oe",
                'ß' => "ss", 'Đ' => "D", 'đ' => "d", 'ı' => "i", 'Þ' => "Th", 'þ' => "th", 'Ð' => "D", 'ð' => "d",
                _ => c.ToString(),
            });
        }
        return folded.ToString().Normalize(NormalizationForm.FormC);
    }

    // A stable fraction in [0, 1) of a string, the same on every machine and run.
    private static double Fraction(string value) =>
        (XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(value)) >> 11) / (double)(1UL << 53);

    private static string Latin1(byte[] bytes) => string.Create(bytes.Length, bytes, static (chars, b) =>
    {
        for (var i = 0; i < b.Length; i++) chars[i] = (char)b[i];
    });
}
