using System.Text;
using Sparkify.Stream.Generation;
using Sparkify.Stream.Records;

namespace Sparkify.Stream.Tests.Generation;

/// <summary>The same options generated in both shapes, and both read back with the project's own parsers.</summary>
public sealed class BothShapesFixture : IDisposable
{
    internal static readonly GeneratorOptions Options = new("unused") { Songs = 200, Events = 20_000, Users = 100, Days = 10 };

    internal GeneratedData Clean { get; } = GeneratedData.Generate(Options);
    internal GeneratedData Messy { get; } = GeneratedData.Generate(Options with { Realism = Realism.Messy });

    public void Dispose()
    {
        Clean.Dispose();
        Messy.Dispose();
    }
}

/// <summary>The messy shape spells the clean shape's events as the real files do, and names them as <see cref="MessyText"/> says.</summary>
public sealed class MessyShapeTests(BothShapesFixture fixture) : IClassFixture<BothShapesFixture>
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Messy_lines_parse_to_the_clean_events_with_the_messy_names(bool fastPath)
    {
        var clean = Events(fixture.Clean, fastPath: true);
        var messy = Events(fixture.Messy, fastPath);
        Assert.Equal(fixture.Clean.Events.Count, clean.Count);
        Assert.Equal(clean.Count, messy.Count);
        for (var i = 0; i < clean.Count; i++)
        {
            var expected = clean[i] with
            {
                FirstName = AsciiOrNull(clean[i].FirstName),
                LastName = AsciiOrNull(clean[i].LastName),
                Location = AsciiOrNull(clean[i].Location),
                UserAgent = clean[i].UserAgent is { } agent ? MessyText.UserAgent(agent) : null,
                Artist = messy[i].Artist, // the plays' names: Plays_match_the_clean_shapes_songs_unless_a_name_stays_non_ascii
                Song = messy[i].Song,
            };
            Assert.Equal(expected, messy[i]);
            Assert.Equal(clean[i].Artist is null, messy[i].Artist is null);
        }
    }

    [Fact]
    public void Messy_songs_parse_to_the_clean_songs_with_the_messy_names()
    {
        var clean = Songs(fixture.Clean);
        var messy = Songs(fixture.Messy);
        Assert.Equal(fixture.Clean.Songs.Count, messy.Count);
        Assert.Equal(clean.Select(s => s with
        {
            Title = MessyText.CatalogueText(s.Title),
            ArtistName = MessyText.CatalogueText(s.ArtistName),
            ArtistLocation = AsciiOrNull(s.ArtistLocation),
        }), messy);
    }

    [Fact]
    public void Plays_match_the_clean_shapes_songs_unless_a_name_stays_non_ascii()
    {
        var clean = Events(fixture.Clean, fastPath: true);
        var messy = Events(fixture.Messy, fastPath: true);
        var cleanSongs = Songs(fixture.Clean);
        var messySongs = Songs(fixture.Messy).ToDictionary(s => s.SongId);
        int matched = 0, lost = 0;
        for (var i = 0; i < clean.Count; i++)
        {
            if (clean[i].Page != "NextSong" || clean[i].UserId is null) continue;
            var inClean = Matches(clean[i], cleanSongs);
            var keepsAscii = inClean.All(id => Ascii.IsValid(messySongs[id].Title) && Ascii.IsValid(messySongs[id].ArtistName));
            Assert.Equal(keepsAscii ? inClean : [], Matches(messy[i], messySongs.Values));
            if (inClean.Count > 0) _ = keepsAscii ? matched++ : lost++;
        }
        Assert.InRange(matched, 10_000, 20_000);
        Assert.InRange(lost, 1, matched / 10);
    }

    [Fact]
    public void Non_ascii_names_in_messy_logs_are_double_encoded_as_in_the_real_logs()
    {
        var names = Events(fixture.Messy, fastPath: true).SelectMany(e => new[] { e.Artist, e.Song })
            .OfType<string>().Where(n => !Ascii.IsValid(n)).Distinct().ToList();
        Assert.NotEmpty(names);
        Assert.All(names, n => Assert.Equal(n, MessyText.DoubleMojibake(Undo(Undo(n)))));
        Assert.Contains(fixture.Messy.Events, e => Contains(e.Raw, @"\u00c3\u0083\u00c2\u00"));
    }

    [Fact]
    public void Double_mojibake_spells_a_name_byte_for_byte_as_the_real_logs_do()
    {
        Assert.Equal(@"""Beyonc\u00c3\u0083\u00c2\u00a9""",
            Encoding.ASCII.GetString(JsonText.Encode(MessyText.DoubleMojibake("Beyoncé"), JsonSpelling.AsciiEscaped, escapeSlash: true)));
        Assert.Equal("Plain ASCII", MessyText.DoubleMojibake("Plain ASCII"));
    }

    [Fact]
    public void Every_vocabulary_name_has_an_ascii_form()
    {
        string[][] lists =
        [
            Vocabulary.FirstNamesFemale, Vocabulary.FirstNamesMale, Vocabulary.LastNames, Vocabulary.UserLocations,
            Vocabulary.NonAsciiArtists, Vocabulary.NonAsciiTitles, Vocabulary.ArtistLocations.Select(l => l.Name).ToArray(),
        ];
        Assert.All(lists.SelectMany(l => l), name => Assert.True(Ascii.IsValid(MessyText.Fold(name)), $"{name} → {MessyText.Fold(name)}"));
        Assert.Equal("Lukasz Dogan, Beyonce, Kino", MessyText.Fold("Łukasz Doğan, Beyoncé, Кино"));
    }

    [Fact]
    public void The_same_seed_gives_the_same_messy_bytes()
    {
        var small = new GeneratorOptions("unused") { Songs = 60, Events = 3_000, Users = 20, Days = 2, Realism = Realism.Messy };
        using var first = GeneratedData.Generate(small);
        using var second = GeneratedData.Generate(small);
        Assert.Equal(first.RawFiles(), second.RawFiles());
    }

    private static List<LogEvent> Events(GeneratedData data, bool fastPath)
    {
        var parser = new LogEventParser { FastPath = fastPath };
        var events = new List<LogEvent>();
        var rejects = new List<Reject>();
        foreach (var file in data.LogFiles) parser.ParseLines(data.ReadContent(file), 1, fileStart: true, file, events, rejects);
        Assert.Empty(rejects);
        return events;
    }

    private static List<SongRecord> Songs(GeneratedData data)
    {
        var songs = new List<SongRecord>();
        var rejects = new List<Reject>();
        foreach (var song in data.Songs) new SongFileParser().Parse(song.Raw, song.RelativePath, songs, rejects);
        Assert.Empty(rejects);
        return songs;
    }

    // The songs a play names (title and artist equal, length within a millisecond), by id.
    private static List<string> Matches(LogEvent play, IEnumerable<SongRecord> songs) => songs
        .Where(s => s.Title == play.Song && s.ArtistName == play.Artist && Math.Abs(s.Duration!.Value - play.Length!.Value) < 0.001)
        .Select(s => s.SongId).Order(StringComparer.Ordinal).ToList();

    private static string? AsciiOrNull(string? value) => value is null ? null : MessyText.InAscii(value);

    // One level of double encoding undone: the characters as bytes, read as UTF-8.
    private static string Undo(string text) => Encoding.UTF8.GetString(text.Select(c => (byte)c).ToArray());

    private static bool Contains(byte[] raw, string ascii) => raw.AsSpan().IndexOf(Encoding.ASCII.GetBytes(ascii)) >= 0;
}
