using System.Collections.Frozen;
using System.Text;

namespace Sparkify.Stream.Generation;

/// <summary>
/// What the messy shape changes in the logical values (everything else it changes is spelling only): names as the
/// real data has them. Pure functions of the clean value, so a test can apply them to the clean data.
/// </summary>
internal static class MessyText
{
    // Latin letters with diacritics and their ASCII letters, one for one. Normalize(FormD) would do most of this, but
    // the app runs with InvariantGlobalization, where it leaves non-ASCII text as it is.
    private const string Accented = "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöøùúûüýÿğĞłŁşŞıİ";
    private const string Unaccented = "AAAAAACEEEEIIIINOOOOOOUUUUYaaaaaaceeeeiiiinoooooouuuuyygGlLsSiI";

    private static readonly FrozenDictionary<char, string> Letters = Accented.Zip(Unaccented, (a, u) => (a, u.ToString()))
        .Concat([('Æ', "AE"), ('æ', "ae"), ('Œ', "OE"), ('œ', "oe"), ('ß', "ss"), ('Þ', "Th"), ('þ', "th")])
        .ToFrozenDictionary(p => p.Item1, p => p.Item2);

    // The non-Latin names of the vocabulary in Latin letters (the real song data writes most such names so).
    private static readonly (string Name, string Romanised)[] Romanised =
    [
        ("宇多田ヒカル", "Utada Hikaru"), ("坂本龍一", "Ryuichi Sakamoto"), ("きゃりーぱみゅぱみゅ", "Kyary Pamyu Pamyu"),
        ("Кино", "Kino"), ("夜明けのうた", "Yoake No Uta"), ("さくら", "Sakura"), ("Звезда", "Zvezda"), ("🎧 ", ""),
    ];

    /// <summary>A song title or artist name: in ASCII unless kept (<see cref="MessyRates.KeptNonAsciiNames"/>).</summary>
    public static string? CatalogueText(string? value)
    {
        if (value is null || Ascii.IsValid(value) || Seeds.Fraction(value) < MessyRates.KeptNonAsciiNames) return value;
        var folded = Fold(value);
        return Ascii.IsValid(folded) ? folded : value;
    }

    /// <summary>A user's name or location, or an artist's location: in ASCII (none of the real files has another).</summary>
    public static string InAscii(string value) => Fold(value);

    /// <summary>A user agent as the messy shape writes it: some browsers replaced (<see cref="MessyRates.ReplacedUserAgents"/>).</summary>
    public static string UserAgent(string value)
    {
        var quoted = value.Length > 1 && value[0] == '"' && value[^1] == '"';
        var index = Array.IndexOf(Vocabulary.UserAgents, quoted ? value[1..^1] : value);
        if (!MessyRates.ReplacedUserAgents.TryGetValue(index, out var replaced)) return value;
        return replaced.Contains(',', StringComparison.Ordinal) ? $"\"{replaced}\"" : replaced;
    }

    /// <summary>
    /// Double-encoded twice, as the real logs' names are: UTF-8 read as Latin-1, twice ("é" → "Ã©" → "Ã\u0083Â©",
    /// written <c>\u00c3\u0083\u00c2\u00a9</c>). ASCII text is unchanged.
    /// </summary>
    public static string DoubleMojibake(string value) => Latin1(Encoding.UTF8.GetBytes(Latin1(Encoding.UTF8.GetBytes(value))));

    /// <summary>
    /// The vocabulary's text in ASCII: non-Latin names romanised, Latin letters without their diacritics
    /// ("Łukasz Doğan" → "Lukasz Dogan"); characters it does not know stay as they are.
    /// </summary>
    public static string Fold(string value)
    {
        if (Ascii.IsValid(value)) return value;
        foreach (var (name, romanised) in Romanised) value = value.Replace(name, romanised, StringComparison.Ordinal);
        var folded = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (Letters.TryGetValue(c, out var letter)) folded.Append(letter);
            else folded.Append(c);
        }
        return folded.ToString();
    }

    private static string Latin1(byte[] bytes) => string.Create(bytes.Length, bytes, static (chars, b) =>
    {
        for (var i = 0; i < b.Length; i++) chars[i] = (char)b[i];
    });
}
