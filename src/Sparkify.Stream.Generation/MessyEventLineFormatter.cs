namespace Sparkify.Stream.Generation;

/// <summary>
/// The messy shape (<see cref="Realism.Messy"/>): the same events as the clean shape, spelled as the real logs are
/// (pure ASCII, every non-ASCII character a <c>\u</c> escape, <c>/</c> as <c>\/</c>, registration always
/// <c>NNN.0</c>), with the names of <see cref="MessyText"/>.
/// </summary>
/// <remarks>
/// A play names its song with <see cref="MessyText.CatalogueText"/>'s strings; where those are not ASCII, or the clean
/// shape double-encodes the play (<see cref="PlayKind.Mojibake"/>), with <see cref="MessyText.DoubleMojibake"/> of
/// them, as the real logs write every non-ASCII name. So a play matches in the messy shape exactly when it matches in
/// the clean one and its song's names stay ASCII.
/// </remarks>
internal sealed class MessyEventLineFormatter : IEventLineFormatter
{
    private readonly UserTexts[] _users;
    private readonly (byte[] Plain, byte[] Mojibake)[] _titles;
    private readonly (byte[] Plain, byte[] Mojibake)[] _artists;

    public MessyEventLineFormatter(SongCatalogue catalogue, UserPool users)
    {
        _users = users.Users.Select(UserTexts.From).ToArray();
        _titles = new (byte[], byte[])[catalogue.TrackCount];
        _artists = new (byte[], byte[])[catalogue.TrackCount];
        for (var i = 0; i < catalogue.TrackCount; i++)
        {
            var (title, artist) = (catalogue[i].Title, catalogue[i].ArtistName);
            var (messyTitle, messyArtist) = (MessyText.CatalogueText(title)!, MessyText.CatalogueText(artist)!);
            var ascii = JsonText.IsAscii(messyTitle) && JsonText.IsAscii(messyArtist);
            _titles[i] = (Encode(ascii ? messyTitle : MessyText.DoubleMojibake(messyTitle)), Encode(MessyText.DoubleMojibake(title)));
            _artists[i] = (Encode(ascii ? messyArtist : MessyText.DoubleMojibake(messyArtist)), Encode(MessyText.DoubleMojibake(artist)));
        }
    }

    public void Format(in SimulatedEvent e, Utf8Builder line)
    {
        var play = e.Page == EventPage.NextSong;
        var mojibake = e.Play == PlayKind.Mojibake;
        var nul = EventLineFormatter.Null;
        var user = e.HasUser ? _users[e.User] : null;
        EventLineFormatter.Write(e, line, new LineTexts(
            play ? (mojibake ? _artists[e.Track].Mojibake : _artists[e.Track].Plain) : nul,
            play ? (mojibake ? _titles[e.Track].Mojibake : _titles[e.Track].Plain) : nul,
            user?.FirstName ?? nul, user?.LastName ?? nul, user?.Gender ?? nul, user?.Location ?? nul,
            user?.Registration ?? nul, user?.UserAgent ?? nul, user?.UserId ?? EventLineFormatter.EmptyUserId));
    }

    private sealed record UserTexts(byte[] FirstName, byte[] LastName, byte[] Gender, byte[] Location, byte[] UserAgent,
        byte[] Registration, byte[] UserId)
    {
        public static UserTexts From(GeneratedUser u) => new(
            Encode(MessyText.InAscii(u.FirstName)), Encode(MessyText.InAscii(u.LastName)), Encode(u.Gender),
            Encode(MessyText.InAscii(u.Location)), Encode(MessyText.UserAgent(u.UserAgent)),
            EventLineFormatter.Ascii(u.Registration.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".0"),
            Encode(u.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static byte[] Encode(string text) => JsonText.Encode(text, JsonSpelling.AsciiEscaped, escapeSlash: true);
}
