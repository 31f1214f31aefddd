using System.Globalization;
using Parquet.Schema;
using Sparkify.Stream.Generation;
using Sparkify.Stream.Pipeline;
using Sparkify.Stream.Records;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Staging;

namespace Sparkify.Stream.Tests.Staging;

/// <summary>
/// A real run's staging, made once for the tests that read it back: generated data (<c>sparkify generate</c>'s
/// generator, with bad lines) plus hand-made files of extreme values, through the ingest pipeline with row groups of
/// 50 rows and parts of 100, so every table has several parts and row groups. Beside it, what the run must have
/// staged: each source file parsed on its own, as canonical rows (<see cref="Exact"/>) per table.
/// </summary>
public sealed class StagedRun : IAsyncLifetime
{
    private const string RunId = "run-1";

    /// <summary>Sorts above every other code point in UTF-8 bytes, but below U+E000 in UTF-16 code units.</summary>
    public const string Emoji = "🎵";

    /// <summary>A title whose UTF-8 is over the statistics' 4 KiB limit and the greatest string of its chunk.</summary>
    public static readonly string LongTitle = string.Concat(Enumerable.Repeat("\U0010FFFD", 1_100));

    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-staged-run-").FullName;

    public string Staging => Path.Combine(_dir, "staging", "runs", RunId);

    /// <summary>Every table's expected rows, canonical and unordered (the writer lanes interleave row groups).</summary>
    public Dictionary<string, List<string>> Expected { get; } = [];

    /// <summary>The staging tables by name, each with its Parquet schema.</summary>
    public static IReadOnlyDictionary<string, ParquetSchema> Schemas { get; } =
        new[] { EventColumns.Table, SongColumns.Table, FileColumns.Table }.ToDictionary(t => t.Name, StagingParquet.For);

    public async Task InitializeAsync()
    {
        DataGenerator.Generate(new GeneratorOptions(_dir) { Events = 3_000, Songs = 120, Days = 3, BadLines = 2 });
        await File.WriteAllTextAsync(Path.Combine(_dir, "log_data", "2018", "11", "2018-11-20-events.json"), ExtremeEvents());
        Directory.CreateDirectory(Path.Combine(_dir, "song_data", "Z", "Z"));
        var songs = ExtremeSongs();
        for (var i = 0; i < songs.Length; i++)
            await File.WriteAllTextAsync(Path.Combine(_dir, "song_data", "Z", "Z", $"TRZZZ{i:D3}.json"), songs[i]);

        var songSource = new LocalFolderSource(Path.Combine(_dir, "song_data"));
        var logSource = new LocalFolderSource(Path.Combine(_dir, "log_data"));
        var files = new List<SourceObject>();
        await foreach (var f in songSource.ListAsync(RecordKind.Song, DateRange.All, CancellationToken.None)) files.Add(f);
        await foreach (var f in logSource.ListAsync(RecordKind.Event, DateRange.All, CancellationToken.None)) files.Add(f);
        var options = new PipelineOptions(2, ChunkBytes: 8192, SmallFilesPerChunk: 7);
        var pipeline = new IngestPipeline(f => f.Kind == RecordKind.Song ? songSource : logSource, options);
        await using (var sink = new StagingSink(new LocalStagingStore(Path.Combine(_dir, "staging")), RunId,
                         new PartOptions(RowGroupRows: 50, PartRows: 100)))
            await pipeline.RunAsync(files, sink, CancellationToken.None);
        Expect(files);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Each file parsed alone, by parsers of its own: the records the run must have staged.</summary>
    private void Expect(IReadOnlyList<SourceObject> files)
    {
        var (logParser, songParser) = (new LogEventParser(), new SongFileParser());
        var (events, songs, staged) = (new RecordBatch(EventColumns.Table), new RecordBatch(SongColumns.Table),
            new RecordBatch(FileColumns.Table));
        foreach (var file in files)
        {
            var content = File.ReadAllBytes(Path.Combine(_dir, file.Key.Replace('/', Path.DirectorySeparatorChar)));
            var rejects = new List<Reject>();
            var before = file.Kind == RecordKind.Event ? events.Count : songs.Count;
            var read = file.Kind == RecordKind.Event
                ? logParser.ParseLines(content, 1, true, file.Key, events, rejects)
                : songParser.Parse(content, file.Key, songs, rejects);
            var valid = (file.Kind == RecordKind.Event ? events.Count : songs.Count) - before;
            staged.Add(new StagedFile(file.Key, file.Kind.Name(), file.Version, file.Size,
                file.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), read, valid, rejects.Count, RunId));
        }
        foreach (var batch in new[] { events, songs, staged })
        {
            Expected[batch.Table.Name] = [.. Enumerable.Range(0, batch.Count)
                .Select(r => ExactRow(Enumerable.Range(0, batch.Table.Columns.Count).Select(c => batch.Value(c, r))))];
        }
    }

