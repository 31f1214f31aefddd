using System.Globalization;

namespace Sparkify.Stream.Generation;

/// <summary>Writes an event as one NDJSON line as the real logs do: the 18 keys sorted, compact.</summary>
/// <remarks>Every string a line can hold is encoded once up front, in each spelling; a line is then a row of copies.</remarks>
internal interface IEventLineFormatter
{
    /// <summary>Appends the line of <paramref name="e"/>, without a line end.</summary>
    void Format(in SimulatedEvent e, Utf8Builder line);
}

/// <summary>The strings of one line that differ between the shapes, each a JSON literal (<c>null</c> included).</summary>
internal readonly record struct LineTexts(
    byte[] Artist, byte[] Song, byte[] FirstName, byte[] LastName, byte[] Gender, byte[] Location, byte[] Registration,
    byte[] UserAgent, byte[] UserId);

/// <summary>The clean shape (<see cref="Realism.Clean"/>): keys sorted, compact, <c>/</c> as <c>\/</c>, non-ASCII as UTF-8 or <c>\u</c> on half the lines.</summary>
internal sealed class EventLineFormatter : IEventLineFormatter
{
    internal static readonly byte[] Null = "null"u8.ToArray();
    internal static readonly byte[] EmptyUserId = "\"\""u8.ToArray();
    private static readonly byte[][] AuthTexts = ["\"Logged In\""u8.ToArray(), "\"Logged Out\""u8.ToArray(), "\"Guest\""u8.ToArray()];
    private static readonly byte[][] PageTexts = Enum.GetValues<EventPage>().Select(p => Quoted(PageName(p))).ToArray();
    private static readonly byte[][] Methods = Enum.GetValues<EventPage>().Select(p => Quoted(IsRedirect(p) || p == EventPage.NextSong ? "PUT" : "GET")).ToArray();
    private static readonly byte[][] Statuses = Enum.GetValues<EventPage>().Select(p => Ascii(IsRedirect(p) ? "307" : p == EventPage.Error ? "404" : "200")).ToArray();

    private readonly UserTexts[] _users;
    private readonly byte[][][] _titles;
    private readonly byte[][][] _artists;

    public EventLineFormatter(SongCatalogue catalogue, UserPool users)
    {
        _users = users.Users.Select(UserTexts.From).ToArray();
        _titles = new byte[catalogue.TrackCount][][];
        _artists = new byte[catalogue.TrackCount][][];
        for (var i = 0; i < catalogue.TrackCount; i++)
        {
            _titles[i] = Spellings(catalogue[i].Title);
            _artists[i] = Spellings(catalogue[i].ArtistName);
        }
    }

    public void Format(in SimulatedEvent e, Utf8Builder line)
    {
        var play = e.Page == EventPage.NextSong;
        var spelling = (int)(e.Play == PlayKind.Mojibake ? JsonSpelling.Mojibake
            : e.EscapeNonAscii ? JsonSpelling.AsciiEscaped : JsonSpelling.Utf8);
        var user = e.HasUser ? _users[e.User] : null;
        var userSpelling = e.EscapeNonAscii ? 1 : 0;
        Write(e, line, new LineTexts(
            play ? _artists[e.Track][spelling] : Null, play ? _titles[e.Track][spelling] : Null,
            user?.FirstName[userSpelling] ?? Null, user?.LastName[userSpelling] ?? Null, user?.Gender ?? Null,
            user?.Location[userSpelling] ?? Null,
            user is null ? Null : e.ScientificRegistration ? user.RegistrationScientific : user.Registration,
            user?.UserAgent ?? Null, user?.UserId ?? EmptyUserId));
    }

