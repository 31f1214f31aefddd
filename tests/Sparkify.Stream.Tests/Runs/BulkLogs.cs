using System.Globalization;
using System.Text;
using Sparkify.Stream.Tests.Semantics;

namespace Sparkify.Stream.Tests.Runs;

/// <summary>
/// Writes log files large enough that a run takes seconds (for the crash tests): realistic event lines,
/// distinct events, 200 users whose level changes, plays of the scenario's songs (some matching, some not).
/// </summary>
public static class BulkLogs
{
    /// <summary>Writes <paramref name="events"/> events into the log file of <paramref name="day"/> (fixed seed).</summary>
    public static void Write(Scenario s, string day, int events, int seed)
    {
        var rng = new Random(seed);
        var start = DateTimeOffset.Parse(day, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds();
        var path = s.LogPath(day);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), bufferSize: 1 << 20);
        var line = new StringBuilder(400);
        for (var i = 0; i < events; i++)
        {
            var user = rng.Next(1, 201);
            var song = rng.Next(20);
            var play = rng.Next(5) != 0;
            line.Clear()
                .Append("{\"artist\":").Append(play ? $"\"Artist {song % 7}\"" : "null")
                .Append(",\"auth\":\"Logged In\",\"firstName\":\"First").Append(user)
                .Append("\",\"gender\":\"").Append(user % 2 == 0 ? 'F' : 'M')
                .Append("\",\"itemInSession\":").Append(i % 100)
                .Append(",\"lastName\":\"Last").Append(user)
                .Append("\",\"length\":").Append(play ? (180 + song + (rng.Next(3) == 0 ? 0.5 : 0)).ToString("R", CultureInfo.InvariantCulture) : "null")
                .Append(",\"level\":\"").Append(rng.Next(4) == 0 ? "paid" : "free")
                .Append("\",\"location\":\"Town ").Append(user % 13)
                .Append(", ST\",\"method\":\"PUT\",\"page\":\"").Append(play ? "NextSong" : "Home")
                .Append("\",\"registration\":1.540919166796E12,\"sessionId\":").Append(i / 100)
                .Append(",\"song\":").Append(play ? $"\"Title {song}\"" : "null")
                .Append(",\"status\":200,\"ts\":").Append(start + i * 200L + rng.Next(100))
                .Append(",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"userId\":\"").Append(user).Append("\"}");
            writer.Write(line);
            writer.Write('\n');
        }
    }

    /// <summary>The songs the bulk plays refer to: "Title n" by "Artist n % 7", 180 + n seconds long.</summary>
    public static void WriteSongs(Scenario s)
    {
        for (var n = 0; n < 20; n++)
            s.Song($"SO{n:D3}", $"Title {n}", $"AR{n % 7}", $"Artist {n % 7}", 180 + n, year: 1990 + n);
    }
}
