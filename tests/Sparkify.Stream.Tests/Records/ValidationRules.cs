using System.Globalization;
using Sparkify.Stream.Records;
using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Tests.Records;

/// <summary>
/// One row of the validation table in docs/semantics.md (#validation-rules): a field of a record kind, its SQL type, whether it is required,
/// its range and the reason codes a bad value gets.
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
/// The field rules as docs/semantics.md's validation table lists them. Only the rows' order and notes are written here: each field's
/// type, whether it is required and its range are read from the column tables (<see cref="EventColumns"/>,
/// <see cref="SongColumns"/>), the one place the product states them. So that table is checked against the
/// code the parsers run, and the parsers against it (each boundary value goes through <see cref="LogEventParser"/> and
/// <see cref="SongFileParser"/>).
/// </summary>
internal static class ValidationRules
{
    /// <summary>The field name of rules on the whole record (a log line, or a song file or array element).</summary>
    public const string WholeRecord = "(record)";

    private static readonly string[] Numeric = [RejectReason.WrongType, RejectReason.OutOfRange];
    private static readonly string[] RequiredNumeric = [RejectReason.MissingField, RejectReason.WrongType, RejectReason.OutOfRange];
    private static readonly string[] Text = [RejectReason.WrongType, RejectReason.TooLong, RejectReason.InvalidUtf8];
    private static readonly string[] RequiredText = [RejectReason.MissingField, RejectReason.WrongType, RejectReason.TooLong, RejectReason.InvalidUtf8];
    private static readonly string[] Record = [RejectReason.MalformedJson, RejectReason.InvalidUtf8];

    public static readonly IReadOnlyList<FieldRule> Events =
    [
        new(RecordKind.Event, WholeRecord, "JSON object", true, null, null, false, Record,
            "one line; not UTF-8 → invalid_utf8, not one JSON object → malformed_json; blank lines are skipped"),
        // docs/semantics.md writes ts's range with its end excluded: 2100-01-01 itself is the first instant out of range.
        From(EventColumns.Table, RecordKind.Event, "ts", "epoch milliseconds: 2000-01-01 to 2100-01-01 UTC", maxExclusive: true),
        From(EventColumns.Table, RecordKind.Event, "userId", "empty string: logged out (NULL)"),
        From(EventColumns.Table, RecordKind.Event, "sessionId"),
        From(EventColumns.Table, RecordKind.Event, "itemInSession"),
        From(EventColumns.Table, RecordKind.Event, "status"),
        From(EventColumns.Table, RecordKind.Event, "length", "seconds"),
        From(EventColumns.Table, RecordKind.Event, "registration", "epoch milliseconds; may be written as a float such as 1.540919166796E12"),
        .. new[] { "artist", "auth", "firstName", "gender", "lastName", "level", "location", "method", "page", "song", "userAgent" }
            .Select(field => From(EventColumns.Table, RecordKind.Event, field)),
    ];

    public static readonly IReadOnlyList<FieldRule> Songs =
    [
        new(RecordKind.Song, WholeRecord, "JSON object", true, null, null, false, Record,
            "a file holds one object or an array of them; a file that is not UTF-8 is one invalid_utf8 record"),
        From(SongColumns.Table, RecordKind.Song, "song_id", "empty counts as missing"),
        From(SongColumns.Table, RecordKind.Song, "duration", "seconds"),
        From(SongColumns.Table, RecordKind.Song, "year", "0: unknown (NULL)"),
        From(SongColumns.Table, RecordKind.Song, "num_songs"),
        From(SongColumns.Table, RecordKind.Song, "artist_latitude"),
        From(SongColumns.Table, RecordKind.Song, "artist_longitude"),
        .. new[] { "title", "artist_id", "artist_name", "artist_location" }
            .Select(field => From(SongColumns.Table, RecordKind.Song, field)),
    ];

    public static IEnumerable<FieldRule> All => Events.Concat(Songs);

    /// <summary>
    /// The rule of the column that reads <paramref name="field"/>: its type, required when the column is not
    /// nullable, its range rule's bounds (a bound at the type's own limit is no bound) and the reasons its type gives.
    /// </summary>
    private static FieldRule From(StagingTable table, RecordKind kind, string field, string notes = "", bool maxExclusive = false)
    {
        var column = table.Columns.Single(c => c.Source?.Name == field);
        var source = column.Source!;
        var required = !column.Nullable;
        var (type, reasons) = column.Type switch
        {
            ColumnType.Int32 => ("INT", required ? RequiredNumeric : Numeric),
            ColumnType.Int64 => ("BIGINT", required ? RequiredNumeric : Numeric),
            ColumnType.Double => ("DOUBLE", required ? RequiredNumeric : Numeric),
            _ => ("VARCHAR", required ? RequiredText : Text),
        };
        decimal? min = null, max = null;
        if (source.IntegerRange is { } integers)
        {
            min = integers.Min == long.MinValue ? null : integers.Min;
            max = integers.Max == long.MaxValue ? null : integers.Max + (maxExclusive ? 1 : 0);
        }
        if (source.NumberRange is { } numbers)
        {
            min = numbers.Min == double.MinValue ? null : (decimal)numbers.Min;
            max = numbers.Max == double.MaxValue ? null : (decimal)numbers.Max;
        }
        return new FieldRule(kind, field, type, required, min, max, maxExclusive, reasons, notes);
    }
}
