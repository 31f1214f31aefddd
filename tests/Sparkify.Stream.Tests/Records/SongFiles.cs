using System.Text;
using Sparkify.Stream.Records;

namespace Sparkify.Stream.Tests.Records;

/// <summary>Hand-written song files: one valid song, and variants with a field replaced, added or removed.</summary>
internal static class SongFiles
{
    public const string Key = "song_data/A/B/C/TRABCEI128F424C983.json";

    /// <summary>A valid song in the shape of the course's local files (spaces after ':' and ',').</summary>
    private static readonly (string Name, string Json)[] Fields =
    [
        ("num_songs", "1"),
        ("artist_id", "\"ARJIE2Y1187B994AB7\""),
        ("artist_latitude", "35.14968"),
        ("artist_longitude", "-90.04892"),
        ("artist_location", "\"Memphis, TN\""),
        ("artist_name", "\"Line Renaud\""),
        ("song_id", "\"SOUPIRU12A6D4FA1E1\""),
        ("title", "\"Der Kleine Dompfaff\""),
        ("duration", "152.92036"),
        ("year", "1995"),
    ];

    public static readonly string Song = SongWith();

    /// <summary>The base song with each named field set to the given raw JSON (null removes the field).</summary>
    public static string SongWith(params (string Name, string? Json)[] changes)
    {
        var fields = Fields.Select(f => (f.Name, Json: (string?)f.Json)).ToList();
        foreach (var (name, json) in changes)
        {
            var at = fields.FindIndex(f => f.Name == name);
            if (at >= 0) fields[at] = (name, json);
            else fields.Add((name, json));
        }

        return "{" + string.Join(", ", fields.Where(f => f.Json is not null).Select(f => $"\"{f.Name}\": {f.Json}")) + "}";
    }

    public static string SongWith(string field, string? json) => SongWith((field, json));

    public static (int Read, List<SongRecord> Songs, List<Reject> Rejects) Parse(byte[] content)
    {
        var songs = new List<SongRecord>();
        var rejects = new List<Reject>();
        var read = new SongFileParser().Parse(content, Key, songs, rejects);
        Assert.Equal(read, songs.Count + rejects.Count);
        return (read, songs, rejects);
    }

    public static (int Read, List<SongRecord> Songs, List<Reject> Rejects) Parse(string content) =>
        Parse(Encoding.UTF8.GetBytes(content));

    public static SongRecord Valid(string content)
    {
        var (_, songs, rejects) = Parse(content);
        Assert.Empty(rejects);
        return Assert.Single(songs);
    }

    public static Reject Rejected(string content, string reason, string? field)
    {
        var (_, songs, rejects) = Parse(content);
        Assert.Empty(songs);
        var reject = Assert.Single(rejects);
        Assert.Equal((reason, field), (reject.Reason, reject.Field));
        Assert.Equal("song", reject.Kind);
        Assert.Equal(Key, reject.SourceKey);
        return reject;
    }
}
