using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Sparkify.Stream.IntegrationTests.Postgres;

/// <summary>
/// A generated-looking data set, deterministic from its seed: thousands of songs (single-object, array and gzipped
/// files; repeated song ids; near-duplicate songs) and several days of events (sessions, level changes, logged-out
/// visitors, matching and non-matching plays, duplicates within and across files, ties on ts). Also a few rows
/// whose order differs between byte order and a language's collation.
/// </summary>
internal sealed class SyntheticDataSet
{
    public static readonly DateOnly FirstDay = new(2018, 11, 1);
    public const int Days = 6;

    private static readonly string[] Words =
    [
        "Love", "Night", "Blue", "Fire", "Dream", "Rain", "Heart", "Road", "Gold", "Song", "Café", "Björk", "Mañana",
        "日本", "夜", "Straße", "Ørsted", "Zoë", "🎵", "river", "city", "a", "Z", "_under", "0800",
    ];

    private static readonly string[] Pages = ["Home", "Settings", "Logout", "About", "Help", "Upgrade"];
    private static readonly string[] Agents = ["Mozilla/5.0 (Macintosh)", "Mozilla/5.0 (Windows NT 6.1)", "Opera/9.80 «ü»"];

    private readonly Random _rng;
    private readonly List<Song> _songs = [];
    private readonly List<User> _users = [];
    private int _session = 100;

    private SyntheticDataSet(int seed) => _rng = new Random(seed);

    private sealed record Artist(string Id, string Name, string Location, double? Latitude, double? Longitude);

    private sealed record Song(string Id, string Title, Artist Artist, double Duration, int Year);

    private sealed class User(int id, string first, string last, string gender, string location)
    {
        public int Id => id;
        public string First => first;
        public string Last => last;
        public string Gender => gender;
        public string Location => location;
        public string Level { get; set; } = "free";
    }

    /// <summary>Writes song_data/ and log_data/ under the two folders; returns (songs, events) written.</summary>
    public static (int Songs, int Events) Write(string songDir, string logDir, int seed = 20181101)
    {
        var data = new SyntheticDataSet(seed);
        var songs = data.WriteSongs(songDir);
        var events = data.WriteLogs(logDir);
        return (songs, events);
    }

