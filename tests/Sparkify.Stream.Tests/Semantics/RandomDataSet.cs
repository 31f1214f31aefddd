using System.Globalization;
using System.Text.Json;
using static Sparkify.Stream.Tests.Semantics.Scenario;

namespace Sparkify.Stream.Tests.Semantics;

/// <summary>An input file by its path below a scenario's root ("song_data/…" or "log_data/…").</summary>
public sealed record InputFile(string Path, string Content);

/// <summary>
/// A small random data set (fixed seed) for the order-independence property (docs/semantics.md#order-independence), built to exercise every
/// rule that depends on what else is loaded: one song id in two files with different values, title/artist pairs
/// with several matching songs, an artist whose smallest song id sits in another file, users whose level changes
/// from day to day, ties on ts, plays that match, almost match or do not match, logged-out and non-play events,
/// and events duplicated within a day and across days.
/// </summary>
public static class RandomDataSet
{
    private static readonly (string Id, string Name)[] Artists = [("AR1", "Band One"), ("AR2", "Band Two"), ("AR3", "Trio")];
    private static readonly string[] Titles = ["Alpha", "Beta", "Gamma"];

    public static IReadOnlyList<InputFile> Build(int seed, int days = 5, int eventsPerDay = 24)
    {
        var rng = new Random(seed);
        var songs = Enumerable.Range(1, 8).Select(i =>
        {
            var (artistId, artistName) = Artists[rng.Next(Artists.Length)];
            return new SongSpec($"SO{i:D2}", Titles[rng.Next(Titles.Length)], artistId, artistName,
                100 + rng.Next(4) * 10, rng.Next(2) == 0 ? "" : $"City {i}");
        }).ToList();
        songs.Add(songs[2] with { SongId = "SO09", Location = "Elsewhere" });          // a second match for SO03's plays
        var files = new List<InputFile>
        {
            SongFile("song_data/A/A/TRAAA.json", songs[0], songs[1], songs[2]),
            SongFile("song_data/A/B/TRABB.json", songs[3], songs[4]),
            SongFile("song_data/B/A/TRBAA.json", songs[5], songs[4] with { Title = "Other title", Duration = 99 }),
            SongFile("song_data/B/B/TRBBB.json", songs[6], songs[7], songs[8]),
        };

        var level = Enumerable.Range(0, 7).Select(_ => rng.Next(2) == 0 ? "free" : "paid").ToArray();
        var logs = new List<List<string>>();
        for (var d = 1; d <= days; d++)
        {
            var lines = new List<string>();
            var items = new int[7];
            for (var i = 0; i < eventsPerDay; i++)
            {
                int? user = rng.Next(10) == 0 ? null : rng.Next(1, 7);
                if (user is { } u && rng.Next(6) == 0) level[u] = level[u] == "free" ? "paid" : "free";
                var ts = new DateTime(2018, 11, d, 0, 0, 0, DateTimeKind.Utc)
                    .AddSeconds(rng.Next(86_400)).AddMilliseconds(rng.Next(1000));
                var song = songs[rng.Next(songs.Count)];
                var (title, artist, length) = rng.Next(5) switch
                {
                    0 or 1 => (song.Title, song.ArtistName, song.Duration),
                    2 => (song.Title, song.ArtistName, song.Duration + 0.0004),     // within the tolerance
                    3 => (song.Title, song.ArtistName, song.Duration + 0.002),      // just outside it
                    _ => ("Unknown", song.ArtistName, song.Duration),
                };
                lines.Add(Event(Iso(ts), user, level: user is { } v ? level[v] : "free", song: title, artist: artist,
                    length: length, page: rng.Next(4) == 0 ? "Home" : "NextSong", sessionId: d * 10 + (user ?? 0),
                    itemInSession: items[user ?? 0]++, firstName: $"Name{user}{d % 2}"));
            }
            logs.Add(lines);
        }
        // User 3's latest events tie on ts, in the first and the last day's files: the greater event id gives the
        // user row, whichever file is loaded first (and a file may hold an event of another day).
        var last = $"2018-11-{days:D2}T23:59:59.999Z";
        logs[0].Add(Event(last, 3, level: "free", page: "Home", sessionId: 91, firstName: "TieA"));
        logs[days - 1].Add(Event(last, 3, level: "paid", page: "Home", sessionId: 92, firstName: "TieB"));
        // Exact duplicates: one within a day, and lines copied into other days' files.
        logs[0].Insert(rng.Next(logs[0].Count), logs[0][rng.Next(logs[0].Count)]);
        foreach (var target in logs)
            for (var k = 0; k < 3; k++)
            {
                var from = logs[rng.Next(logs.Count)];
                target.Insert(rng.Next(target.Count + 1), from[rng.Next(from.Count)]);
            }
        for (var d = 1; d <= days; d++)
            files.Add(new InputFile($"log_data/2018/11/2018-11-{d:D2}-events.json", string.Join("\n", logs[d - 1])));
        return files;
    }

    private static string Iso(DateTime ts) => ts.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static InputFile SongFile(string path, params SongSpec[] songs) => new(path, JsonSerializer.Serialize(
        songs.Select(s => new Dictionary<string, object?>
        {
            ["num_songs"] = 1,
            ["artist_id"] = s.ArtistId,
            ["artist_latitude"] = null,
            ["artist_location"] = s.Location,
            ["artist_longitude"] = null,
            ["artist_name"] = s.ArtistName,
            ["song_id"] = s.SongId,
            ["title"] = s.Title,
            ["duration"] = s.Duration,
            ["year"] = 2000,
        })));

    private sealed record SongSpec(string SongId, string Title, string ArtistId, string ArtistName, double Duration, string Location);
}
