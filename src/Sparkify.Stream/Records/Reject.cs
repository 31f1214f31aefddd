namespace Sparkify.Stream.Records;

/// <summary>The reason codes of docs/semantics.md#rejects, as written to rejects.csv and report.json.</summary>
internal static class RejectReason
{
    public const string MalformedJson = "malformed_json";
    public const string MissingField = "missing_field";
    public const string WrongType = "wrong_type";
    public const string OutOfRange = "out_of_range";
    public const string TooLong = "too_long";
    public const string InvalidUtf8 = "invalid_utf8";

    public static readonly IReadOnlyList<string> All =
        [MalformedJson, MissingField, WrongType, OutOfRange, TooLong, InvalidUtf8];
}

/// <summary>A record that was read but not loaded, with the first rule it broke (docs/semantics.md#validation-rules, #rejects).</summary>
/// <param name="SourceKey">The file's key (relative path or S3 key).</param>
/// <param name="Line">1-based line of a log file; 1-based record number of a song file.</param>
/// <param name="Kind">"event" or "song".</param>
/// <param name="Reason">One of <see cref="RejectReason"/>.</param>
/// <param name="Field">The JSON field at fault, or null when the whole record is.</param>
/// <param name="Message">What is wrong, for a person.</param>
/// <param name="Raw">The record's text, cut to 1,024 bytes.</param>
internal sealed record Reject(
    string SourceKey, int Line, string Kind, string Reason, string? Field, string Message, string Raw)
{
    public const int MaxRawBytes = 1024;
}
