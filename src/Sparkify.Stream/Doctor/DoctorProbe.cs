using System.Globalization;
using System.Text;
using Sparkify.Stream.Records;

namespace Sparkify.Stream.Doctor;

/// <summary>
/// The data `sparkify doctor` stages, loads and merges (and rolls back): edge values that the COPY must carry exactly,
/// and a small scenario whose star rows are known in advance — ISO weeks and weekdays around New Year, a play matched
/// within the duration tolerance (two candidates, the smaller song id wins), one matched by no song, a user whose
/// latest event wins, a tie on ts broken by the greater event id.
/// </summary>
/// <remarks>
/// Shaped like a production run's staging, not like a unit test's: <see cref="EventCount"/> events, so that with
/// row groups of <see cref="RowGroupRows"/> the events fill several row groups and parts under one manifest; most are
/// logged-out page views (no user, no songplay) whose <c>location</c> differs on every row, so that column is past the
/// writer's dictionary limit and written as PLAIN pages, beside <c>page</c>, <c>auth</c> and <c>level</c>, which repeat
/// and are dictionary-encoded; and the empty string where staging keeps one (a location and a level, a file version
/// from a store that gives no ETag, a field named "" with the value "").
/// Its keys are chosen not to meet real data: song and artist ids start with "SODOCTOR"/"ARDOCTOR", user ids are near
/// the top of the INT range, and titles name the doctor. Nothing of it is committed.
/// </remarks>
internal sealed class DoctorProbe
{
    public const string SourcePrefix = "sparkify-doctor/";

    /// <summary>Rows per row group of the probe's parts (a part holds two).</summary>
    public const int RowGroupRows = 100;

    /// <summary>The probe's events: four row groups, in two parts.</summary>
    public const int EventCount = 4 * RowGroupRows;

    private const int DefaultUserA = 2_147_480_001;   // two events: the later one wins
    private const int UserB = 2_147_480_002;          // two events at one ts: the greater event id wins
    private const string Title = "Sparkify doctor probe: Ærø ☃ 𝄞";
    private const string ArtistName = "Sparkify Doctor Band";

    /// <summary>A string of exactly 65,535 UTF-8 bytes (Redshift's VARCHAR limit) of 1-, 2-, 3- and 4-byte characters.</summary>
    public static readonly string LongText = MakeLongText();

    /// <summary>
    /// The days the probe's second load replaces (backfill --replace): that path deletes every songplay in its range, so
    /// the range is one no real data has — the last two days of the valid ts range (2000-01-01 to 2099-12-31), which
    /// hold one probe play.
    /// </summary>
    public static readonly Sources.DateRange ReplaceRange = new(new DateOnly(2099, 12, 30), new DateOnly(2099, 12, 31));

