namespace Sparkify.Stream.Generation;

/// <summary>Writes the catalogue as <c>song_data/X/Y/Z/TR….json</c> files, one song each, in parallel.</summary>
internal static class SongFileWriter
{
    /// <summary>Writes every song file; returns the bytes on disk.</summary>
    public static long WriteAll(string songRoot, SongCatalogue catalogue, bool gzip, Realism realism, CancellationToken ct)
    {
        var songs = catalogue.Songs;
        foreach (var folder in songs.Select(FolderOf).Distinct(StringComparer.Ordinal))
            Directory.CreateDirectory(Path.Combine(songRoot, folder));

        long bytes = 0;
        Parallel.For(0, songs.Length, new ParallelOptions { CancellationToken = ct },
            () => new Utf8Builder(512),
            (i, _, content) =>
            {
                content.Clear();
                var song = realism == Realism.Messy ? Messy(songs[i]) : songs[i];
                Format(song, content, escapeSlash: realism == Realism.Messy && song.Compact);
                var path = Path.Combine(songRoot, FolderOf(songs[i]), OutputFile.Name(songs[i].TrackId + ".json", gzip));
                Interlocked.Add(ref bytes, OutputFile.Write(path, content.Written, gzip));
                return content;
            },
            _ => { });
        return bytes;
    }

    /// <summary><c>X/Y/Z</c>: the 3rd, 4th and 5th characters of the track id.</summary>
    public static string FolderOf(GeneratedSong song) =>
        $"{song.TrackId[2]}{Path.DirectorySeparatorChar}{song.TrackId[3]}{Path.DirectorySeparatorChar}{song.TrackId[4]}";

    /// <summary>
    /// The song as the messy shape writes it: names of <see cref="MessyText.CatalogueText"/>, non-ASCII always as
    /// <c>\u</c> escapes, compact in <see cref="MessyRates.MeasuredCompactSongFiles"/> of the files (by track id).
    /// </summary>
    public static GeneratedSong Messy(GeneratedSong song) => song with
    {
        Title = MessyText.CatalogueText(song.Title)!,
        ArtistName = MessyText.CatalogueText(song.ArtistName)!,
        ArtistLocation = MessyText.InAscii(song.ArtistLocation),
        Spelling = JsonSpelling.AsciiEscaped,
        Compact = song.NumericLocation is not null
            || Seeds.Fraction(song.TrackId) < MessyRates.MeasuredCompactSongFiles,
    };

    /// <summary>
    /// One song as the real files hold it, no trailing newline: compact with sorted keys, or Python-style with spaces;
    /// <paramref name="escapeSlash"/> writes <c>/</c> as <c>\/</c> (the bucket's compact files do).
    /// </summary>
    public static void Format(GeneratedSong song, Utf8Builder json, bool escapeSlash = false)
    {
        var (separator, colon) = song.Compact ? (CompactSeparator, CompactColon) : (PythonSeparator, PythonColon);
        var first = true;
        json.Append((byte)'{');
        foreach (var field in song.Compact ? CompactOrder : PythonOrder)
        {
            if (!first) json.Append(separator);
            first = false;
            json.Append((byte)'"');
            json.AppendAscii(field);
            json.Append((byte)'"');
            json.Append(colon);
            AppendValue(song, field, json, escapeSlash);
        }
        json.Append((byte)'}');
    }

    private static readonly byte[] CompactSeparator = ","u8.ToArray();
    private static readonly byte[] CompactColon = ":"u8.ToArray();
    private static readonly byte[] PythonSeparator = ", "u8.ToArray();
    private static readonly byte[] PythonColon = ": "u8.ToArray();

    private static readonly string[] PythonOrder =
    [
        "num_songs", "artist_id", "artist_latitude", "artist_longitude", "artist_location", "artist_name",
        "song_id", "title", "duration", "year",
    ];

    private static readonly string[] CompactOrder = PythonOrder.Order(StringComparer.Ordinal).ToArray();

    private static void AppendValue(GeneratedSong song, string field, Utf8Builder json, bool escapeSlash)
    {
        switch (field)
        {
            case "num_songs": json.AppendInt(1); break;
            case "artist_id": JsonText.Append(json, song.ArtistId, song.Spelling, escapeSlash); break;
            case "artist_latitude": AppendNullable(song.Latitude, json); break;
            case "artist_longitude": AppendNullable(song.Longitude, json); break;
            case "artist_location" when song.NumericLocation is { } number: json.AppendInt(number); break;
            case "artist_location": JsonText.Append(json, song.ArtistLocation, song.Spelling, escapeSlash); break;
            case "artist_name": JsonText.Append(json, song.ArtistName, song.Spelling, escapeSlash); break;
            case "song_id": JsonText.Append(json, song.SongId, song.Spelling, escapeSlash); break;
            case "title": JsonText.Append(json, song.Title, song.Spelling, escapeSlash); break;
            case "duration": json.AppendDouble(song.Duration); break;
            case "year": json.AppendInt(song.Year); break;
            default: throw new InvalidOperationException($"Unknown song field {field}");
        }
    }

    private static void AppendNullable(double? value, Utf8Builder json)
    {
        if (value is { } v) json.AppendDouble(v);
        else json.Append("null"u8);
    }
}
