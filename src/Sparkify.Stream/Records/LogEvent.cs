namespace Sparkify.Stream.Records;

/// <summary>One validated event of a log file: a row of <c>staging_events</c> (docs/semantics.md#staging_events).</summary>
/// <remarks>Strings are null where the input was missing, null or empty. <see cref="Ts"/> is epoch milliseconds, UTC.</remarks>
internal sealed record LogEvent
{
    public required long EventId { get; init; }
    public required long Ts { get; init; }
    public int? UserId { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Gender { get; init; }
    public string? Level { get; init; }
    public string? Auth { get; init; }
    public string? Method { get; init; }
    public string? Page { get; init; }
    public string? Location { get; init; }
    public string? UserAgent { get; init; }
    public string? Artist { get; init; }
    public string? Song { get; init; }
    public double? Length { get; init; }
    public int? ItemInSession { get; init; }
    public int? SessionId { get; init; }
    public int? Status { get; init; }
    public long? Registration { get; init; }
    public required string SourceKey { get; init; }
    public required int SourceLine { get; init; }

    /// <summary>Row <paramref name="row"/> of a <c>staging_events</c> batch as a record (tests and small callers; the pipeline never needs it).</summary>
    public static LogEvent FromRow(RecordBatch batch, int row)
    {
        object? V(string column) => batch.Value(column, row);
        return new LogEvent
        {
            EventId = (long)V("event_id")!,
            Ts = (long)V("ts")!,
            UserId = (int?)V("user_id"),
            FirstName = (string?)V("first_name"),
            LastName = (string?)V("last_name"),
            Gender = (string?)V("gender"),
            Level = (string?)V("level"),
            Auth = (string?)V("auth"),
            Method = (string?)V("method"),
            Page = (string?)V("page"),
            Location = (string?)V("location"),
            UserAgent = (string?)V("user_agent"),
            Artist = (string?)V("artist"),
            Song = (string?)V("song"),
            Length = (double?)V("length"),
            ItemInSession = (int?)V("item_in_session"),
            SessionId = (int?)V("session_id"),
            Status = (int?)V("status"),
            Registration = (long?)V("registration"),
            SourceKey = (string)V("source_key")!,
            SourceLine = (int)V("source_line")!,
        };
    }
}