    /// <param name="userA">The first probe user's id; only a test gives another one (a real user's, to show that the
    /// doctor fails a probe that meets a row outside its own keys).</param>
    public DoctorProbe(string runId, int userA = DefaultUserA)
    {
        var eventsKey = $"{SourcePrefix}{runId}/log_data/2021/01/2021-01-01-events.json";
        var songsKey = $"{SourcePrefix}{runId}/song_data/A/B/C/TRSODOCTOR.json";
        var line = 0;
        LogEvent Play(string iso, int user, string first, string level, double length, int item) => new()
        {
            EventId = EventIds.Compute(Ms(iso), 7001, item, user),
            Ts = Ms(iso), UserId = user, FirstName = first, LastName = "Probe", Gender = "F", Level = level,
            Auth = "Logged In", Method = "PUT", Page = "NextSong", Location = "Zürich, CH", UserAgent = "doctor/1.0",
            Artist = ArtistName, Song = Title, Length = length, ItemInSession = item, SessionId = 7001, Status = 200,
            Registration = 1_540_919_166_796, SourceKey = eventsKey, SourceLine = ++line,
        };
        Plays =
        [
            Play("2020-12-31T23:59:59.999Z", userA, "Early", "free", 200.0003, 0),   // matches SO…01 and SO…02: 01 wins
            Play("2021-01-01T00:00:00.000Z", userA, "Late", "paid", 200.002, 1),     // within 0.001 of none
            Play("2021-01-03T12:00:00.500Z", UserB, "Tie", "free", 199.9996, 2),     // a Sunday; matches SO…01 only
            Play("2021-01-03T12:00:00.500Z", UserB, "Tie", "paid", 1.0, 3),          // same ts: greater event id wins
            Play("2021-01-04T00:00:00.001Z", userA, "Monday", "free", 1.0, 4),       // ISO week 1 of 2021
            Play("2018-12-31T08:00:00.000Z", UserB, "Old", "free", 1.0, 5),          // ISO week 1 of 2019; older: loses
            Play("2000-01-01T00:00:00.000Z", UserB, "Old", "free", 1.0, 6),          // the first valid instant
            Play("2099-12-31T23:59:59.999Z", userA, "Latest", "paid", 1.0, 7),       // the last valid millisecond
        ];
        Edges =
        [
            // Every optional column NULL, a leap-day ts with milliseconds.
            new LogEvent { EventId = long.MinValue, Ts = Ms("2024-02-29T23:59:59.999Z"), SourceKey = eventsKey, SourceLine = ++line },
            // Range ends and the longest strings, on a page that makes no songplay.
            new LogEvent
            {
                EventId = long.MaxValue, Ts = Ms("2000-01-01T00:00:00.001Z"), UserId = int.MinValue,
                FirstName = LongText, LastName = "O'Brien \"quoted\" \\ back\\slash, comma", Gender = "M", Level = "free",
                Auth = "Logged Out", Method = "GET", Page = "Home", Location = "\t tab and\nnewline", UserAgent = LongText,
                Artist = "a", Song = "s", Length = 1.7976931348623157E308, ItemInSession = int.MaxValue,
                SessionId = int.MinValue, Status = int.MaxValue, Registration = long.MaxValue, SourceKey = eventsKey,
                SourceLine = int.MaxValue,
            },
        ];
        // Logged-out page views: no user, so no songplay or user row; one location each (PLAIN pages), the rest repeated.
        var firstFiller = Ms("2021-01-02T00:00:00.000Z");
        Fillers =
        [
            .. Enumerable.Range(0, EventCount - Plays.Count - Edges.Count).Select(i => new LogEvent
            {
                EventId = EventIds.Compute(firstFiller + (i * 1000L), 7002, i, null),
                Ts = firstFiller + (i * 1000L), Level = i == 1 ? "" : "free", Auth = "Logged Out", Method = "GET",
                Page = "Home", Location = i == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"Probe town {i:D4}, Øresund ☃"),
                UserAgent = "doctor/1.0", ItemInSession = i, SessionId = 7002, Status = 200, SourceKey = eventsKey,
                SourceLine = ++line,
            }),
        ];
        Songs =
        [
            Song("SODOCTOR00000001", "ARDOCTOR00000001", 200.0, 2021, "Basel", 47.5596, 7.5886),
            Song("SODOCTOR00000002", "ARDOCTOR00000002", 200.0005, null, null, null, null),
            new SongRecord
            {
                SongId = "SODOCTOR00000003", Title = LongText, ArtistId = "ARDOCTOR00000003", ArtistName = LongText,
                ArtistLocation = null, ArtistLatitude = double.MaxValue, ArtistLongitude = -double.MaxValue,
                Duration = 2.2250738585072014E-308, Year = int.MaxValue, NumSongs = int.MinValue, SourceKey = songsKey,
            },
        ];
        SongRecord Song(string id, string artist, double duration, int? year, string? location, double? lat, double? lon) => new()
        {
            SongId = id, Title = Title, ArtistId = artist, ArtistName = ArtistName, ArtistLocation = location,
            ArtistLatitude = lat, ArtistLongitude = lon, Duration = duration, Year = year, NumSongs = 1, SourceKey = songsKey,
        };
        Files =
        [
            new StagedFile(eventsKey, "event", "\"0123456789abcdef0123456789abcdef\"", long.MaxValue, "2021-01-01",
                EventCount, EventCount, 0, runId),
            // An S3-compatible store that gives no ETag: the version is "".
            new StagedFile(songsKey, "song", "", 0, null, Songs.Count, Songs.Count, 0, runId),
        ];
        FieldCounts =
        [
            new FieldCount(eventsKey, "event", "", 0, EventCount, 0, 0, 1, "\"\""),   // {"": ""}: a field named ""
            new FieldCount(eventsKey, "event", "userId", 1, long.MaxValue, 0, long.MaxValue, 0, null),
            new FieldCount(eventsKey, "event", "user_id", 0, long.MaxValue, 0, 0, long.MaxValue, "\"O'Brien \\\"quoted\\\", comma\""),
            new FieldCount(songsKey, "song", "artist_latitude", 1, Songs.Count, 1, 1, Songs.Count - 2, null),
        ];
    }

    public IReadOnlyList<LogEvent> Plays { get; }
    public IReadOnlyList<LogEvent> Edges { get; }

    /// <summary>Logged-out page views that fill the row groups: no user, no songplay.</summary>
    public IReadOnlyList<LogEvent> Fillers { get; }

    /// <summary>Every probe event, in source-line order (the order the staged rows are compared in).</summary>
    public IReadOnlyList<LogEvent> Events => [.. Plays.Concat(Edges).Concat(Fillers).OrderBy(e => e.SourceLine)];
    public IReadOnlyList<SongRecord> Songs { get; }
    public IReadOnlyList<StagedFile> Files { get; }

    /// <summary>Field counts of the probe's files, in (source key, field) order: a contract field and unknown ones.</summary>
    public IReadOnlyList<FieldCount> FieldCounts { get; }

    /// <summary>The probe's staging rows, one batch per staging table in load order (events, songs, files, field counts).</summary>
    public IReadOnlyList<RecordBatch> Staged =>
    [
        Batch(EventColumns.Table, Events), Batch(SongColumns.Table, Songs), Batch(FileColumns.Table, Files),
        Batch(FieldCountColumns.Table, FieldCounts),
    ];

    /// <summary>A batch's rows as the warehouse must hold them after the COPY, in the table's column order.</summary>
    public static IReadOnlyList<string?[]> RowsOf(RecordBatch batch) =>
        [.. Enumerable.Range(0, batch.Count).Select(r => Row([.. Enumerable.Range(0, batch.Table.Columns.Count).Select(c => batch.Value(c, r))]))];

    private static RecordBatch Batch<T>(StagingTable table, IEnumerable<T> records)
    {
        var batch = new RecordBatch(table);
        foreach (var record in records) batch.Add(record);
        return batch;
    }

    /// <summary>The probe's songplays (docs/semantics.md#songplays), by songplay_id.</summary>
    public IReadOnlyList<string?[]> ExpectedSongplays => [.. Plays.OrderBy(p => p.EventId).Select(p =>
    {
        // |duration − length| < 0.001 against the probe's songs; several → the smallest song_id.
        var match = Songs.Where(s => s.Title == p.Song && s.ArtistName == p.Artist && Math.Abs(s.Duration!.Value - p.Length!.Value) < 0.001)
            .OrderBy(s => s.SongId, StringComparer.Ordinal).FirstOrDefault();
        return Row(p.EventId, Instant(p.Ts), p.UserId, p.Level, match?.SongId, match?.ArtistId, p.SessionId, p.Location, p.UserAgent);
    })];

    /// <summary>Each probe user's row from its latest event, of any page (greatest ts, ties → greatest event id).</summary>
    public IReadOnlyList<string?[]> ExpectedUsers => [.. Events.Where(e => e.UserId is not null).GroupBy(p => p.UserId!.Value).OrderBy(g => g.Key).Select(g =>
    {
        var latest = g.OrderByDescending(p => p.Ts).ThenByDescending(p => p.EventId).First();
        return Row(g.Key, latest.FirstName, latest.LastName, latest.Gender, latest.Level, Instant(latest.Ts));
    })];

    public IReadOnlyList<string?[]> ExpectedSongs => [.. Songs.OrderBy(s => s.SongId, StringComparer.Ordinal)
        .Select(s => Row(s.SongId, s.Title, s.ArtistId, s.Year, s.Duration))];

    /// <summary>One artist per probe song here, so each artist's values are its only song's.</summary>
    public IReadOnlyList<string?[]> ExpectedArtists => [.. Songs.OrderBy(s => s.ArtistId, StringComparer.Ordinal)
        .Select(s => Row(s.ArtistId, s.ArtistName, s.ArtistLocation, s.ArtistLatitude, s.ArtistLongitude))];

    /// <summary>time rows, computed here with .NET's ISO 8601 calendar (weekday 0 = Sunday).</summary>
    public IReadOnlyList<string?[]> ExpectedTime => [.. Plays.Select(p => p.Ts).Distinct().Order().Select(ts =>
    {
        var t = DateTime.UnixEpoch.AddMilliseconds(ts);
        return Row(Instant(ts), t.Hour, t.Day, ISOWeek.GetWeekOfYear(t), t.Month, t.Year, (int)t.DayOfWeek);
    })];

    public IEnumerable<long> SongplayIds => Plays.Select(p => p.EventId);
    public IEnumerable<int> UserIds => Events.Where(e => e.UserId is not null).Select(e => e.UserId!.Value).Distinct();
    public IEnumerable<string> SongIds => Songs.Select(s => s.SongId);
    public IEnumerable<string> ArtistIds => Songs.Select(s => s.ArtistId!);
    public IEnumerable<DateTime> StartTimes => Plays.Select(p => DateTime.UnixEpoch.AddMilliseconds(p.Ts)).Distinct();

    private static long Ms(string iso) =>
        DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds();

    private static DateTime Instant(long ts) => DateTime.UnixEpoch.AddMilliseconds(ts);

    private static string?[] Row(params object?[] values) => [.. values.Select(Canonical)];

    /// <summary>
    /// One text form per value, whatever client type a target returns it as (int/long/short, DateTime, double), so
    /// expected and found rows compare exactly: doubles round-trip ("R"), timestamps to the microsecond.
    /// </summary>
    public static string? Canonical(object? value) => value switch
    {
        null or DBNull => null,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("R", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        IFormattable n => n.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static string MakeLongText()
    {
        // 1 + 2 + 3 + 4 bytes a round: 6,553 rounds are 65,530 bytes, and "ab☃" the last 5.
        var text = new StringBuilder();
        for (var i = 0; i < 6_553; i++) text.Append("aé☃𝄞");
        text.Append("ab☃");
        var result = text.ToString();
        if (Encoding.UTF8.GetByteCount(result) != 65_535) throw new InvalidOperationException("probe text is not 65,535 bytes");
        return result;
    }
}
