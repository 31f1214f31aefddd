using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Sparkify.Stream.Configuration;
using Sparkify.Stream.Jobs;
using Sparkify.Stream.Pipeline;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Staging;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Tests.Semantics;

/// <summary>
/// A throwaway data folder (song_data/ + log_data/) written by a test, and runs of the real pipeline over it into
/// a warehouse the test supplies. Shared by the DuckDB unit tests and the Postgres integration tests.
/// </summary>
public sealed class Scenario : IDisposable
{
    public Scenario()
    {
        Root = Directory.CreateTempSubdirectory("sparkify-scenario-").FullName;
        Directory.CreateDirectory(SongDir);
        Directory.CreateDirectory(LogDir);
    }

    public string Root { get; }
    public string SongDir => Path.Combine(Root, "song_data");
    public string LogDir => Path.Combine(Root, "log_data");
    public string StagingDir => Path.Combine(Root, "staging");

    /// <summary>Writes a song file holding one song object.</summary>
    public Scenario Song(string songId, string title, string artistId, string artistName, double duration,
        int year = 2000, string? location = "Somewhere", double? latitude = null, double? longitude = null,
        string? file = null)
    {
        var json = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["num_songs"] = 1,
            ["artist_id"] = artistId,
            ["artist_latitude"] = latitude,
            ["artist_location"] = location ?? "",
            ["artist_longitude"] = longitude,
            ["artist_name"] = artistName,
            ["song_id"] = songId,
            ["title"] = title,
            ["duration"] = duration,
            ["year"] = year,
        });
        var name = file ?? $"A/B/C/TR{songId}.json";
        var path = Path.Combine(SongDir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json, new UTF8Encoding(false));
        return this;
    }

    /// <summary>The smallest input that makes a songplay: song SO1 ("Song" by "Band") and, on 2018-11-01, one play of it.</summary>
    public Scenario OneSongplay() =>
        Song("SO1", "Song", "AR1", "Band", 200.0)
            .Log("2018-11-01", Event("2018-11-01T10:00:00Z", 1, song: "Song", artist: "Band", length: 200.0));

    /// <summary>Writes a log file for <paramref name="day"/> holding the given event lines.</summary>
    public Scenario Log(string day, params string[] lines)
    {
        var date = DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var path = Path.Combine(LogDir, $"{date:yyyy}", $"{date:MM}", $"{day}-events.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Join("\n", lines), new UTF8Encoding(false));
        return this;
    }

    public void DeleteLog(string day)
    {
        var date = DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        File.Delete(Path.Combine(LogDir, $"{date:yyyy}", $"{date:MM}", $"{day}-events.json"));
    }

    public void DeleteSongs() => Directory.Delete(SongDir, recursive: true);

    /// <summary>The path of the log file for <paramref name="day"/>.</summary>
    public string LogPath(string day)
    {
        var date = DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return Path.Combine(LogDir, $"{date:yyyy}", $"{date:MM}", $"{day}-events.json");
    }

    /// <summary>Writes an input file by its path below the root ("song_data/…" or "log_data/…").</summary>
    public string WriteInput(string relativePath, string content)
    {
        var path = Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    /// <summary>Deletes every input file (the folders stay, so the sources still list them as empty).</summary>
    public void ClearInputs()
    {
        foreach (var dir in new[] { SongDir, LogDir })
            foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)) File.Delete(file);
    }

    private DateTime _lastTouch = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// Gives a file a modification time no earlier write had, so its ledger version (size + mtime) is new even when
    /// its size is not: a test's "changed file" never depends on the file system's timestamp resolution.
    /// </summary>
    public void Touch(string path)
    {
        _lastTouch = _lastTouch.AddSeconds(1);
        File.SetLastWriteTimeUtc(path, _lastTouch);
    }

    /// <summary>One event line, the real data's shape; page NextSong unless given.</summary>
    public static string Event(string ts, int? userId, string level = "free", string? song = null,
        string? artist = null, double? length = null, string page = "NextSong", int sessionId = 1,
        int itemInSession = 0, string firstName = "Ann", string lastName = "Lee", string gender = "F",
        string location = "Town, ST", string userAgent = "Mozilla/5.0")
    {
        var when = DateTimeOffset.Parse(ts, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["artist"] = artist,
            ["auth"] = userId is null ? "Logged Out" : "Logged In",
            ["firstName"] = userId is null ? null : firstName,
            ["gender"] = userId is null ? null : gender,
            ["itemInSession"] = itemInSession,
            ["lastName"] = userId is null ? null : lastName,
            ["length"] = length,
            ["level"] = level,
            ["location"] = userId is null ? null : location,
            ["method"] = "PUT",
            ["page"] = page,
            ["registration"] = 1540919166796.0,
            ["sessionId"] = sessionId,
            ["song"] = song,
            ["status"] = 200,
            ["ts"] = when.ToUnixTimeMilliseconds(),
            ["userAgent"] = userAgent,
            ["userId"] = userId?.ToString(CultureInfo.InvariantCulture) ?? "",
        });
    }

    /// <summary>Runs one batch pass over this scenario's folders into <paramref name="warehouse"/>.</summary>
    /// <param name="onPhase">Awaited as each phase of the run starts ("ingest", "load_staging/…", "merge/…",
    /// "commit"): where a test looks inside the load transaction or injects a failure.</param>
    internal async Task<RunReport> RunAsync(IWarehouse warehouse, DateRange? range = null, bool replace = false,
        bool reload = false, string maxRejects = "1%", Func<string, Task>? onPhase = null)
    {
        var options = new SparkifyOptions
        {
            Songs = SongDir,
            Logs = LogDir,
            Staging = StagingDir,
            Batch = true,
            Range = range ?? DateRange.All,
            Mode = replace ? RunMode.Replace : RunMode.Load,
            Reload = reload,
            MaxRejects = RejectLimit.Parse(maxRejects),
            Parallelism = 2,
        };
        var infrastructure = new Infrastructure(new LocalFolderSource(SongDir), new LocalFolderSource(LogDir),
            new LocalStagingStore(StagingDir), warehouse, new PipelineOptions(2));
        return await new RunJob(options, infrastructure, NullLogger.Instance,
            onPhase: onPhase is null ? null : (phase, _) => onPhase(phase)).RunOnceAsync(CancellationToken.None);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Reads star tables as sorted, typed-to-text rows, so two warehouses can be compared exactly.</summary>
public static class Tables
{
    internal static async Task<List<string>> DumpAsync(IWarehouse warehouse, string table)
    {
        var result = await warehouse.QueryAsync($"SELECT * FROM {SqlText.Identifier(table)}", CancellationToken.None);
        return [.. result.Rows.Select(r => string.Join("|", r.Select(Format))).Order(StringComparer.Ordinal)];
    }

    internal static async Task<Dictionary<string, List<string>>> DumpAllAsync(IWarehouse warehouse)
    {
        var all = new Dictionary<string, List<string>>();
        foreach (var table in StarTables.All) all[table] = await DumpAsync(warehouse, table);
        return all;
    }

    internal static string Format(object? value) => value switch
    {
        null => "NULL",
        DateTime dt => dt.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
