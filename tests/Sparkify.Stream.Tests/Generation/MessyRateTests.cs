using System.Text;
using System.Text.Json;
using Sparkify.Stream.Generation;

namespace Sparkify.Stream.Tests.Generation;

/// <summary>20,000 messy lines against the rates measured on the real files (<see cref="MessyRates"/>).</summary>
public sealed class MessyRateTests(BothShapesFixture fixture) : IClassFixture<BothShapesFixture>
{
    private GeneratedData Data => fixture.Messy;

    private IEnumerable<EventLine> Plays => Data.Events.Where(e => e.Page == "NextSong");

    [Fact]
    public void Escapes_slashes_on_as_many_lines_as_the_real_logs()
    {
        Assert.InRange(Share(Data.Events, e => Has(e, @"\/")), MessyRates.MeasuredSlashEscapeLines - 0.02, MessyRates.MeasuredSlashEscapeLines + 0.02);
    }

    [Fact]
    public void Has_unicode_escapes_on_about_as_many_lines_as_the_real_logs()
    {
        Assert.InRange(Share(Data.Events, e => Has(e, @"\u")), MessyRates.MeasuredUnicodeEscapeLines - 0.02, MessyRates.MeasuredUnicodeEscapeLines + 0.02);
        Assert.InRange(Share(Plays, e => Has(e, @"\u00c3\u0083") || Has(e, @"\u00c2\u00")), MessyRates.MeasuredMojibakePlays - 0.02, MessyRates.MeasuredMojibakePlays + 0.02);
    }

    [Fact]
    public void Is_pure_ascii_like_the_real_files()
    {
        Assert.Equal(MessyRates.MeasuredRawNonAsciiLines, Share(Data.Events, e => !Ascii.IsValid(e.Raw)));
        Assert.All(Data.Songs, s => Assert.True(Ascii.IsValid(s.Raw), s.RelativePath));
    }

    [Fact]
    public void Quotes_the_user_agents_with_a_comma_on_about_as_many_lines_as_the_real_logs()
    {
        var agents = Data.Events.Select(e => e.String("userAgent")).OfType<string>().ToList();
        Assert.All(agents, a => Assert.Equal(a.Contains(',', StringComparison.Ordinal), a.StartsWith('"') && a.EndsWith('"')));
        Assert.InRange(Share(Data.Events, e => Has(e, "\\\"")), MessyRates.MeasuredQuoteEscapeLines - 0.1, MessyRates.MeasuredQuoteEscapeLines + 0.05);
    }

    [Fact]
    public void Writes_every_registration_as_a_float_with_a_zero_fraction()
    {
        var registrations = Data.Events.Select(e => e.Json.GetProperty("registration"))
            .Where(r => r.ValueKind != JsonValueKind.Null).Select(r => r.GetRawText()).ToList();
        Assert.Equal(MessyRates.MeasuredRegistrationFloat, Share(registrations, r => r.Length == 15 && r.EndsWith(".0", StringComparison.Ordinal)));
    }

    [Fact]
    public void Ends_the_lines_of_one_file_in_ten_with_crlf_and_no_file_with_a_newline()
    {
        var withCr = Data.LogFiles.Where(f => Data.ReadContent(f).Contains((byte)'\r')).ToList();
        Assert.Equal(Math.Max(1, (int)Math.Round(BothShapesFixture.Options.Days * MessyRates.CrlfLogFiles)), withCr.Count);
        foreach (var file in withCr)
        {
            var lines = Data.Events.Where(e => e.RelativePath == file).ToList();
            Assert.All(lines[..^1], e => Assert.Equal((byte)'\r', e.Raw[^1]));
            Assert.NotEqual((byte)'\r', lines[^1].Raw[^1]);
        }
        Assert.All(Data.RawFiles(), f => Assert.NotEqual((byte)'\n', f.Value[^1]));
    }

    [Fact]
    public void Writes_about_as_many_song_files_compact_as_the_bucket_holds()
    {
        Assert.InRange(Share(Data.Songs, s => s.Raw.AsSpan().StartsWith("{\"artist_id\":"u8)),
            MessyRates.MeasuredCompactSongFiles - 0.1, MessyRates.MeasuredCompactSongFiles + 0.1);
    }

    private static double Share<T>(IEnumerable<T> items, Func<T, bool> predicate)
    {
        var list = items.ToList();
        return list.Count(predicate) / (double)list.Count;
    }

    private static bool Has(EventLine line, string ascii) => line.Raw.AsSpan().IndexOf(Encoding.ASCII.GetBytes(ascii)) >= 0;
}
