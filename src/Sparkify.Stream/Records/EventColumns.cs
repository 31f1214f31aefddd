namespace Sparkify.Stream.Records;

/// <summary>
/// <c>staging_events</c>, column by column (docs/semantics.md#staging_events order), with how each is read from a log line (docs/semantics.md#validation-rules). The
/// one place the event schema is written down: the batch buffers, the Parquet schema and writer, the Postgres COPY,
/// the parser's rules and the DDL-order test all follow it. Adding a column is one line here plus the SQL that
/// uses it (the two <c>create_tables.sql</c>, and the merge).
/// </summary>
internal static class EventColumns
{
    /// <summary>2000-01-01T00:00:00Z and 2100-01-01T00:00:00Z in epoch milliseconds: the valid ts range, end exclusive.</summary>
    public const long MinTs = 946_684_800_000, EndTs = 4_102_444_800_000;

    /// <summary>The ranks of the two rules every string field has: after the typed fields' rows.</summary>
    private const int StringTypeRank = 7, TooLongRank = 8;

    public static readonly StagingTable Table = new("events", "event",
    [
        // Derived: EventIds over ts, session_id, item_in_session, user_id (DeriveEventId below).
        Col("event_id", ColumnType.Int64, nullable: false, e => e.EventId),
        Col("ts", ColumnType.Int64, nullable: false, e => e.Ts) with
        {
            Source = new("ts", 0)
            {
                IntegerRange = new(MinTs, EndTs - 1, v => $"ts {v} is outside 2000-01-01 to 2100-01-01 (epoch milliseconds)"),
            },
        },
        Col("user_id", ColumnType.Int32, nullable: true, e => e.UserId) with { Source = new("userId", 1) { EmptyStringIsNull = true } },
        Text("first_name", "firstName", 2048, e => e.FirstName),
        Text("last_name", "lastName", 2048, e => e.LastName),
        Text("gender", "gender", 64, e => e.Gender),
        Text("level", "level", 64, e => e.Level),
        Text("auth", "auth", 64, e => e.Auth),
        Text("method", "method", 64, e => e.Method),
        Text("page", "page", 64, e => e.Page),
        Text("location", "location", 2048, e => e.Location),
        Text("user_agent", "userAgent", 2048, e => e.UserAgent),
        // A catalogue of tens of thousands of songs: 8,192 slots missed on most plays (a decode and three allocations each).
        Text("artist", "artist", 65536, e => e.Artist),
        Text("song", "song", 65536, e => e.Song),
        Col("length", ColumnType.Double, nullable: true, e => e.Length) with
        {
            Source = new("length", 5) { NumberRange = new(0, double.MaxValue, v => $"length {v} is negative") },
        },
        Col("item_in_session", ColumnType.Int32, nullable: true, e => e.ItemInSession) with
        {
            Source = new("itemInSession", 3) { IntegerRange = new(0, long.MaxValue, v => $"itemInSession {v} is negative") },
        },
        Col("session_id", ColumnType.Int32, nullable: true, e => e.SessionId) with { Source = new("sessionId", 2) },
        Col("status", ColumnType.Int32, nullable: true, e => e.Status) with
        {
            Source = new("status", 4) { IntegerRange = new(100, 599, v => $"status {v} is outside 100-599") },
        },
        Col("registration", ColumnType.Int64, nullable: true, e => e.Registration) with { Source = new("registration", 6) },
        Col("source_key", ColumnType.Text, nullable: false, e => e.SourceKey),
        Col("source_line", ColumnType.Int32, nullable: false, e => e.SourceLine),
    ], StringTypeRank, TooLongRank);

    private static readonly int EventId = Table.Ordinal("event_id"), Ts = Table.Ordinal("ts"),
        SessionId = Table.Ordinal("session_id"), Item = Table.Ordinal("item_in_session"), UserId = Table.Ordinal("user_id");

    /// <summary>Fills event_id from the values read (the hash of ts, sessionId, itemInSession and userId: docs/semantics.md#staging_events).</summary>
    public static void DeriveEventId(RecordValues v) =>
        v.SetInteger(EventId, EventIds.Compute(v.Integers[Ts], v.Int32(SessionId), v.Int32(Item), v.Int32(UserId)));

    private static StagingColumn Col(string name, ColumnType type, bool nullable, Func<LogEvent, object?> get) =>
        new(name, type, nullable) { Get = get };

    private static StagingColumn Text(string name, string field, int cacheSize, Func<LogEvent, object?> get) =>
        new(name, ColumnType.Text) { Source = new SourceField(field) { CacheSize = cacheSize }, Get = get };
}
