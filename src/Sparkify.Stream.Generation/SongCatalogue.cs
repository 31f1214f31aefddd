namespace Sparkify.Stream.Generation;

/// <summary>A song as the log files name it: what the songplay match compares (docs/semantics.md#songplays).</summary>
internal record Track(string Title, string ArtistName, double Duration);

/// <summary>One song file's content, with how the file spells it.</summary>
internal sealed record GeneratedSong(
    string TrackId, string SongId, string Title, string ArtistId, string ArtistName, double Duration, int Year,
    string ArtistLocation, double? Latitude, double? Longitude, int? NumericLocation, bool Compact, JsonSpelling Spelling)
    : Track(Title, ArtistName, Duration);

/// <summary>The songs written as files, plus songs that only the logs play (not in the catalogue).</summary>
internal sealed class SongCatalogue
{
    private SongCatalogue(GeneratedSong[] songs, Track[] outside)
    {
        Songs = songs;
        Outside = outside;
    }

    public GeneratedSong[] Songs { get; }

    /// <summary>Songs users play that have no song file; never equal to a catalogue song.</summary>
    public Track[] Outside { get; }

    /// <summary>Every playable track: the catalogue first, then <see cref="Outside"/>.</summary>
    public Track this[int index] => index < Songs.Length ? Songs[index] : Outside[index - Songs.Length];

    public int TrackCount => Songs.Length + Outside.Length;

    public static SongCatalogue Build(int songs, int seed)
    {
        var artists = ArtistFactory.Create(songs == 0 ? 0 : Math.Max(1, songs * 2 / 5), Seeds.Create(seed, RandomStream.Artists));
        var catalogue = new SongFactory(artists, Seeds.Create(seed, RandomStream.Songs)).Create(songs);
        var outsideRng = Seeds.Create(seed, RandomStream.OutsideSongs);
        var outside = new Track[Math.Max(50, songs / 2)];
        for (var i = 0; i < outside.Length; i++)
        {
            var artist = outsideRng.NextDouble() < 0.05
                ? Pick(Vocabulary.NonAsciiArtists, outsideRng)
                : ArtistFactory.ComposeName(outsideRng);
            // Durations with 4 decimals never equal a catalogue duration (5 decimals, last digit non-zero).
            outside[i] = new Track(TitleFactory.Compose(outsideRng), artist, Math.Round(60 + outsideRng.NextDouble() * 400, 4));
        }
        return new SongCatalogue(catalogue, outside);
    }

    internal static T Pick<T>(T[] items, Random rng) => items[rng.Next(items.Length)];
}

/// <summary>An artist: one id, a name (sometimes spelled differently on some songs) and a home.</summary>
internal sealed record GeneratedArtist(
    string Id, string Name, string VariantName, string Location, double? Latitude, double? Longitude);

internal static class ArtistFactory
{
    public static GeneratedArtist[] Create(int count, Random rng)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var artists = new GeneratedArtist[count];
        for (var i = 0; i < count; i++)
        {
            string id;
            do id = MsdIds.Artist(rng); while (!ids.Add(id));
            var name = rng.NextDouble() < 0.08 ? SongCatalogue.Pick(Vocabulary.NonAsciiArtists, rng) : ComposeName(rng);
            var variant = name.StartsWith("The ", StringComparison.Ordinal)
                ? name[4..]
                : $"{name} feat. {SongCatalogue.Pick(Vocabulary.FirstNamesMale, rng)}";
            var (place, lat, lon) = SongCatalogue.Pick(Vocabulary.ArtistLocations, rng);
            var location = rng.NextDouble() < 0.25 ? "" : place;
            var located = rng.NextDouble() < 0.5;
            artists[i] = new GeneratedArtist(id, name, variant, location, located ? lat : null, located ? lon : null);
        }
        return artists;
    }

    public static string ComposeName(Random rng)
    {
        var roll = rng.NextDouble();
        if (roll < 0.4)
            return $"The {SongCatalogue.Pick(Vocabulary.ArtistFirstWords, rng)} {SongCatalogue.Pick(Vocabulary.ArtistSecondWords, rng)}";
        if (roll < 0.7)
            return $"{SongCatalogue.Pick(Vocabulary.ArtistFirstWords, rng)} {SongCatalogue.Pick(Vocabulary.ArtistSecondWords, rng)}";
        var first = rng.NextDouble() < 0.5 ? Vocabulary.FirstNamesFemale : Vocabulary.FirstNamesMale;
        return $"{SongCatalogue.Pick(first, rng)} {SongCatalogue.Pick(Vocabulary.LastNames, rng)}";
    }
}

internal static class TitleFactory
{
    public static string Compose(Random rng)
    {
        var roll = rng.NextDouble();
        var title = roll < 0.5
            ? $"{SongCatalogue.Pick(Vocabulary.TitleLeadWords, rng)} {SongCatalogue.Pick(Vocabulary.TitleWords, rng)}"
            : roll < 0.8
                ? $"{SongCatalogue.Pick(Vocabulary.TitleWords, rng)} {SongCatalogue.Pick(Vocabulary.TitleWords, rng)}"
                : SongCatalogue.Pick(Vocabulary.TitleWords, rng);
        return rng.NextDouble() < 0.15 ? title + SongCatalogue.Pick(Vocabulary.TitleSuffixes, rng) : title;
    }
}
