using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using CsvHelper;
using Sparkify.Stream.Jobs;
using Sparkify.Stream.Pipeline;
using Sparkify.Stream.Tests.Semantics;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Tests.BadInput;

/// <summary>One row of rejects.csv as the tests compare it: file, line, kind, reason, field ("" when none).</summary>
internal sealed record RejectRow(string Key, int Line, string Kind, string Reason, string Field)
{
    public string Message { get; init; } = "";
    public string Raw { get; init; } = "";

    /// <summary>The row without message and raw, to compare on the first five columns only.</summary>
    public RejectRow Core() => this with { Message = "", Raw = "" };
}

/// <summary>What one run over a corpus produced: rejects.csv, report.json and row counts of the star schema.</summary>
internal sealed record CorpusRun(IReadOnlyList<RejectRow> Rejects, RunReport Report, long Songplays, long Songs)
{
    public FileReport File(string key) => Report.PerFile.Single(f => f.SourceKey == key);
}

/// <summary>
/// A throwaway data folder that tests fill byte by byte (bad files are bytes, not text), run through the real
/// pipeline (RunJob: fetch → parse → Parquet → DuckDB) with no reject limit.
/// </summary>
internal sealed class Corpus : IDisposable
{
    private readonly Scenario _scenario = new();

    public string Root => _scenario.Root;

    /// <summary>Writes <c>log_data/YYYY/MM/{day}-events.json</c> (or <c>.json.gz</c>); returns its key.</summary>
    public string Log(string day, byte[] content, bool gz = false)
    {
        var date = DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var relative = $"{date:yyyy}/{date:MM}/{day}-events.json{(gz ? ".gz" : "")}";
        Write(Path.Combine(_scenario.LogDir, relative), content);
        return "log_data/" + relative;
    }

    public string Log(string day, params string[] lines) => Log(day, Utf8(string.Join("\n", lines)));

    /// <summary>Writes <c>song_data/A/B/C/{name}</c>; returns its key.</summary>
    public string Song(string name, byte[] content)
    {
        Write(Path.Combine(_scenario.SongDir, "A", "B", "C", name), content);
        return "song_data/A/B/C/" + name;
    }

    public string Song(string name, string json) => Song(name, Utf8(json));

    public async Task<CorpusRun> RunAsync(string maxRejects = "100%")
    {
        await using var warehouse = await DuckDbWarehouse.OpenAsync(Path.Combine(Root, "w.duckdb"), CancellationToken.None);
        var returned = await _scenario.RunAsync(warehouse, maxRejects: maxRejects);
        var runDir = Path.Combine(_scenario.StagingDir, "runs", returned.RunId);
        var report = RunReport.Parse(await System.IO.File.ReadAllBytesAsync(Path.Combine(runDir, "report.json")));
        var rejects = ReadRejects(Path.Combine(runDir, "rejects.csv"));
        var songplays = await CountAsync(warehouse, "songplays");
        var songs = await CountAsync(warehouse, "songs");
        CheckAccounting(report, rejects);
        return new CorpusRun(rejects, report, songplays, songs);
    }

    /// <summary>docs/semantics.md#rejects: read = valid + rejected per file and in total, and rejects.csv holds exactly the rejected.</summary>
    public static void CheckAccounting(RunReport report, IReadOnlyList<RejectRow> rejects)
    {
        foreach (var file in report.PerFile)
        {
            Assert.True(file.Read == file.Valid + file.Rejected, $"{file.SourceKey}: read {file.Read} != {file.Valid} + {file.Rejected}");
            Assert.Equal(file.Rejected, rejects.Count(r => r.Key == file.SourceKey));
        }
        Assert.Equal(report.Records.Read, report.Records.Valid + report.Records.Rejected);
        Assert.Equal(report.Records.Read, report.PerFile.Sum(f => f.Read));
        Assert.Equal(report.Records.Valid, report.PerFile.Sum(f => f.Valid));
        Assert.Equal(report.Records.Rejected, report.PerFile.Sum(f => f.Rejected));
        Assert.Equal(report.Records.Rejected, rejects.Count);
        Assert.Equal(report.Records.Rejected, report.Records.RejectedByReason?.Values.Sum() ?? 0);
        foreach (var (reason, count) in report.Records.RejectedByReason ?? new Dictionary<string, long>())
            Assert.Equal(count, rejects.Count(r => r.Reason == reason));
        foreach (var kind in report.RecordsByKind.Values) Assert.Equal(kind.Read, kind.Valid + kind.Rejected);
    }