    /// <summary>
    /// Events at the edges: int and long extremes, the largest double, -0.0 beside 0.0, empty strings beside nulls,
    /// non-ASCII text, and a column whose UTF-8 order differs from .NET's ordinal (UTF-16) order. 0.0 comes before
    /// -0.0, so a writer that kept the first zero it saw as the minimum would write +0.0 (parquet.thrift: -0.0).
    /// </summary>
    private static string ExtremeEvents()
    {
        string[] artists = ["\uE000 private use", Emoji + " emoji", "Zoë", "日本語", "", "a"];
        var lines = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            var userId = (i % 5) switch { 0 => "\"2147483647\"", 1 => "\"-2147483648\"", 2 => "\"\"", _ => $"\"{i}\"" };
            var sessionId = (i % 3) switch { 0 => int.MinValue, 1 => int.MaxValue, _ => i };
            var item = i % 2 == 0 ? 0 : int.MaxValue;
            var registration = (i % 4) switch { 0 => long.MinValue.ToString(CultureInfo.InvariantCulture), 1 => long.MaxValue.ToString(CultureInfo.InvariantCulture), 2 => "null", _ => "1.540919166796E12" };
            var length = (i % 6) switch { 0 => "1.7976931348623157E308", 1 => "0.0", 2 => "-0.0", 3 => "5E-324", 4 => "null", _ => "200.5" };
            var artist = i % 7 == 6 ? "null" : Json(artists[i % artists.Length]);
            var firstName = (i % 3) switch { 0 => "\"\"", 1 => "null", _ => Json("Zoë") };
            lines.Add($$"""{"artist":{{artist}},"auth":"Logged In","firstName":{{firstName}},"gender":"F","itemInSession":{{item}},"lastName":"Ünïcödé","length":{{length}},"level":"free","location":"São Paulo, SP","method":"PUT","page":"NextSong","registration":{{registration}},"sessionId":{{sessionId}},"song":"Song {{i}}","status":{{(i % 2 == 0 ? 100 : 599)}},"ts":{{1542844800000L + i}},"userAgent":"U","userId":{{userId}}}""");
        }
        return string.Join("\n", lines) + "\n";
    }

    /// <summary>Song files at the edges: int extremes, the largest double, -0.0 and 0.0, coordinates at their bounds, an empty and a null title, a title over 4 KiB.</summary>
    private static string[] ExtremeSongs()
    {
        var songs = new List<string>();
        for (var i = 0; i < 21; i++)
        {
            var year = (i % 3) switch { 0 => int.MinValue, 1 => int.MaxValue, _ => 0 };
            var duration = (i % 4) switch { 0 => "1.7976931348623157E308", 1 => "0.0", 2 => "-0.0", _ => "null" };
            var latitude = (i % 4) switch { 0 => "90", 1 => "-90", 2 => "-0.0", _ => "null" };
            var title = (i % 5) switch { 0 => "\"\"", 1 => "null", 2 => Json(LongTitle), 3 => Json(Emoji + " Zoë"), _ => Json("\uE000") };
            songs.Add($$"""{"num_songs": {{(i % 2 == 0 ? int.MaxValue : int.MinValue)}}, "artist_id": "ARZZZ{{i}}", "artist_latitude": {{latitude}}, "artist_longitude": -180, "artist_location": "", "artist_name": "Ærtist {{i}}", "song_id": "SOZZZ{{i:D3}}", "title": {{title}}, "duration": {{duration}}, "year": {{year}}}""");
        }
        return [.. songs];
    }

    private static string Json(string value) => System.Text.Json.JsonSerializer.Serialize(value,
        new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>A value as exact text: doubles by their bits (-0.0 is not 0.0), integers of either width alike.</summary>
    public static string Exact(object? value) => value switch
    {
        null or DBNull => "NULL",
        double d => "d:" + BitConverter.DoubleToInt64Bits(d).ToString(CultureInfo.InvariantCulture),
        int or long => "i:" + Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        string s => "s:" + s,
        _ => throw new ArgumentException($"unexpected value type {value.GetType()}", nameof(value)),
    };

    public static string ExactRow(IEnumerable<object?> values) => string.Join("|", values.Select(Exact));
}
