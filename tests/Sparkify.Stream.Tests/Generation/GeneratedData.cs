using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Sparkify.Stream.Generation;

namespace Sparkify.Stream.Tests.Generation;

/// <summary>A song file as written: its path under the output folder, its bytes and its parsed JSON.</summary>
internal sealed record SongFile(string RelativePath, byte[] Raw, JsonElement Json)
{
    public string SongId => Json.GetProperty("song_id").GetString()!;
    public string Title => Json.GetProperty("title").GetString()!;
    public string ArtistId => Json.GetProperty("artist_id").GetString()!;
    public string ArtistName => Json.GetProperty("artist_name").GetString()!;
    public double Duration => Json.GetProperty("duration").GetDouble();
}

/// <summary>One line of a log file: its file, 1-based line number, bytes and parsed JSON.</summary>
internal sealed record EventLine(string RelativePath, DateOnly FileDate, int Line, byte[] Raw, JsonElement Json)
{
    public string? String(string field) => Json.GetProperty(field).ValueKind == JsonValueKind.Null ? null : Json.GetProperty(field).GetString();
    public long Ts => Json.GetProperty("ts").GetInt64();
    public string UserId => Json.GetProperty("userId").GetString()!;
    public string Page => Json.GetProperty("page").GetString()!;
    public bool IsPlay => Page == "NextSong" && UserId.Length > 0;
}

/// <summary>Generates into a fresh temp folder, reads everything back (gunzipping), and deletes the folder when disposed.</summary>
internal sealed class GeneratedData : IDisposable
{
    public static readonly string[] EventFields =
    [
        "artist", "auth", "firstName", "gender", "itemInSession", "lastName", "length", "level", "location",
        "method", "page", "registration", "sessionId", "song", "status", "ts", "userAgent", "userId",
    ];

    private GeneratedData(string root, GeneratorResult result)
    {
        Root = root;
        Result = result;
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        Songs = files.Where(f => f.StartsWith("song_data/", StringComparison.Ordinal))
            .Select(f => { var raw = ReadContent(f); return new SongFile(f, raw, Parse(raw)); })
            .ToList();
        LogFiles = files.Where(f => f.StartsWith("log_data/", StringComparison.Ordinal)).ToList();
        Events = LogFiles.SelectMany(ReadLines).ToList();
    }

    public string Root { get; }
    public GeneratorResult Result { get; }
    public List<SongFile> Songs { get; }
    public List<string> LogFiles { get; }
    public List<EventLine> Events { get; }

    public static GeneratedData Generate(GeneratorOptions options)
    {
        var root = NewTempFolder();
        try
        {
            return new GeneratedData(root, DataGenerator.Generate(options with { OutDir = root }));
        }
        catch
        {
            Directory.Delete(root, recursive: true);
            throw;
        }
    }

    public static string NewTempFolder() =>
        Directory.CreateTempSubdirectory("sparkify-generate-").FullName;

    /// <summary>The bytes of a file, decompressed if it is gzip.</summary>
    public byte[] ReadContent(string relativePath)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Root, relativePath));
        if (!relativePath.EndsWith(".gz", StringComparison.Ordinal)) return bytes;
        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        return plain.ToArray();
    }

    /// <summary>Every file under the root with its bytes as on disk, by relative path.</summary>
    public SortedDictionary<string, byte[]> RawFiles() =>
        new(Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .ToDictionary(p => Path.GetRelativePath(Root, p).Replace('\\', '/'), File.ReadAllBytes), StringComparer.Ordinal);

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private IEnumerable<EventLine> ReadLines(string relativePath)
    {
        var content = ReadContent(relativePath);
        if (content.Length == 0) yield break;
        var date = DateOnly.ParseExact(Path.GetFileName(relativePath)[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var lineNumber = 0;
        for (var start = 0; ;)
        {
            var newline = Array.IndexOf(content, (byte)'\n', start);
            var raw = content[start..(newline < 0 ? content.Length : newline)];
            yield return new EventLine(relativePath, date, ++lineNumber, raw, Parse(raw));
            if (newline < 0) yield break;
            start = newline + 1;
        }
    }

    private static JsonElement Parse(byte[] raw)
    {
        using var document = JsonDocument.Parse(raw);
        return document.RootElement.Clone();
    }
}

/// <summary>The default sample (<c>sparkify generate --out data</c>'s options), generated once for all quirk tests.</summary>
public sealed class DefaultSampleFixture : IDisposable
{
    internal GeneratedData Data { get; } = GeneratedData.Generate(new GeneratorOptions("unused"));

    public void Dispose() => Data.Dispose();
}
