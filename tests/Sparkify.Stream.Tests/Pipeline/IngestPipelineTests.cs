using System.IO.Compression;
using System.Text;
using DuckDB.NET.Data;
using Parquet;
using Parquet.Schema;
using Sparkify.Stream.Pipeline;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Staging;

namespace Sparkify.Stream.Tests.Pipeline;

/// <summary>The ingest pipeline on local files: song files packed several to a chunk, log files cut into chunks.</summary>
public sealed class IngestPipelineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-pipeline-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Song(string id, string title) =>
        $$"""{"num_songs": 1, "artist_id": "AR{{id}}", "artist_latitude": null, "artist_longitude": null, "artist_location": "", "artist_name": "Artist {{id}}", "song_id": "SO{{id}}", "title": "{{title}}", "duration": 200.5, "year": 0}""";

    private static string Event(int i) => EventAt(i, 1541105830796L + i);

    private static string EventAt(int i, long ts) =>
        $$"""{"artist":"A","auth":"Logged In","firstName":"F","gender":"F","itemInSession":{{i}},"lastName":"L","length":200.5,"level":"free","location":"X","method":"PUT","page":"NextSong","registration":1.540919166796E12,"sessionId":7,"song":"S","status":200,"ts":{{ts}},"userAgent":"U","userId":"8"}""";

    private void Write(string relative, string text, bool gzip = false)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (!gzip)
        {
            File.WriteAllText(path, text);
            return;
        }
        using var file = File.Create(path);
        using var zip = new GZipStream(file, CompressionLevel.Fastest);
        zip.Write(Encoding.UTF8.GetBytes(text));
    }

    private async Task<(IngestResult Result, string Rejects)> RunAsync(PipelineOptions options, PartOptions? parts = null)
    {
        var songs = new LocalFolderSource(Path.Combine(_dir, "song_data"));
        var logs = new LocalFolderSource(Path.Combine(_dir, "log_data"));
        var files = new List<SourceObject>();
        await foreach (var f in songs.ListAsync(RecordKind.Song, DateRange.All, CancellationToken.None)) files.Add(f);
        await foreach (var f in logs.ListAsync(RecordKind.Event, DateRange.All, CancellationToken.None)) files.Add(f);
        var store = new LocalStagingStore(Path.Combine(_dir, "staging"));
        var pipeline = new IngestPipeline(f => f.Kind == RecordKind.Song ? songs : logs, options);
        IngestResult result;
        await using (var sink = new StagingSink(store, "run-1", parts))
            result = await pipeline.RunAsync(files, sink, CancellationToken.None);
        return (result, await File.ReadAllTextAsync(Path.Combine(_dir, "staging", "runs", "run-1", "rejects.csv")));
    }

    [Fact]
    public async Task Song_files_read_several_to_a_chunk_are_each_counted_and_a_corrupt_gzip_is_one_reject()
    {
        for (var i = 0; i < 7; i++) Write($"song_data/A/B/C/TR{i:D3}.json", Song($"{i:D3}", $"Title {i}"));
        Write("song_data/A/B/D/TR100.json.gz", Song("100", "Zipped"), gzip: true);
        Write("song_data/A/B/D/TR101.json.gz", "this is not gzip data at all");
        Write("song_data/A/B/D/TR102.json", "[" + Song("102", "One") + "," + Song("103", "Two") + "]");
        Write("log_data/2018/11/2018-11-01-events.json", string.Join("\n", Enumerable.Range(0, 5).Select(Event)) + "\n");

        var (result, rejects) = await RunAsync(new PipelineOptions(2, SmallFilesPerChunk: 3));

        Assert.Equal(10, result.SongRows);
        Assert.Equal(5, result.EventRows);
        var files = result.Accounting.Files.ToDictionary(f => f.File.Key);
        Assert.Equal(11, files.Count);
        Assert.All(files.Values, f => Assert.Equal(f.Read, f.Valid + f.Rejected));
        Assert.Equal((1, 0, 1), Counts(files["song_data/A/B/D/TR101.json.gz"]));
        Assert.Equal((1, 1, 0), Counts(files["song_data/A/B/D/TR100.json.gz"]));
        Assert.Equal((2, 2, 0), Counts(files["song_data/A/B/D/TR102.json"]));
        Assert.Equal((5, 5, 0), Counts(files["log_data/2018/11/2018-11-01-events.json"]));
        Assert.Contains("song_data/A/B/D/TR101.json.gz,1,song,malformed_json,,corrupt gzip data", rejects);
    }

    [Fact]
    public async Task Events_staged_over_several_row_groups_and_parts_keep_every_row_once()
    {
        Write("song_data/A/TR1.json", Song("1", "T"));
        for (var day = 1; day <= 3; day++)
        {
            var events = Enumerable.Range(day * 1000, 700).Select(Event);
            Write($"log_data/2018/11/2018-11-0{day}-events.json", string.Join("\n", events) + "\n");
        }

        var options = new PipelineOptions(2, ChunkBytes: 8192);
        var (result, _) = await RunAsync(options, new PartOptions(RowGroupRows: 250, PartRows: 1000));

        Assert.Equal(2100, result.EventRows);
        var parts = Directory.GetFiles(Path.Combine(_dir, "staging", "runs", "run-1", "events"), "*.parquet");
        Assert.Equal(3, parts.Length);
        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        var list = string.Join(", ", parts.Select(p => $"'{p}'"));
        Assert.Equal(2100L, Scalar(db, $"SELECT count(DISTINCT (source_key, source_line)) FROM read_parquet([{list}])"));
        Assert.Equal(250L, Scalar(db, $"SELECT max(row_group_num_rows) FROM parquet_metadata([{list}])"));
    }

    [Fact]
    public async Task Row_groups_are_also_cut_by_input_bytes_so_long_strings_cannot_make_them_huge()
    {
        Write("song_data/A/TR1.json", Song("1", "T"));
        // 600 events, each carrying a 20,000-byte song title: ~12 MB of input, far below the row count.
        var title = new string('x', 20_000);
        var events = Enumerable.Range(0, 600).Select(i => Event(i).Replace("\"song\":\"S\"", $"\"song\":\"{title}\"", StringComparison.Ordinal));
        Write("log_data/2018/11/2018-11-01-events.json", string.Join("\n", events) + "\n");

        var options = new PipelineOptions(2, ChunkBytes: 1 << 20);
        var (result, _) = await RunAsync(options, new PartOptions(RowGroupRows: 65_536, PartRows: 65_536, RowGroupBytes: 2 << 20));

        Assert.Equal(600, result.EventRows);
        var parts = Directory.GetFiles(Path.Combine(_dir, "staging", "runs", "run-1", "events"), "*.parquet");
        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        var list = string.Join(", ", parts.Select(p => $"'{p}'"));
        Assert.Equal(600L, Scalar(db, $"SELECT count(*) FROM read_parquet([{list}]) WHERE length(song) = 20000"));
        // Each row group holds at most ~2 MiB of input (plus the chunk that crossed the line): ~100 rows, not 600.
        Assert.True(Scalar(db, $"SELECT max(row_group_num_rows) FROM parquet_metadata([{list}])") <= 200);
        Assert.True(Scalar(db, $"SELECT count(DISTINCT (file_name, row_group_id)) FROM parquet_metadata([{list}])") >= 4);
    }

    [Fact]
    public async Task Staged_ts_is_a_plain_int64_of_the_sources_epoch_milliseconds()
    {
        // docs/semantics.md#timestamps: BIGINT epoch ms as read, no Parquet TIMESTAMP (Redshift's COPY of those has reports of wrong years).
        long[] ts = [946_684_800_000, 1_541_105_830_999, 1_582_934_400_001, 4_102_444_799_999];
        Write("song_data/A/TR1.json", Song("1", "T"));
        Write("log_data/2018/11/2018-11-01-events.json",
            string.Join("\n", ts.Select((t, i) => EventAt(i, t))));

        var (result, _) = await RunAsync(new PipelineOptions(2));

        Assert.Equal(ts.Length, result.EventRows);
        var part = Assert.Single(Directory.GetFiles(Path.Combine(_dir, "staging", "runs", "run-1", "events"), "*.parquet"));
        await using (var stream = File.OpenRead(part))
        await using (var reader = await ParquetReader.CreateAsync(stream))
        {
            var field = reader.Schema.DataFields[1];
            Assert.Equal("ts", field.Name);
            Assert.IsType<DataField>(field);   // exactly: Parquet.Net reads a TIMESTAMP column as a DateTimeDataField
            Assert.Equal(typeof(long), field.ClrType);
            Assert.False(field.IsNullable);
            using var rowGroup = reader.OpenRowGroupReader(0);
            var values = new long[ts.Length];
            await rowGroup.ReadAsync<long>(field, values.AsMemory(), null);
            Assert.Equal(ts, values);
        }

        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        Assert.Equal("BIGINT", Text(db, $"SELECT column_type FROM (DESCRIBE SELECT * FROM read_parquet('{part}')) WHERE column_name = 'ts'"));
        // The same annotation as registration's (INT64, signed 64-bit integer): nothing that says time.
        Assert.Equal(
            Text(db, $"SELECT concat_ws('/', type, converted_type, logical_type) FROM parquet_schema('{part}') WHERE name = 'registration'"),
            Text(db, $"SELECT concat_ws('/', type, converted_type, logical_type) FROM parquet_schema('{part}') WHERE name = 'ts'"));
        Assert.Equal(string.Join(",", ts), Text(db, $"SELECT string_agg(ts, ',' ORDER BY source_line) FROM read_parquet('{part}')"));
    }

    private static (long, long, long) Counts(FileCounts f) => (f.Read, f.Valid, f.Rejected);

    private static string Text(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    private static long Scalar(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
