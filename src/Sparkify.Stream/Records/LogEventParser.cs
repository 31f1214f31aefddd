namespace Sparkify.Stream.Records;

/// <summary>Parses NDJSON event lines with Utf8JsonReader and validates them (SPEC §1 record rules).</summary>
/// <remarks>Thread-safe: one instance serves every parallel parse worker.</remarks>
internal sealed class LogEventParser
{
    /// <summary>
    /// Parses every line of <paramref name="chunk"/> (whole lines of one log file, newline-separated,
    /// the last line may lack its newline). Blank lines are skipped (they still count for line numbers),
    /// a CR before LF is dropped, and at <paramref name="fileStart"/> a UTF-8 BOM is dropped.
    /// Appends each valid event to <paramref name="events"/> and each bad line to <paramref name="rejects"/>.
    /// </summary>
    /// <returns>The number of records read (valid + rejected) — blank lines are not records.</returns>
    public int ParseLines(
        ReadOnlySpan<byte> chunk, int firstLine, bool fileStart, string sourceKey,
        List<LogEvent> events, List<Reject> rejects) => throw new NotImplementedException();

    /// <summary>Parses and validates one line (no newline, no CR, no BOM).</summary>
    public ParseOutcome<LogEvent> Parse(ReadOnlySpan<byte> line, string sourceKey, int lineNumber) =>
        throw new NotImplementedException();
}
