using System.IO.Compression;
using Sparkify.Stream.Generation;
using Sparkify.Stream.Tests.Semantics;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Tests.BadInput;

/// <summary>
/// A generated data set with a known number of bad lines per class (<c>--bad-lines</c>): every record read is loaded or
/// rejected, the rejects are exactly the injected ones, and the star schema equals the one of the same data without
/// the bad lines, all five tables compared row by row.
/// </summary>
public sealed class GeneratedBadInputTests
{
    private static GeneratorOptions Options(string dir, int badLines, bool gzip) => new(dir)
    {
        Songs = 120,
        Events = 2400,
        Users = 30,
        Days = 3,
        Seed = 5,
        Gzip = gzip,
        BadLines = badLines,
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Injected_bad_lines_are_all_rejected_and_the_star_schema_equals_the_clean_one(bool gzip)
    {
        using var clean = new Scenario();
        using var dirty = new Scenario();
        DataGenerator.Generate(Options(clean.Root, 0, gzip));
        var made = DataGenerator.Generate(Options(dirty.Root, 3, gzip));

        // 3 of each line class over 3 days; a cut-off last line in each of the 3 files; 7 bad song files (+1 corrupt .gz).
        var expected = new Dictionary<string, long>
        {
            ["invalid_utf8"] = 3 + 1,                                  // Latin-1 byte; a PNG song file
            ["malformed_json"] = 3 + 3 + 3 + 1 + 1 + (gzip ? 1 : 0),    // broken; array; cut-off last lines; array element 5; cut-off song; corrupt .gz
            ["missing_field"] = 3 + 1 + 1,                             // no ts; no song_id; empty song_id
            ["out_of_range"] = 3 + 1,                                  // status 700; latitude 91.5
            ["too_long"] = 3,
            ["wrong_type"] = 3 + 3 + 1,                                // ts "yesterday"; sessionId "x"; duration "long"
        };
        Assert.Equal(expected, made.BadRecords);

        await using var cleanWarehouse = await DuckDbWarehouse.OpenAsync(Path.Combine(clean.Root, "w.duckdb"), CancellationToken.None);
        await using var dirtyWarehouse = await DuckDbWarehouse.OpenAsync(Path.Combine(dirty.Root, "w.duckdb"), CancellationToken.None);
        var cleanReport = await clean.RunAsync(cleanWarehouse);
        var dirtyReport = await dirty.RunAsync(dirtyWarehouse, maxRejects: "100");
        var rejects = Corpus.ReadRejects(Path.Combine(dirty.StagingDir, "runs", dirtyReport.RunId, "rejects.csv"));

        Assert.Equal(0, cleanReport.Records.Rejected);
        Assert.Equal(2400 + 120, cleanReport.Records.Read);
        Assert.Equal(expected, dirtyReport.Records.RejectedByReason);
        Assert.Equal(cleanReport.Records.Read + expected.Values.Sum(), dirtyReport.Records.Read);
        Assert.Equal(cleanReport.Records.Valid, dirtyReport.Records.Valid);
        Corpus.CheckAccounting(dirtyReport, rejects);
        Assert.Equal(cleanReport.Records.Read, cleanReport.Records.Valid);

        var cleanTables = await Tables.DumpAllAsync(cleanWarehouse);
        var dirtyTables = await Tables.DumpAllAsync(dirtyWarehouse);
        foreach (var table in StarTables.All)
        {
            Assert.NotEmpty(cleanTables[table]);
            Assert.Equal(cleanTables[table], dirtyTables[table]);
        }
    }

    [Fact]
    public void Without_the_rejected_lines_and_the_bom_each_log_file_is_the_clean_one_byte_for_byte()
    {
        using var clean = new Scenario();
        using var dirty = new Scenario();
        DataGenerator.Generate(Options(clean.Root, 0, gzip: false));
        DataGenerator.Generate(Options(dirty.Root, 2, gzip: false));
        var removed = 0;

        foreach (var path in Directory.EnumerateFiles(clean.LogDir, "*.json", SearchOption.AllDirectories))
        {
            var dirtyBytes = File.ReadAllBytes(path.Replace(clean.Root, dirty.Root, StringComparison.Ordinal));
            if (path.EndsWith("2018-11-01-events.json", StringComparison.Ordinal))
            {
                Assert.Equal([0xEF, 0xBB, 0xBF], dirtyBytes[..3]);
                dirtyBytes = dirtyBytes[3..];
            }
            var lines = Split(dirtyBytes).ToList();
            var kept = lines.Where(IsGood).ToList();
            removed += lines.Count - kept.Count;
            Assert.Equal(File.ReadAllBytes(path), Join(kept));
        }
        Assert.Equal((8 * 2) + 2, removed);   // 2 of each of the 8 line classes, a cut-off last line in 2 files
    }

    [Fact]
    public void The_generator_gzips_the_same_bad_bytes()
    {
        using var plain = new Scenario();
        using var zipped = new Scenario();
        DataGenerator.Generate(Options(plain.Root, 2, gzip: false));
        DataGenerator.Generate(Options(zipped.Root, 2, gzip: true));

        foreach (var path in Directory.EnumerateFiles(plain.LogDir, "*.json", SearchOption.AllDirectories))
        {
            using var gz = new GZipStream(File.OpenRead(path.Replace(plain.Root, zipped.Root, StringComparison.Ordinal) + ".gz"), CompressionMode.Decompress);
            using var copy = new MemoryStream();
            gz.CopyTo(copy);
            Assert.Equal(File.ReadAllBytes(path), copy.ToArray());
        }
    }

    // A generated good event carries every field, "artist" first, and ends with '}'; no bad line is like that.
    private static bool IsGood(byte[] line) =>
        StartsWith(line, "{\"artist\":") && line[^1] == (byte)'}';

    private static bool StartsWith(byte[] line, string prefix) => line.AsSpan().StartsWith(System.Text.Encoding.UTF8.GetBytes(prefix));

    private static IEnumerable<byte[]> Split(byte[] content)
    {
        var start = 0;
        for (var i = 0; i <= content.Length; i++)
        {
            if (i < content.Length && content[i] != (byte)'\n') continue;
            yield return content[start..i];
            start = i + 1;
        }
    }

    private static byte[] Join(List<byte[]> lines) => [.. lines.SelectMany((l, i) => i == 0 ? l : [(byte)'\n', .. l])];
}
