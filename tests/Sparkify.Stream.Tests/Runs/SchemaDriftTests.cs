using System.Text;
using Sparkify.Stream.Jobs;
using Sparkify.Stream.Pipeline;
using Sparkify.Stream.Records;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Tests.Records;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Tests.Runs;

/// <summary>The drift rules (SchemaDrift) and the counts they are judged on, from the parsers.</summary>
public sealed class SchemaDriftTests
{
    private static FieldBaseline History(long records, double absentShare) =>
        new("event", "userId", records, (long)Math.Round(records * absentShare));

    [Theory]
    // No history (a first run): only a field absent from every record of a unit of ≥ 100 records.
    [InlineData(100, 100, null, 0.0, true)]
    [InlineData(500, 499, null, 0.0, false)]
    [InlineData(99, 99, null, 0.0, false)]               // too few records to judge
    [InlineData(5_000, 5_000, 999L, 0.0, true)]          // under 1,000 records of history count as none
    // With a history: present in at most half as many records as usual, and beyond chance.
    [InlineData(4_000, 4_000, 100_000L, 0.03, true)]     // userId renamed: 3 % absent before, 100 % now
    [InlineData(4_000, 400, 100_000L, 0.03, false)]      // a day with many logged-out users: 10 %
    [InlineData(1_000, 300, 100_000L, 0.20, false)]      // artist on non-NextSong pages: 20 % → 30 %
    [InlineData(300, 300, 70_000L, 0.60, true)]          // artist_latitude-like: 60 % absent → 100 %
    [InlineData(100, 70, 70_000L, 0.60, false)]          // 60 % → 70 %: noise
    [InlineData(100, 62, 100_000L, 0.20, true)]          // 80 % present → 38 %: 10 sigmas
    [InlineData(100, 100, 100_000L, 0.97, false)]        // a field almost never present is never judged
    [InlineData(120, 65, 10_000L, 0.0, true)]            // never absent before, 54 % now
    [InlineData(120, 50, 10_000L, 0.0, false)]           // never absent before, 42 % now: less than half gone
    public void A_field_has_vanished_by_the_documented_rule(long records, long absent, long? history, double historyShare, bool vanished) =>
        Assert.Equal(vanished, SchemaDrift.Vanished(records, absent, history is { } h ? History(h, historyShare) : null));

    private static FileCounts Parsed(string key, IEnumerable<string> lines)
    {
        var file = new SourceObject(key, RecordKind.Event, 1, "v1", null);
        var counts = new FileCounts(file);
        var tally = new FieldTally(EventColumns.Table);
        var events = new List<LogEvent>();
        var rejects = new List<Reject>();
        counts.Read = new LogEventParser().ParseLines(Encoding.UTF8.GetBytes(string.Join('\n', lines)), 1, true, key, events, rejects, tally);
        counts.Valid = events.Count;
        counts.Rejected = rejects.Count;
        counts.AddFields(tally);
        return counts;
    }

    private static IEnumerable<string> Events(int n, params (string Name, string? Json)[] changes) =>
        Enumerable.Range(0, n).Select(i => EventLines.Json([("ts", (1541105830796L + i).ToString(System.Globalization.CultureInfo.InvariantCulture)), .. changes]));

    [Fact]
    public void The_parser_counts_absent_fields_of_valid_events_and_every_unknown_field_with_a_telling_example()
    {
        var lines = Events(3, ("userId", "\"\""), ("user_id", "\"\""))
            .Concat(Events(2, ("userId", null), ("song", "null"), ("user_id", "\"26\"")))
            .Append(EventLines.Json(("ts", null), ("user_id", "\"27\"")))   // rejected (no ts): its unknown field still counts
            .ToList();
        var file = Parsed(EventLines.Key, lines);
        var fields = file.Fields!;
        Assert.Equal((5L, 1L), (file.Valid, file.Rejected));
        var userId = EventColumns.Table.Ordinal("user_id");
        var song = EventColumns.Table.Ordinal("song");
        Assert.Equal((5L, 2L, 3L), (fields.Records, fields.Missing(userId), fields.Nulls(userId)));   // "" reads as NULL
        Assert.Equal((0L, 2L), (fields.Missing(song), fields.Nulls(song)));
        var unknown = Assert.Single(fields.Unknown);
        Assert.Equal(("user_id", 6L, "\"26\""), (unknown.Key, unknown.Value.Seen, unknown.Value.Example));
    }

