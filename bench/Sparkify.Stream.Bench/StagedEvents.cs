using System.Globalization;
using Sparkify.Stream.Generation;
using Sparkify.Stream.Records;

namespace Sparkify.Stream.Bench;

/// <summary>
/// Staging event rows for the writer benchmarks, cut into row groups as the staging writer cuts them, each row group
/// held as the column arrays every writer is given (the values and the shared string objects the parser makes).
/// </summary>
/// <remarks>
/// The rows are parsed from a generated data set like bench/run.sh's (1 M events, 20,000 songs, 30 days), made once
/// and kept in the temp folder (~0.5 GB, ~20 s to make): BenchmarkDotNet runs every case in its own process.
/// </remarks>
public sealed class StagedEvents
{
    public const int MaxRows = 1_000_000;

    private StagedEvents(IReadOnlyList<EventRowGroup> groups) => Groups = groups;

    public IReadOnlyList<EventRowGroup> Groups { get; }

    public int Rows => Groups.Sum(g => g.Rows);

    /// <summary>The first <paramref name="rows"/> events of the data set, in row groups of <paramref name="rowGroupRows"/>.</summary>
    public static StagedEvents Load(int rows, int rowGroupRows = 65_536)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, MaxRows);
        var parser = new LogEventParser();
        var all = new RecordBatch(EventColumns.Table, rows);
        var chunk = new RecordBatch(EventColumns.Table, MaxRows / 10);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(DataSet(), "log_data"), "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            chunk.Clear();
            var key = "log_data/" + Path.GetFileName(file);
            parser.ParseLines(File.ReadAllBytes(file), 1, true, key, chunk, []);
            all.Append(chunk, 0, Math.Min(chunk.Count, rows - all.Count));
            if (all.Count == rows) break;
        }
        if (all.Count < rows) throw new InvalidOperationException($"the data set has {all.Count} events, not {rows}");
        var groups = new List<EventRowGroup>();
        for (var start = 0; start < rows; start += rowGroupRows)
            groups.Add(EventRowGroup.Of(all, start, Math.Min(rowGroupRows, rows - start)));
        return new StagedEvents(groups);
    }

    private static string DataSet()
    {
        var dir = Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"sparkify-bench-events-{MaxRows}"));
        if (File.Exists(Path.Combine(dir, ".complete"))) return dir;
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        DataGenerator.Generate(new GeneratorOptions(dir) { Events = MaxRows, Songs = 20_000, Days = 30 });
        File.WriteAllText(Path.Combine(dir, ".complete"), "");
        return dir;
    }
}

/// <summary>One row group of <c>staging_events</c>, column by column in docs/semantics.md#staging_events order.</summary>
public sealed record EventRowGroup(
    long[] EventId, long[] Ts, int?[] UserId, string?[][] Texts, double?[] Length, int?[] ItemInSession,
    int?[] SessionId, int?[] Status, long?[] Registration, string[] SourceKey, int[] SourceLine)
{
    public int Rows => EventId.Length;

    /// <summary>The row group as <c>StagingParquet.Write</c> writes it: every column in schema order.</summary>
    public void WriteTo(IPartColumns w)
    {
        w.BeginRowGroup(Rows);
        w.WriteInt64(EventId);
        w.WriteInt64(Ts);
        w.WriteInt32(UserId);
        foreach (var text in Texts) w.WriteStrings(text);
        w.WriteDouble(Length);
        w.WriteInt32(ItemInSession);
        w.WriteInt32(SessionId);
        w.WriteInt32(Status);
        w.WriteInt64(Registration);
        w.WriteStrings(SourceKey!);
        w.WriteInt32(SourceLine);
        w.EndRowGroup();
    }

    internal static EventRowGroup Of(RecordBatch batch, int start, int rows)
    {
        var events = Enumerable.Range(start, rows).Select(i => LogEvent.FromRow(batch, i)).ToArray();
        T[] Column<T>(Func<LogEvent, T> get) => [.. events.Select(get)];
        return new EventRowGroup(
            Column(e => e.EventId), Column(e => e.Ts), Column(e => e.UserId),
            [
                Column(e => e.FirstName), Column(e => e.LastName), Column(e => e.Gender), Column(e => e.Level),
                Column(e => e.Auth), Column(e => e.Method), Column(e => e.Page), Column(e => e.Location),
                Column(e => e.UserAgent), Column(e => e.Artist), Column(e => e.Song),
            ],
            Column(e => e.Length), Column(e => e.ItemInSession), Column(e => e.SessionId), Column(e => e.Status),
            Column(e => e.Registration), Column(e => e.SourceKey), Column(e => e.SourceLine));
    }
}
