using System.Globalization;
using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Records;

/// <summary>
/// One row of the validation table in docs/semantics.md: a field of a record kind, its SQL type, whether it is required,
/// its range and the reason codes a bad value gets (docs/semantics.md#validation-rules).
/// </summary>
/// <param name="Field">The JSON field name, or <see cref="ValidationRules.WholeRecord"/> for rules on the record itself.</param>
/// <param name="Type">The staging type: INT, BIGINT, DOUBLE, VARCHAR, or "JSON object" for the whole record.</param>
/// <param name="Min">Smallest valid value (inclusive), or null for the type's own limit.</param>
/// <param name="Max">Largest valid value (inclusive unless <paramref name="MaxExclusive"/>), or null for the type's own limit.</param>
/// <param name="Reasons">The reason codes a value of this field can get, in <see cref="RejectReason.All"/> order.</param>
internal sealed record FieldRule(
    RecordKind Kind, string Field, string Type, bool Required, decimal? Min, decimal? Max, bool MaxExclusive,
    IReadOnlyList<string> Reasons, string Notes)
{
    /// <summary>The range as docs/semantics.md writes it.</summary>
    public string RangeText => Type switch
    {
        "VARCHAR" => $"≤ {FieldRules.MaxStringBytes.ToString("N0", CultureInfo.InvariantCulture)} UTF-8 bytes",
        _ when Min is null && Max is null => Type is "INT" or "BIGINT" ? $"{Type} range" : "—",
        _ when Max is null => $"≥ {N(Min!.Value)}",
        _ when MaxExclusive => $"{N(Min!.Value)} ≤ {Field} < {N(Max.Value)}",
        _ => $"{N(Min!.Value)} to {N(Max.Value)}",
    };

    /// <summary>The row's cells as docs/semantics.md writes them: record, field, type, required, range, reasons, notes.</summary>
    public IReadOnlyList<string> Cells =>
        [Kind.Name(), Field, Type, Required ? "yes" : "no", RangeText, string.Join(", ", Reasons), Notes];

    private static string N(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// Every field rule of docs/semantics.md#validation-rules as data: that page's table is checked against it, and it against the
/// parsers (the tests parse each boundary value through <see cref="LogEventParser"/> and <see cref="SongFileParser"/>).
/// </summary>
internal static class ValidationRules
{
    /// <summary>The field name of rules on the whole record (a log line, or a song file or array element).</summary>
    public const string WholeRecord = "(record)";

    private static readonly string[] Numeric = [RejectReason.WrongType, RejectReason.OutOfRange];
    private static readonly string[] Required = [RejectReason.MissingField, RejectReason.WrongType, RejectReason.OutOfRange];
    private static readonly string[] Text = [RejectReason.WrongType, RejectReason.TooLong, RejectReason.InvalidUtf8];
    private static readonly string[] RequiredText = [RejectReason.MissingField, RejectReason.WrongType, RejectReason.TooLong, RejectReason.InvalidUtf8];
    private static readonly string[] Record = [RejectReason.MalformedJson, RejectReason.InvalidUtf8];

    public static readonly IReadOnlyList<FieldRule> Events =
    [
        new(RecordKind.Event, WholeRecord, "JSON object", true, null, null, false, Record,
            "one line; not UTF-8 → invalid_utf8, not one JSON object → malformed_json; blank lines are skipped"),
        new(RecordKind.Event, "ts", "BIGINT", true, EventColumns.MinTs, EventColumns.EndTs, true, Required,
            "epoch milliseconds: 2000-01-01 to 2100-01-01 UTC"),
        new(RecordKind.Event, "userId", "INT", false, null, null, false, Numeric, "empty string: logged out (NULL)"),
        new(RecordKind.Event, "sessionId", "INT", false, null, null, false, Numeric, ""),
        new(RecordKind.Event, "itemInSession", "INT", false, 0, null, false, Numeric, ""),
        new(RecordKind.Event, "status", "INT", false, 100, 599, false, Numeric, ""),
        new(RecordKind.Event, "length", "DOUBLE", false, 0, null, false, Numeric, "seconds"),
        new(RecordKind.Event, "registration", "BIGINT", false, null, null, false, Numeric,
            "epoch milliseconds; may be written as a float such as 1.540919166796E12"),
        .. new[] { "artist", "auth", "firstName", "gender", "lastName", "level", "location", "method", "page", "song", "userAgent" }
            .Select(field => new FieldRule(RecordKind.Event, field, "VARCHAR", false, null, null, false, Text, "")),
    ];

    public static readonly IReadOnlyList<FieldRule> Songs =
    [
        new(RecordKind.Song, WholeRecord, "JSON object", true, null, null, false, Record,
            "a file holds one object or an array of them; a file that is not UTF-8 is one invalid_utf8 record"),
        new(RecordKind.Song, "song_id", "VARCHAR", true, null, null, false, RequiredText, "empty counts as missing"),
        new(RecordKind.Song, "duration", "DOUBLE", false, 0, null, false, Numeric, "seconds"),
        new(RecordKind.Song, "year", "INT", false, null, null, false, Numeric, "0: unknown (NULL)"),
        new(RecordKind.Song, "num_songs", "INT", false, null, null, false, Numeric, ""),
        new(RecordKind.Song, "artist_latitude", "DOUBLE", false, -90, 90, false, Numeric, ""),
        new(RecordKind.Song, "artist_longitude", "DOUBLE", false, -180, 180, false, Numeric, ""),
        .. new[] { "title", "artist_id", "artist_name", "artist_location" }
            .Select(field => new FieldRule(RecordKind.Song, field, "VARCHAR", false, null, null, false, Text, "")),
    ];

    public static IEnumerable<FieldRule> All => Events.Concat(Songs);
}