    [Fact]
    public void An_unknown_field_name_is_kept_cut_to_the_raw_limit_so_it_fits_every_warehouse()
    {
        var longName = new string('é', 40_000);   // 80,000 UTF-8 bytes: over Redshift's VARCHAR(65535)
        var file = Parsed(EventLines.Key, Events(1, (longName, "1")));
        var name = Assert.Single(file.Fields!.Unknown).Key;
        Assert.Equal(Reject.MaxRawBytes, System.Text.Encoding.UTF8.GetByteCount(name));
        Assert.StartsWith("ééé", name, StringComparison.Ordinal);
        Assert.Equal(1L, file.Valid);   // still a valid event
    }

    [Fact]
    public void Judge_reports_a_rename_per_file_and_per_run_and_a_new_field_only_as_unknown()
    {
        var normal = Parsed("log_data/2018/11/2018-11-01-events.json", Events(400));
        var renamed = Parsed("log_data/2018/11/2018-11-02-events.json",
            Events(150, ("userId", null), ("user_id", "\"26\""), ("mood", "{\"a\":1}")));
        var drift = SchemaDrift.Judge([normal, renamed], []);

        var vanished = Assert.Single(drift.VanishedFields);
        // No history: the run (550 events, 27 % without userId) is not judged vanished, the renamed file is.
        Assert.Equal(("userId", "files", 550L, 150L, 1), (vanished.Field, vanished.Scope, vanished.Records, vanished.Missing, vanished.Files));
        Assert.Equal([renamed.File.Key], vanished.FileKeys);
        Assert.Null(vanished.HistoryShareAbsent);
        Assert.Equal(["mood", "user_id"], drift.UnknownFields.Select(u => u.Field));
        Assert.Equal("an object", drift.UnknownFields[0].Example);
        Assert.Equal(["userId"], drift.PerFile![renamed.File.Key].VanishedFields);
        Assert.False(drift.PerFile.ContainsKey(normal.File.Key));

        // With a history where userId is always there: the run (73 % present) is not under half of it, the file is;
        // the renamed file alone is the whole run.
        var history = new FieldBaseline("event", "userId", 50_000, 0);
        Assert.Equal("files", Assert.Single(SchemaDrift.Judge([normal, renamed], [history]).VanishedFields).Scope);
        Assert.Equal("run", Assert.Single(SchemaDrift.Judge([renamed], [history]).VanishedFields).Scope);

        // A new field alone: reported, nothing vanished (so --on-drift fail does not stop the run).
        var added = SchemaDrift.Judge([Parsed("log_data/2018/11/2018-11-03-events.json", Events(200, ("mood", "\"calm\"")))], []);
        Assert.Empty(added.VanishedFields);
        Assert.Equal(("mood", 200L, "\"calm\""), (added.UnknownFields[0].Field, added.UnknownFields[0].Records, added.UnknownFields[0].Example));
        Assert.False(SchemaDrift.Judge([normal], []).Found);
    }

    [Fact]
    public void The_song_parser_counts_fields_too()
    {
        var tally = new FieldTally(SongColumns.Table);
        var songs = new RecordBatch(SongColumns.Table);
        var rejects = new List<Reject>();
        var json = """{"song_id":"SO1","title":"T","artist_id":"AR1","artist_name":"A","artist_latitude":null,"duration":1.5,"year":0,"num_songs":1,"genre":"jazz"}""";
        new SongFileParser().Parse(Encoding.UTF8.GetBytes(json), "song_data/A/SO1.json", songs, rejects, tally);
        Assert.Equal(1L, tally.Records);
        Assert.Equal(1L, tally.Missing(SongColumns.Table.Ordinal("artist_location")));
        Assert.Equal(1L, tally.Missing(SongColumns.Table.Ordinal("artist_longitude")));
        Assert.Equal(1L, tally.Nulls(SongColumns.Table.Ordinal("artist_latitude")));
        Assert.Equal(1L, tally.Nulls(SongColumns.Table.Ordinal("year")));   // year 0 means unknown: NULL
        Assert.Equal("\"jazz\"", tally.Unknown["genre"].Example);
    }
}
