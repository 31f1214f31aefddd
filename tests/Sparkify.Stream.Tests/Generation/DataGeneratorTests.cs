using System.Text.Json;
using System.Text.RegularExpressions;
using Sparkify.Stream.Generation;
using Sparkify.Stream.Records;

namespace Sparkify.Stream.Tests.Generation;

public sealed partial class DataGeneratorTests
{
    private static readonly GeneratorOptions Small = new("unused") { Songs = 60, Events = 3_000, Users = 20, Days = 2 };

    [Fact]
    public void Same_options_give_byte_identical_files()
    {
        using var first = GeneratedData.Generate(Small);
        using var second = GeneratedData.Generate(Small);
        var a = first.RawFiles();
        var b = second.RawFiles();
        Assert.Equal(a.Keys, b.Keys);
        foreach (var (path, bytes) in a) Assert.True(bytes.AsSpan().SequenceEqual(b[path]), $"{path} differs");
    }

    [Fact]
    public void Another_seed_gives_other_files()
    {
        using var first = GeneratedData.Generate(Small);
        using var second = GeneratedData.Generate(Small with { Seed = 43 });
        Assert.NotEqual(first.Songs.Select(s => s.RelativePath), second.Songs.Select(s => s.RelativePath));
        Assert.NotEqual(first.Events.Select(e => e.Ts), second.Events.Select(e => e.Ts));
    }

    [Fact]
    public void Writes_one_file_per_song_in_folders_named_by_the_track_id()
    {
        using var data = GeneratedData.Generate(Small);
        Assert.Equal(60, data.Songs.Count);
        foreach (var song in data.Songs) Assert.Matches(SongPath(), song.RelativePath);
        Assert.Equal(60, data.Songs.Select(s => s.SongId).Distinct().Count());
    }

    [Fact]
    public void Writes_one_log_file_per_day_from_the_start_date()
    {
        using var data = GeneratedData.Generate(Small with { Days = 3, Start = new DateOnly(2018, 12, 30) });
        Assert.Equal(
            ["log_data/2018/12/2018-12-30-events.json", "log_data/2018/12/2018-12-31-events.json", "log_data/2019/01/2019-01-01-events.json"],
            data.LogFiles);
    }

    [Fact]
    public void Events_counts_every_line_written_duplicates_included()
    {
        using var data = GeneratedData.Generate(Small with { Events = 1_001, Days = 3 });
        Assert.Equal(1_001, data.Events.Count);
        Assert.Equal([334, 334, 333], data.LogFiles.Select(f => data.Events.Count(e => e.RelativePath == f)));
    }

    [Fact]
    public void Result_reports_what_is_on_disk()
    {
        using var data = GeneratedData.Generate(Small);
        Assert.Equal(new GeneratorResult(60, 2, 3_000, data.RawFiles().Values.Sum(b => (long)b.Length)), data.Result);
    }

    [Fact]
    public void Files_do_not_end_with_a_newline()
    {
        using var data = GeneratedData.Generate(Small);
        foreach (var (path, bytes) in data.RawFiles()) Assert.False(bytes[^1] == (byte)'\n', $"{path} ends with a newline");
    }

