using System.Text;
using System.Text.Json;

namespace Sparkify.Stream.Tests.Generation;

/// <summary>The default sample carries every quirk of the real data the pipeline must handle.</summary>
public sealed class GeneratedQuirkTests(DefaultSampleFixture fixture) : IClassFixture<DefaultSampleFixture>
{
    private GeneratedData Data => fixture.Data;

    private IEnumerable<EventLine> Plays => Data.Events.Where(e => e.IsPlay);

    [Fact]
    public void Has_logged_out_events_with_an_empty_user_id_and_no_names()
    {
        var loggedOut = Data.Events.Where(e => e.String("auth") == "Logged Out").ToList();
        Assert.NotEmpty(loggedOut);
        Assert.All(loggedOut, e => Assert.Equal(("", null, null), (e.UserId, e.String("firstName"), e.String("lastName"))));
        Assert.Contains(loggedOut, e => e.Page == "Login");
        Assert.Contains(loggedOut, e => e.Page == "Home");
    }

    [Fact]
    public void Has_guest_events()
    {
        Assert.Contains(Data.Events, e => e.String("auth") == "Guest" && e.UserId == "");
    }

    [Fact]
    public void Spreads_events_over_exactly_the_requested_users()
    {
        Assert.Equal(100, Data.Events.Select(e => e.UserId).Where(id => id.Length > 0).Distinct().Count());
    }

    [Fact]
    public void About_four_in_five_events_are_songs()
    {
        var share = Data.Events.Count(e => e.Page == "NextSong") / (double)Data.Events.Count;
        Assert.InRange(share, 0.7, 0.9);
    }

    [Fact]
    public void Writes_registration_as_a_float_in_both_real_forms()
    {
        var raw = Data.Events.Select(e => e.Json.GetProperty("registration").GetRawText()).ToList();
        Assert.Contains(raw, r => r.EndsWith(".0", StringComparison.Ordinal) && r.Length == 15);
        Assert.Contains(raw, r => r.EndsWith("E12", StringComparison.Ordinal));
        Assert.Contains("null", raw);
    }

    [Fact]
    public void Escapes_slashes_and_keeps_literal_quotes_in_user_agents()
    {
        Assert.Contains(Data.Events, e => Text(e.Raw).Contains("\"userAgent\":\"Mozilla\\/5.0", StringComparison.Ordinal));
        Assert.Contains(Data.Events, e => Text(e.Raw).Contains("\"userAgent\":\"\\\"Mozilla\\/5.0", StringComparison.Ordinal));
    }

    [Fact]
    public void Items_increase_within_a_session()
    {
        var sessions = Data.Events.DistinctBy(e => Text(e.Raw)).GroupBy(e => e.Json.GetProperty("sessionId").GetInt32());
        foreach (var session in sessions)
        {
            var items = session.OrderBy(e => e.Ts).ThenBy(e => e.Json.GetProperty("itemInSession").GetInt32())
                .Select(e => e.Json.GetProperty("itemInSession").GetInt32()).ToList();
            Assert.Equal(Enumerable.Range(0, items.Count), items);
        }
    }

    [Fact]
    public void Some_users_change_level_with_a_submit_event()
    {
        var levelsByUser = Data.Events.Where(e => e.UserId.Length > 0).OrderBy(e => e.Ts)
            .GroupBy(e => e.UserId, e => e.String("level")!).Select(g => g.ToList()).ToList();
        Assert.Contains(levelsByUser, levels => levels[0] == "free" && levels.Contains("paid"));
        Assert.Contains(levelsByUser, levels => levels[0] == "paid" && levels.Contains("free"));
        Assert.Contains(Data.Events, e => e.Page == "Submit Upgrade");
        Assert.Contains(Data.Events, e => e.Page == "Submit Downgrade");
    }

    [Fact]
    public void Has_redirects_not_founds_and_both_methods()
    {
        var statuses = Data.Events.Select(e => e.Json.GetProperty("status").GetInt32()).ToHashSet();
        Assert.Superset(new HashSet<int> { 200, 307, 404 }, statuses);
        Assert.Equal(["GET", "PUT"], Data.Events.Select(e => e.String("method")!).Distinct().Order());
        Assert.All(Data.Events.Where(e => e.Page == "NextSong"), e => Assert.Equal("PUT", e.String("method")));
    }

    [Fact]
    public void Repeats_some_lines_in_the_same_file_and_in_the_next_days_file()
    {
        var copies = Data.Events.GroupBy(e => Text(e.Raw)).Where(g => g.Count() > 1).ToList();
        Assert.Contains(copies, g => g.Select(e => e.RelativePath).Distinct().Count() == 1);
        Assert.Contains(copies, g => g.Select(e => e.RelativePath).Distinct().Count() > 1);
        Assert.InRange(copies.Sum(g => g.Count() - 1), 10, 100);
    }