    private string Code(int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return string.Create(length, _rng, (span, rng) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = alphabet[rng.Next(alphabet.Length)];
        });
    }

    private string Phrase(int words) =>
        string.Join(" ", Enumerable.Range(0, words).Select(_ => Words[_rng.Next(Words.Length)]));

    private int WriteSongs(string songDir)
    {
        var artists = Enumerable.Range(0, 400).Select(_ => new Artist("AR" + Code(16), Phrase(1 + _rng.Next(3)),
            _rng.Next(5) == 0 ? "" : Phrase(2), _rng.Next(3) == 0 ? null : Math.Round(_rng.NextDouble() * 180 - 90, 5),
            _rng.Next(3) == 0 ? null : Math.Round(_rng.NextDouble() * 360 - 180, 5))).ToList();
        for (var i = 0; i < 3000; i++)
        {
            _songs.Add(new Song("SO" + Code(16), Phrase(1 + _rng.Next(4)), artists[_rng.Next(artists.Count)],
                Math.Round(60 + _rng.NextDouble() * 540, 5), _rng.Next(4) == 0 ? 0 : 1960 + _rng.Next(60)));
        }
        // Near-duplicates: same title and artist, durations within the match tolerance (the smallest song_id wins).
        foreach (var s in _songs.Take(60).ToList()) _songs.Add(s with { Id = "SO" + Code(16), Duration = s.Duration + 0.0004 });
        // Byte order vs language order: 'SOa…' sorts after 'SOB…' by bytes, before it in en-US.
        _songs.Add(new Song("SOaCOLLATE", "Lower", new Artist("ARCOLLATE", "Named by SOa", "a", 1, 2), 100, 2001));
        _songs.Add(new Song("SOBCOLLATE", "Upper", new Artist("ARCOLLATE", "Named by SOB", "B", 3, 4), 100, 2002));

        var files = 0;
        var written = 0;
        for (var i = 0; i < _songs.Count;)
        {
            var take = _rng.Next(7) == 0 ? 2 + _rng.Next(3) : 1;
            var group = _songs.Skip(i).Take(take).ToList();
            i += group.Count;
            var id = group[0].Id;
            WriteSongFile(songDir, $"{id[2]}/{id[3]}/{id[4]}/TR{Code(16)}", group, gzip: files++ % 25 == 0);
            written += group.Count;
        }
        // The same song id again in other files with other values: the smallest source key wins.
        foreach (var s in _songs.Skip(100).Take(40).ToList())
        {
            WriteSongFile(songDir, $"{s.Id[2]}/{s.Id[3]}/{s.Id[4]}/TR{Code(16)}", [s with { Title = s.Title + " (live)" }], false);
            written++;
        }
        // ... where byte order and en-US order disagree on which key is smallest ('B' < 'a' by bytes).
        var twice = _songs[^1];
        WriteSongFile(songDir, "A/a/X/TRTWICE", [twice with { Title = "From a" }], false);
        WriteSongFile(songDir, "A/B/X/TRTWICE", [twice with { Title = "From B" }], false);
        return written + 2;
    }

    private static void WriteSongFile(string songDir, string name, IReadOnlyList<Song> songs, bool gzip)
    {
        var objects = songs.Select(s => new Dictionary<string, object?>
        {
            ["num_songs"] = 1,
            ["artist_id"] = s.Artist.Id,
            ["artist_latitude"] = s.Artist.Latitude,
            ["artist_longitude"] = s.Artist.Longitude,
            ["artist_location"] = s.Artist.Location,
            ["artist_name"] = s.Artist.Name,
            ["song_id"] = s.Id,
            ["title"] = s.Title,
            ["duration"] = s.Duration,
            ["year"] = s.Year,
        }).ToList();
        var json = objects.Count == 1 ? JsonSerializer.SerializeToUtf8Bytes(objects[0]) : JsonSerializer.SerializeToUtf8Bytes(objects);
        var path = Path.Combine(songDir, name + (gzip ? ".json.gz" : ".json"));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (!gzip)
        {
            File.WriteAllBytes(path, json);
            return;
        }
        using var file = File.Create(path);
        using var zip = new GZipStream(file, CompressionLevel.Fastest);
        zip.Write(json);
    }

    private int WriteLogs(string logDir)
    {
        for (var id = 1; id <= 120; id++)
        {
            if (id % 17 == 0) continue;
            _users.Add(new User(id, Phrase(1), Phrase(1), _rng.Next(2) == 0 ? "F" : "M", Phrase(2)) { Level = _rng.Next(3) == 0 ? "paid" : "free" });
        }
        var carried = new List<string>();
        var total = 0;
        for (var d = 0; d < Days; d++)
        {
            var day = FirstDay.AddDays(d);
            var lines = new List<string>(carried);
            carried.Clear();
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();
            for (var session = 0; session < 110; session++)
            {
                foreach (var line in Session(start + (long)(_rng.NextDouble() * 80_000_000)))
                {
                    lines.Add(line);
                    if (_rng.Next(40) == 0) lines.Add(line);                   // duplicate in the same file
                    if (_rng.Next(60) == 0) carried.Add(line);                 // ... and in the next day's file
                }
            }
            var path = Path.Combine(logDir, $"{day:yyyy}", $"{day:MM}", $"{day:yyyy-MM-dd}-events.json");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, string.Join("\n", lines), new UTF8Encoding(false));
            total += lines.Count;
        }
        return total;
    }

    private IEnumerable<string> Session(long ts)
    {
        var sessionId = _session++;
        var loggedOut = _rng.Next(15) == 0;
        var user = _users[_rng.Next(_users.Count)];
        if (!loggedOut && _rng.Next(4) == 0) user.Level = user.Level == "free" ? "paid" : "free";
        var items = 3 + _rng.Next(12);
        for (var item = 0; item < items; item++)
        {
            ts += 1_000 + _rng.Next(300_000);
            yield return Line(ts, sessionId, item, loggedOut ? null : user);
            // A tie: the same user at the same millisecond in another session, with the other level.
            if (!loggedOut && _rng.Next(150) == 0)
            {
                user.Level = user.Level == "free" ? "paid" : "free";
                yield return Line(ts, sessionId + 100_000, item, user);
            }
        }
    }

    private string Line(long ts, int sessionId, int item, User? user)
    {
        string page = user is null ? (_rng.Next(2) == 0 ? "Home" : "Login")
            : _rng.Next(5) == 0 ? Pages[_rng.Next(Pages.Length)] : "NextSong";
        string? song = null, artist = null;
        double? length = null;
        if (page == "NextSong" || (user is null && _rng.Next(3) == 0))
        {
            if (_rng.Next(3) > 0)
            {
                var s = _songs[_rng.Next(_songs.Count)];
                var jitter = _rng.Next(10) switch { 0 => 0.002, 1 => -0.0004, 2 => 0.0009, _ => 0.0 };
                (song, artist, length) = (s.Title, s.Artist.Name, Math.Round(s.Duration + jitter, 5));
            }
            else
            {
                (song, artist, length) = (Phrase(2) + " (unknown)", Phrase(1), Math.Round(30 + _rng.NextDouble() * 600, 5));
            }
        }
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["artist"] = artist,
            ["auth"] = user is null ? "Logged Out" : "Logged In",
            ["firstName"] = user?.First,
            ["gender"] = user?.Gender,
            ["itemInSession"] = item,
            ["lastName"] = user?.Last,
            ["length"] = length,
            ["level"] = user?.Level ?? "free",
            ["location"] = user?.Location,
            ["method"] = page == "NextSong" ? "PUT" : "GET",
            ["page"] = page,
            ["registration"] = user is null ? null : 1.540919166796E12 + user.Id,
            ["sessionId"] = sessionId,
            ["song"] = song,
            ["status"] = 200,
            ["ts"] = ts,
            ["userAgent"] = user is null ? null : Agents[user.Id % Agents.Length],
            ["userId"] = user?.Id.ToString(CultureInfo.InvariantCulture) ?? "",
        });
    }
}