    /// <summary>The line of <paramref name="e"/> with a shape's <paramref name="texts"/>: the 18 keys in the real logs' order.</summary>
    internal static void Write(in SimulatedEvent e, Utf8Builder line, in LineTexts texts)
    {
        line.Append("{\"artist\":"u8);
        line.Append(texts.Artist);
        line.Append(",\"auth\":"u8);
        line.Append(AuthTexts[(int)e.Auth]);
        line.Append(",\"firstName\":"u8);
        line.Append(texts.FirstName);
        line.Append(",\"gender\":"u8);
        line.Append(texts.Gender);
        line.Append(",\"itemInSession\":"u8);
        line.AppendInt(e.ItemInSession);
        line.Append(",\"lastName\":"u8);
        line.Append(texts.LastName);
        line.Append(",\"length\":"u8);
        if (e.Page == EventPage.NextSong) line.AppendDouble(e.Length);
        else line.Append(Null);
        line.Append(e.Paid ? ",\"level\":\"paid\",\"location\":"u8 : ",\"level\":\"free\",\"location\":"u8);
        line.Append(texts.Location);
        line.Append(",\"method\":"u8);
        line.Append(Methods[(int)e.Page]);
        line.Append(",\"page\":"u8);
        line.Append(PageTexts[(int)e.Page]);
        line.Append(",\"registration\":"u8);
        line.Append(texts.Registration);
        line.Append(",\"sessionId\":"u8);
        line.AppendInt(e.SessionId);
        line.Append(",\"song\":"u8);
        line.Append(texts.Song);
        line.Append(",\"status\":"u8);
        line.Append(Statuses[(int)e.Page]);
        line.Append(",\"ts\":"u8);
        line.AppendInt(e.Ts);
        line.Append(",\"userAgent\":"u8);
        line.Append(texts.UserAgent);
        line.Append(",\"userId\":"u8);
        line.Append(texts.UserId);
        line.Append((byte)'}');
    }

    /// <summary>A user's strings, encoded; name and location in both spellings (UTF-8, <c>\u</c>-escaped).</summary>
    private sealed record UserTexts(
        byte[][] FirstName, byte[][] LastName, byte[] Gender, byte[][] Location, byte[] UserAgent,
        byte[] Registration, byte[] RegistrationScientific, byte[] UserId)
    {
        public static UserTexts From(GeneratedUser u) => new(
            Spellings(u.FirstName), Spellings(u.LastName), Quoted(u.Gender), Spellings(u.Location),
            JsonText.Encode(u.UserAgent, JsonSpelling.AsciiEscaped, escapeSlash: true),
            Ascii(u.Registration.ToString(CultureInfo.InvariantCulture) + ".0"),
            Ascii(Scientific(u.Registration)),
            Quoted(u.UserId.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>A float as Java prints it: <c>1540919166796</c> → <c>1.540919166796E12</c>.</summary>
    internal static string Scientific(long value)
    {
        var digits = value.ToString(CultureInfo.InvariantCulture);
        var fraction = digits[1..].TrimEnd('0');
        return $"{digits[0]}.{(fraction.Length == 0 ? "0" : fraction)}E{digits.Length - 1}";
    }

    // Indexed by JsonSpelling; an ASCII string shares one array for all three.
    private static byte[][] Spellings(string text)
    {
        var utf8 = JsonText.Encode(text, JsonSpelling.Utf8, escapeSlash: true);
        if (JsonText.IsAscii(text)) return [utf8, utf8, utf8];
        return [utf8, JsonText.Encode(text, JsonSpelling.AsciiEscaped, escapeSlash: true),
            JsonText.Encode(text, JsonSpelling.Mojibake, escapeSlash: true)];
    }

    private static bool IsRedirect(EventPage page) => page is EventPage.Login or EventPage.Logout or EventPage.SaveSettings
        or EventPage.SubmitUpgrade or EventPage.SubmitDowngrade or EventPage.SubmitRegistration;

    private static string PageName(EventPage page) => page switch
    {
        EventPage.SaveSettings => "Save Settings",
        EventPage.SubmitUpgrade => "Submit Upgrade",
        EventPage.SubmitDowngrade => "Submit Downgrade",
        EventPage.SubmitRegistration => "Submit Registration",
        _ => page.ToString(),
    };

    private static byte[] Quoted(string text) => JsonText.Encode(text, JsonSpelling.AsciiEscaped, escapeSlash: true);

    internal static byte[] Ascii(string text) => System.Text.Encoding.ASCII.GetBytes(text);
}