    [Fact]
    public void Most_plays_match_a_catalogue_song_exactly()
    {
        var exact = Plays.Count(p => Matches(p).Any(s => s.Duration == Length(p)));
        Assert.InRange(exact / (double)Plays.Count(), 0.7, 0.9);
    }

    [Fact]
    public void Some_plays_match_with_a_length_off_by_less_than_a_millisecond()
    {
        Assert.Contains(Plays, p => Matches(p).Any() && Matches(p).All(s => s.Duration != Length(p)));
    }

    [Fact]
    public void Some_plays_of_catalogue_songs_are_off_by_more_than_the_tolerance()
    {
        Assert.Contains(Plays, p => !Matches(p).Any()
            && Data.Songs.Any(s => s.Title == p.String("song") && s.ArtistName == p.String("artist")));
    }

    [Fact]
    public void Some_plays_are_of_songs_not_in_the_catalogue()
    {
        Assert.Contains(Plays, p => !Data.Songs.Any(s => s.Title == p.String("song") && s.ArtistName == p.String("artist")));
    }

    [Fact]
    public void Some_plays_match_several_near_duplicate_songs()
    {
        var duplicates = Data.Songs.GroupBy(s => (s.Title, s.ArtistName, s.Duration)).Where(g => g.Count() > 1).ToList();
        Assert.NotEmpty(duplicates);
        Assert.All(duplicates, g => Assert.Equal(g.Count(), g.Select(s => s.SongId).Distinct().Count()));
        Assert.Contains(Plays, p => Matches(p).Count() > 1);
    }

    [Fact]
    public void Has_songs_with_year_0_null_coordinates_empty_location_and_a_number_as_location()
    {
        Assert.Contains(Data.Songs, s => s.Json.GetProperty("year").GetInt32() == 0);
        Assert.Contains(Data.Songs, s => s.Json.GetProperty("artist_latitude").ValueKind == JsonValueKind.Null
            && s.Json.GetProperty("artist_longitude").ValueKind == JsonValueKind.Null);
        Assert.Contains(Data.Songs, s => s.Json.GetProperty("artist_location").ValueKind == JsonValueKind.String
            && s.Json.GetProperty("artist_location").GetString() == "");
        Assert.Contains(Data.Songs, s => s.Json.GetProperty("artist_location").ValueKind == JsonValueKind.Number);
    }

    [Fact]
    public void Has_artists_with_several_songs_and_artist_ids_spelled_two_ways()
    {
        var byArtist = Data.Songs.GroupBy(s => s.ArtistId).ToList();
        Assert.Contains(byArtist, a => a.Count() >= 3);
        Assert.Contains(byArtist, a => a.Select(s => s.ArtistName).Distinct().Count() > 1);
    }

    [Fact]
    public void Writes_non_ascii_names_both_as_utf8_and_as_escapes()
    {
        Assert.Contains(Data.Songs, s => !Ascii.IsValid(s.ArtistName) || !Ascii.IsValid(s.Title));
        Assert.Contains(Data.Songs, s => !Ascii.IsValid(s.Raw));
        Assert.Contains(Data.Songs, s => Text(s.Raw).Contains("\\u00", StringComparison.Ordinal));
        Assert.Contains(Data.Events, e => !Ascii.IsValid(e.Raw));
        Assert.Contains(Data.Events, e => e.IsPlay && !Ascii.IsValid(e.String("artist")!) && Ascii.IsValid(e.Raw));
    }

    [Fact]
    public void Has_double_encoded_plays_like_the_real_logs()
    {
        Assert.Contains(Plays, p => Text(p.Raw).Contains("\\u00c3", StringComparison.Ordinal));
    }

    [Fact]
    public void Has_titles_with_control_characters_and_quotes()
    {
        Assert.Contains(Data.Songs, s => s.Title.Any(char.IsControl));
        Assert.Contains(Data.Songs, s => s.Title.Contains('"', StringComparison.Ordinal));
    }

    private IEnumerable<SongFile> Matches(EventLine play) => Data.Songs.Where(s =>
        s.Title == play.String("song") && s.ArtistName == play.String("artist") && Math.Abs(s.Duration - Length(play)) < 0.001);

    private static double Length(EventLine play) => play.Json.GetProperty("length").GetDouble();

    private static string Text(byte[] raw) => Encoding.UTF8.GetString(raw);
}
