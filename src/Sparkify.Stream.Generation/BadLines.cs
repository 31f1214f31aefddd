using System.Text;

namespace Sparkify.Stream.Generation;

/// <summary>
/// Known bad input mixed into a generated data set (<c>--bad-lines N</c>), for tests of the reject path: N lines of
/// each bad class in the log files, and a few bad song files. None of it can load, and the good lines are exactly
/// those of the same options without bad lines, so both data sets load to the same star schema.
/// </summary>
/// <remarks>
/// The k-th bad line (class by class, N each) goes into day k mod Days, before a good line chosen by its own random
/// stream, so the good lines' random streams never see it. The first log file starts with a UTF-8 BOM (dropped, not a
/// record) and the first min(N, Days) log files end with a cut-off line.
/// </remarks>
internal sealed class BadLines(GeneratorOptions options)
{
    /// <summary>The bad line classes placed within files, with the reason each one gets.</summary>
    private static readonly (string Reason, Func<long, int, string> Line)[] Classes =
    [
        (Reasons.MalformedJson, (ts, k) => $"{{\"ts\":{ts},\"userId\":\"{k}\",\"page\":\"NextSong\""),
        (Reasons.MalformedJson, (ts, _) => $"[\"NextSong\",{ts}]"),
        (Reasons.WrongType, (_, k) => $"{{\"ts\":\"yesterday\",\"userId\":\"{k}\",\"page\":\"NextSong\"}}"),
        (Reasons.WrongType, (ts, k) => $"{{\"ts\":{ts},\"userId\":\"{k}\",\"sessionId\":\"x\",\"page\":\"NextSong\"}}"),
        (Reasons.MissingField, (_, k) => $"{{\"userId\":\"{k}\",\"sessionId\":{k},\"page\":\"NextSong\"}}"),
        (Reasons.OutOfRange, (ts, k) => $"{{\"ts\":{ts},\"userId\":\"{k}\",\"status\":700,\"page\":\"NextSong\"}}"),
        (Reasons.TooLong, (ts, k) => $"{{\"ts\":{ts},\"userId\":\"{k}\",\"song\":\"{new string('x', 65_536)}\",\"page\":\"NextSong\"}}"),
        (Reasons.InvalidUtf8, (ts, k) => $"{{\"ts\":{ts},\"userId\":\"{k}\",\"artist\":\"Caf\uFFFF\",\"page\":\"NextSong\"}}"),
    ];

    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    public int PerClass => options.BadLines;

    /// <summary>The log files that end with a cut-off line (one each).</summary>
    public int TruncatedFiles => Math.Min(options.BadLines, options.Days);

    /// <summary>Rejects a run over the whole data set gives, by reason (the codes of docs/semantics.md#rejects).</summary>
    public IReadOnlyDictionary<string, long> Expected()
    {
        var expected = new SortedDictionary<string, long>(StringComparer.Ordinal);
        void Add(string reason, long n) => expected[reason] = (expected.TryGetValue(reason, out var m) ? m : 0) + n;
        foreach (var (reason, _) in Classes) Add(reason, PerClass);
        Add(Reasons.MalformedJson, TruncatedFiles);
        foreach (var (_, _, reasons) in SongFiles()) foreach (var reason in reasons) Add(reason, 1);
        return expected;
    }

    /// <summary>The bad lines of one day's file, in the order they are written, with the good line each goes before.</summary>
    public DaySchedule ForDay(int day, int goodLines)
    {
        var rng = Seeds.Create(options.Seed, RandomStream.BadLines, day);
        var dayStart = UserPool.EpochMs(options.Start.AddDays(day));
        var lines = new List<(int Before, byte[] Line)>();
        for (var k = day; k < Classes.Length * PerClass; k += options.Days)
        {
            var line = Classes[k / PerClass].Line(dayStart + (k * 1000L), k);
            lines.Add((rng.Next(goodLines + 1), Encode(line)));
        }
        var ordered = lines.Select((l, i) => (l.Before, i, l.Line)).OrderBy(l => l.Before).ThenBy(l => l.i)
            .Select(l => (l.Before, l.Line)).ToList();
        var truncated = day < TruncatedFiles
            ? Encoding.UTF8.GetBytes($"{{\"artist\":\"Cut Off\",\"auth\":\"Logged In\",\"ts\":{dayStart + 1},\"userId\":\"1")
            : null;
        return new DaySchedule(day == 0 ? Bom : null, ordered, truncated);
    }

