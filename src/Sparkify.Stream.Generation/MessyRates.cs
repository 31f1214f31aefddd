namespace Sparkify.Stream.Generation;

/// <summary>
/// The rates of the real files (<c>scripts/sample-rates.py</c> over the 30 log files, 8,056 lines, and 132 song files
/// of the original Udacity data; docs/performance.md "Messy data"), and the few knobs <see cref="Realism.Messy"/> uses to meet them.
/// </summary>
/// <remarks>
/// What the messy shape gives at 1,000,000 events and 20,000 songs (the bench's data set): <c>\/</c> on 96.2 % of the
/// lines, <c>\u</c> on 5.1 % (5.6 % of the plays double-encoded; control characters 0.5 % of the lines, 0.2 % in the
/// real files), <c>\"</c> on 70.0 % (72.6 % of user agents quoted), every registration <c>NNN.0</c>, no raw non-ASCII
/// byte; 2.6 % of the song files with a <c>\u</c>. <c>MessyRateTests</c> holds 20,000 messy lines to these
/// constants, within a tolerance.
/// </remarks>
internal static class MessyRates
{
    // --- measured on the real log files (share of lines, unless said otherwise) ---

    /// <summary>Lines with <c>\/</c> (7,770 of 8,056: every line with a user agent).</summary>
    public const double MeasuredSlashEscapeLines = 0.9645;

    /// <summary>Lines with a <c>\u</c> escape (342); 4.05 % double-encoded names, 0.20 % control characters (<c>\u0019</c>).</summary>
    public const double MeasuredUnicodeEscapeLines = 0.0425;

    /// <summary>Lines with <c>\"</c> (5,920): user agents in literal quotes (76.2 % of user agents, exactly those with a comma).</summary>
    public const double MeasuredQuoteEscapeLines = 0.7349;

    /// <summary>Plays (NextSong) whose artist or title is double-encoded UTF-8 (326 of 6,820).</summary>
    public const double MeasuredMojibakePlays = 0.0478;

    /// <summary>Lines with a raw (unescaped) non-ASCII byte: none; the files are pure ASCII.</summary>
    public const double MeasuredRawNonAsciiLines = 0;

    /// <summary>Non-null <c>registration</c>s written as a float with <c>.0</c> (all 7,770; none in E notation, none integral).</summary>
    public const double MeasuredRegistrationFloat = 1.0;

    /// <summary>Non-null <c>length</c>s with 5 decimals (6,098 of 6,820; 4 decimals 8.2 %, 3 decimals 2.4 %: trailing zeros dropped).</summary>
    public const double MeasuredLengthFiveDecimals = 0.894;

    /// <summary>Log files with CRLF line ends: none of 30 (and none of 132 song files); log files never end with a newline.</summary>
    public const double MeasuredCrlfFiles = 0;

    /// <summary>Song files with a <c>\u</c> escape (5 of 132; plain <c>\u00e9</c>-style, never double-encoded, never raw UTF-8).</summary>
    public const double MeasuredSongFileUnicodeEscapes = 0.0379;

    /// <summary>Song files in the bucket's compact form, keys sorted (61 of 132); those escape <c>/</c> as <c>\/</c>.</summary>
    public const double MeasuredCompactSongFiles = 0.4621;

    /// <summary>Song records with null coordinates (71 of 132), <c>""</c> as location (48), year 0 (66), a number as location (1).</summary>
    public const double MeasuredNullCoordinates = 0.5379, MeasuredEmptyLocation = 0.3636, MeasuredYearZero = 0.50, MeasuredNumericLocation = 0.0076;

    // --- knobs of the messy writer (chosen, not measured) ---

    /// <summary>
    /// Log files written with CRLF line ends. Not from the samples (they have none): the rules accept CR before LF and
    /// a file exported on Windows has it, so the messy shape keeps that path exercised in 1 file in 10 (at least one).
    /// </summary>
    public const double CrlfLogFiles = 0.10;

    /// <summary>
    /// Song titles and artist names kept non-ASCII (by a hash of the name); the others are written in ASCII
    /// ("Beyoncé" → "Beyonce", "Кино" → "Kino"), as most of the real names are, so the <c>\u</c> shares come near the
    /// real ones. A kept name is written double-encoded in the logs (as the real logs write every non-ASCII name), so
    /// its plays match no song. The clean shape's double-encoded plays (3.9 % of the plays) stay double-encoded, so
    /// the share of such plays cannot go below that; 0.03 gives 5.6 % of the plays and 2.6 % of the song files.
    /// </summary>
    public const double KeptNonAsciiNames = 0.03;

    /// <summary>
    /// The clean shape's user agents (by index) replaced by another browser string with a comma (so written in literal
    /// quotes), which brings the quoted share from 6 of 11 to 8 of 11 browsers, near the real 76 %.
    /// </summary>
    public static readonly IReadOnlyDictionary<int, string> ReplacedUserAgents = new Dictionary<int, string>
    {
        [6] = "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.125 Safari/537.36",
        [9] = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chromium/37.0.2062.120 Chrome/37.0.2062.120 Safari/537.36",
    };
}