    [Fact]
    public void Every_line_has_the_18_fields_in_the_real_order()
    {
        using var data = GeneratedData.Generate(Small);
        foreach (var e in data.Events)
            Assert.Equal(GeneratedData.EventFields, e.Json.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Every_ts_is_inside_its_files_day_unless_the_line_repeats_one_of_the_day_before()
    {
        using var data = GeneratedData.Generate(Small with { Days = 3 });
        var late = 0;
        foreach (var e in data.Events)
        {
            var dayStart = UserPool.EpochMs(e.FileDate);
            if (e.Ts >= dayStart && e.Ts < dayStart + UserPool.DayMs) continue;
            late++;
            Assert.Contains(data.Events, o => o.FileDate == e.FileDate.AddDays(-1) && o.Raw.AsSpan().SequenceEqual(e.Raw));
        }
        Assert.True(late > 0, "expected late copies of the previous day's last lines");
    }

    [Fact]
    public void Song_files_hold_one_object_with_the_ten_fields_and_18_character_ids()
    {
        using var data = GeneratedData.Generate(Small);
        string[] fields = ["num_songs", "artist_id", "artist_latitude", "artist_longitude", "artist_location", "artist_name", "song_id", "title", "duration", "year"];
        foreach (var song in data.Songs)
        {
            Assert.Equal(JsonValueKind.Object, song.Json.ValueKind);
            Assert.Equal(fields.Order(), song.Json.EnumerateObject().Select(p => p.Name).Order());
            Assert.Matches("^SO[A-Z0-9]{16}$", song.SongId);
            Assert.Matches("^AR[A-Z0-9]{16}$", song.ArtistId);
        }
    }

    [Fact]
    public void Song_files_come_in_both_real_layouts()
    {
        using var data = GeneratedData.Generate(Small);
        Assert.Contains(data.Songs, s => s.Raw.AsSpan().StartsWith("{\"num_songs\": 1, \"artist_id\": \"AR"u8));
        Assert.Contains(data.Songs, s => s.Raw.AsSpan().StartsWith("{\"artist_id\":\"AR"u8));
    }

    [Fact]
    public void Gzip_writes_the_same_bytes_compressed()
    {
        using var plain = GeneratedData.Generate(Small);
        using var gzip = GeneratedData.Generate(Small with { Gzip = true });
        var plainFiles = plain.RawFiles();
        var gzipFiles = gzip.RawFiles();
        Assert.Equal(plainFiles.Keys.Select(k => k + ".gz"), gzipFiles.Keys);
        foreach (var (path, bytes) in plainFiles)
            Assert.True(bytes.AsSpan().SequenceEqual(gzip.ReadContent(path + ".gz")), $"{path}.gz differs");
        Assert.Equal(gzipFiles.Values.Sum(b => (long)b.Length), gzip.Result.Bytes);
    }

    [Fact]
    public void Every_record_passes_the_projects_own_parsers()
    {
        using var data = GeneratedData.Generate(Small);
        var rejects = new List<Reject>();
        var songs = new List<SongRecord>();
        foreach (var song in data.Songs) new SongFileParser().Parse(song.Raw, song.RelativePath, songs, rejects);
        var events = new List<LogEvent>();
        foreach (var file in data.LogFiles)
            new LogEventParser().ParseLines(data.ReadContent(file), 1, fileStart: true, file, events, rejects);
        Assert.Empty(rejects);
        Assert.Equal(data.Songs.Count, songs.Count);
        Assert.Equal(data.Events.Count, events.Count);
    }

    [Fact]
    public void Zero_songs_and_zero_events_still_write_the_day_files()
    {
        using var data = GeneratedData.Generate(Small with { Songs = 0, Events = 0 });
        Assert.Empty(data.Songs);
        Assert.Equal(2, data.LogFiles.Count);
        Assert.All(data.LogFiles, f => Assert.Empty(data.ReadContent(f)));
        Assert.Equal(new GeneratorResult(0, 2, 0, 0), data.Result);
    }

    [Fact]
    public void Tiny_runs_still_give_valid_lines()
    {
        using var data = GeneratedData.Generate(Small with { Songs = 1, Events = 5, Users = 1, Days = 3 });
        Assert.Equal(5, data.Events.Count);
        Assert.Single(data.Songs);
    }

    [Fact]
    public void A_cancelled_token_stops_the_run()
    {
        var root = GeneratedData.NewTempFolder();
        try
        {
            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => DataGenerator.Generate(Small with { OutDir = root }, cancelled.Token));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [GeneratedRegex("^song_data/([AB])/([A-Z])/([A-Z])/TR\\1\\2\\3[A-Z0-9]{13}\\.json$")]
    private static partial Regex SongPath();
}