    public static List<RejectRow> ReadRejects(string path)
    {
        using var reader = new StreamReader(path, new UTF8Encoding(false));
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        Assert.Equal(RejectsCsv.Header, csv.HeaderRecord);
        var rows = new List<RejectRow>();
        while (csv.Read())
        {
            rows.Add(new RejectRow(csv.GetField("source_key")!, int.Parse(csv.GetField("line")!, CultureInfo.InvariantCulture),
                csv.GetField("kind")!, csv.GetField("reason")!, csv.GetField("field")!)
            {
                Message = RejectsCsv.Unescape(csv.GetField("message")!),
                Raw = RejectsCsv.Unescape(csv.GetField("raw")!),
            });
        }
        return [.. rows.OrderBy(r => r.Key, StringComparer.Ordinal).ThenBy(r => r.Line)];
    }

    private static async Task<long> CountAsync(IWarehouse warehouse, string table)
    {
        var result = await warehouse.QueryAsync($"SELECT COUNT(*) FROM {SqlText.Identifier(table)}", CancellationToken.None);
        return Convert.ToInt64(result.Rows[0][0], CultureInfo.InvariantCulture);
    }

    private static void Write(string path, byte[] content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, content);
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    /// <summary>
    /// A valid event line, unique per <paramref name="n"/> (its itemInSession), a NextSong play of user 7 on
    /// 2018-11-01 at 00:00 + n minutes. <paramref name="extra"/> is appended inside the object verbatim.
    /// </summary>
    public static string Event(int n, string extra = "")
    {
        var ts = 1_541_030_400_000L + (n * 60_000L);
        return "{\"artist\":\"Band\",\"auth\":\"Logged In\",\"firstName\":\"Ann\",\"gender\":\"F\"," +
               $"\"itemInSession\":{n},\"lastName\":\"Lee\",\"length\":200.5,\"level\":\"free\"," +
               "\"location\":\"Town, ST\",\"method\":\"PUT\",\"page\":\"NextSong\",\"registration\":1540919166796.0," +
               $"\"sessionId\":1,\"song\":\"Song {n}\",\"status\":200,\"ts\":{ts},\"userAgent\":\"Mozilla\",\"userId\":\"7\"{extra}}}";
    }

    /// <summary>An event line with one field's raw JSON replaced (null removes the field).</summary>
    public static string EventWith(int n, string field, string? json)
    {
        var line = Event(n);
        var start = line.IndexOf($"\"{field}\":", StringComparison.Ordinal);
        Assert.True(start > 0, field);
        var valueStart = start + field.Length + 3;
        var end = valueStart;
        if (line[end] == '"') end = line.IndexOf('"', end + 1) + 1;
        else while (line[end] is not (',' or '}')) end++;
        if (json is not null) return line[..valueStart] + json + line[end..];
        var cutEnd = line[end] == ',' ? end + 1 : end;
        var cutStart = line[end] == ',' ? start : start - 1;
        return line[..cutStart] + line[cutEnd..];
    }

    /// <summary>A song file's JSON object, valid unless a field is replaced.</summary>
    public static string SongJson(string songId, string? extra = null) =>
        "{\"num_songs\": 1, \"artist_id\": \"AR1\", \"artist_latitude\": 35.1, \"artist_longitude\": -90.0, " +
        "\"artist_location\": \"Memphis, TN\", \"artist_name\": \"Band\", " +
        $"\"song_id\": \"{songId}\", \"title\": \"Title {songId}\", \"duration\": 200.5, \"year\": 1995{extra}}}";

    /// <summary>
    /// A gzip file built by hand from stored (uncompressed) deflate blocks of <paramref name="blockSize"/> bytes, so a
    /// test knows which output byte every file byte holds: block k's data starts at file offset 10 + 5(k+1) +
    /// k·blockSize. Header: 10 bytes; each block: 1 + LEN + NLEN; trailer: CRC-32 and size.
    /// </summary>
    public static byte[] StoredGzip(byte[] data, int blockSize)
    {
        var file = new List<byte> { 0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF };
        for (var at = 0; at < data.Length || at == 0; at += blockSize)
        {
            var length = Math.Min(blockSize, data.Length - at);
            file.Add(at + blockSize >= data.Length ? (byte)1 : (byte)0);   // BFINAL, BTYPE 00 (stored)
            file.Add((byte)length);
            file.Add((byte)(length >> 8));
            file.Add((byte)~length);
            file.Add((byte)(~length >> 8));
            file.AddRange(data.AsSpan(at, length));
        }
        var trailer = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, Crc32.HashToUInt32(data));
        BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(4), (uint)data.Length);
        file.AddRange(trailer);
        return [.. file];
    }

    public void Dispose() => _scenario.Dispose();
}