    /// <summary>Writes the bad song files under <c>song_data/Z/Z/Z/</c>; returns the bytes on disk.</summary>
    public long WriteSongFiles(string songRoot)
    {
        var folder = Path.Combine(songRoot, "Z", "Z", "Z");
        Directory.CreateDirectory(folder);
        long bytes = 0;
        foreach (var (name, content, _) in SongFiles())
        {
            var path = Path.Combine(folder, name);
            if (name.EndsWith(".gz", StringComparison.Ordinal))
            {
                File.WriteAllBytes(path, content);
                bytes += content.Length;
            }
            else
            {
                bytes += OutputFile.Write(Path.Combine(folder, OutputFile.Name(name, options.Gzip)), content, options.Gzip);
            }
        }
        return bytes;
    }

    /// <summary>The bad song files: name, bytes and the reasons of their records (none for the empty one).</summary>
    private IEnumerable<(string Name, byte[] Content, string[] Reasons)> SongFiles()
    {
        if (PerClass == 0) yield break;
        yield return ("TRZZZBAD0001.json", Encode("{\"title\": \"No Id\", \"duration\": 200.0}"), [Reasons.MissingField]);
        yield return ("TRZZZBAD0002.json", Encode("{\"song_id\": \"SOZZZBAD0002\", \"duration\": \"long\"}"), [Reasons.WrongType]);
        yield return ("TRZZZBAD0003.json", Encode("{\"song_id\": \"SOZZZBAD0003\", \"artist_latitude\": 91.5}"), [Reasons.OutOfRange]);
        yield return ("TRZZZBAD0004.json", Encode("[{\"song_id\": \"\"}, 5]"), [Reasons.MissingField, Reasons.MalformedJson]);
        yield return ("TRZZZBAD0005.json", [0x89, .. "PNG\r\n\u001a\n"u8, 0x00, 0x00, 0x00, 0x0D], [Reasons.InvalidUtf8]);
        yield return ("TRZZZBAD0006.json", Encode("{\"song_id\": \"SOZZZBAD0006\", \"title\": \"Cut"), [Reasons.MalformedJson]);
        yield return ("TRZZZBAD0007.json", [], []);
        if (options.Gzip) yield return ("TRZZZBAD0008.json.gz", [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF, 0x01], [Reasons.MalformedJson]);
    }

    /// <summary>UTF-8, except that U+FFFF stands for one byte 0xE9 (Latin-1 'é'), which is not UTF-8.</summary>
    private static byte[] Encode(string text)
    {
        var bytes = new List<byte>();
        foreach (var part in text.Split('\uFFFF'))
        {
            bytes.AddRange(Encoding.UTF8.GetBytes(part));
            bytes.Add(0xE9);
        }
        bytes.RemoveAt(bytes.Count - 1);   // no stand-in after the last part
        return [.. bytes];
    }

    /// <summary>The reason codes of docs/semantics.md#rejects (the generator does not depend on the parsers).</summary>
    private static class Reasons
    {
        public const string MalformedJson = "malformed_json", WrongType = "wrong_type", MissingField = "missing_field",
            OutOfRange = "out_of_range", TooLong = "too_long", InvalidUtf8 = "invalid_utf8";
    }
}

/// <summary>What one day's log file gets besides its good lines.</summary>
/// <param name="Prefix">Bytes before the first line (a BOM), or null.</param>
/// <param name="Lines">Bad lines, each with the number of good lines written before it, in order.</param>
/// <param name="LastLine">A cut-off line after the last one, or null.</param>
internal sealed record DaySchedule(byte[]? Prefix, IReadOnlyList<(int Before, byte[] Line)> Lines, byte[]? LastLine);
