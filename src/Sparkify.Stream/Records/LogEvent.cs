namespace Sparkify.Stream.Records;

/// <summary>One validated event of a log file: a row of <c>staging_events</c> (SPEC §2).</summary>
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
}
