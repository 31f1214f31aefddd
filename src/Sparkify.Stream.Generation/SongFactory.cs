namespace Sparkify.Stream.Generation;

/// <summary>Makes the catalogue: several songs per artist, and the quirks of the real song data at fixed rates.</summary>
/// <remarks>
/// Rates: year 0 on 30% of songs; null coordinates on ~50% and an empty location on ~25% of artists; a
/// variant artist name (same artist id) on 10% of an artist's later songs; non-ASCII titles 5%, titles with
/// control characters or quotes 3% (at least one from 50 songs); near-duplicates (same title, artist name and
/// duration, another song id) 2% (at least one from 2 songs); a number as <c>artist_location</c> on 0.2% (at
/// least one from 100 songs). Half the files are compact with sorted keys (the S3 bucket's form), half
/// Python-style with spaces; 75% escape non-ASCII as <c>\u</c>, the rest write UTF-8.
/// </remarks>
internal sealed class SongFactory(GeneratedArtist[] artists, Random rng)
{
    private readonly HashSet<string> _trackIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _songIds = new(StringComparer.Ordinal);
    private readonly HashSet<int> _artistsSeen = [];

    public GeneratedSong[] Create(int count)
    {
        var duplicates = Positions(count >= 2 ? Math.Max(1, count / 50) : 0, count, from: 1);
        var quirkyTitles = Positions(count >= 50 ? Math.Max(1, count * 3 / 100) : 0, count, from: 0);
        var numericLocations = Positions(count >= 100 ? Math.Max(1, count / 500) : 0, count, from: 0);
        var songs = new GeneratedSong[count];
        for (var i = 0; i < count; i++)
        {
            var song = duplicates.Contains(i)
                ? NearDuplicateOf(songs[rng.Next(i)])
                : NewSong(quirkyTitles.Contains(i));
            if (numericLocations.Contains(i)) song = song with { NumericLocation = 1 + rng.Next(99), Compact = true };
            songs[i] = song;
        }
        return songs;
    }

    private GeneratedSong NewSong(bool quirkyTitle)
    {
        // Skewed towards the first artists, so popular artists have many songs.
        var artistIndex = (int)(artists.Length * Math.Pow(rng.NextDouble(), 1.8));
        var artist = artists[artistIndex];
        var name = !_artistsSeen.Add(artistIndex) && rng.NextDouble() < 0.10 ? artist.VariantName : artist.Name;
        var title = quirkyTitle
            ? SongCatalogue.Pick(Vocabulary.QuirkyTitles, rng)
            : rng.NextDouble() < 0.05 ? SongCatalogue.Pick(Vocabulary.NonAsciiTitles, rng) : TitleFactory.Compose(rng);
        var year = rng.NextDouble() < 0.3 ? 0 : 2018 - (int)(58 * Math.Pow(rng.NextDouble(), 2));
        return new GeneratedSong(
            NewTrackId(), NewSongId(), title, artist.Id, name, Duration(), year,
            artist.Location, artist.Latitude, artist.Longitude, NumericLocation: null,
            Compact: rng.NextDouble() < 0.5,
            Spelling: rng.NextDouble() < 0.75 ? JsonSpelling.AsciiEscaped : JsonSpelling.Utf8);
    }

    private GeneratedSong NearDuplicateOf(GeneratedSong original) =>
        original with { TrackId = NewTrackId(), SongId = NewSongId(), Compact = rng.NextDouble() < 0.5 };

    // Seconds with 5 decimals (as the real data), lognormal around 3.7 minutes; the last decimal is never 0.
    private double Duration()
    {
        var seconds = Math.Clamp(Math.Exp(5.4 + 0.35 * Gaussian()), 30, 1200);
        var hundredThousandths = (long)Math.Round(seconds * 100_000);
        if (hundredThousandths % 10 == 0) hundredThousandths += 1 + rng.Next(9);
        return hundredThousandths / 100_000d;
    }

    private double Gaussian() =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private string NewTrackId()
    {
        string id;
        do id = MsdIds.Track(rng); while (!_trackIds.Add(id));
        return id;
    }

    private string NewSongId()
    {
        string id;
        do id = MsdIds.Song(rng); while (!_songIds.Add(id));
        return id;
    }

    private HashSet<int> Positions(int wanted, int count, int from)
    {
        var positions = new HashSet<int>();
        wanted = Math.Min(wanted, count - from);
        while (positions.Count < wanted) positions.Add(from + rng.Next(count - from));
        return positions;
    }
}
