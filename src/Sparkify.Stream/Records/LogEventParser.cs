using System.Text.Json;
using System.Text.Unicode;

namespace Sparkify.Stream.Records;

/// <summary>Parses NDJSON event lines with Utf8JsonReader and validates them (the rules of docs/semantics.md#validation-rules).</summary>
/// <remarks>Thread-safe: one instance serves every parallel parse worker (its only state is lock-free string caches).</remarks>
internal sealed class LogEventParser
{
    private const string Kind = "event";

    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow };

    private readonly FieldRules _rules = new(EventColumns.Table);

    /// <summary>
    /// Whether clean lines take <see cref="FastEventLine"/> (default); false reads every line with
    /// <c>Utf8JsonReader</c> (the differential test compares the two).
    /// </summary>
    public bool FastPath { get; init; } = true;

    /// <summary>
    /// Parses every line of <paramref name="chunk"/> (whole lines of one log file, newline-separated,
    /// the last line may lack its newline). Blank lines are skipped (they still count for line numbers),
    /// a CR before LF is dropped, and at <paramref name="fileStart"/> a UTF-8 BOM is dropped.
    /// Appends each valid event to <paramref name="events"/> and each bad line to <paramref name="rejects"/>.
    /// </summary>
    /// <returns>The number of records read (valid + rejected) — blank lines are not records.</returns>
    public int ParseLines(
        ReadOnlySpan<byte> chunk, int firstLine, bool fileStart, string sourceKey,
        List<LogEvent> events, List<Reject> rejects, FieldTally? tally = null)
    {
        var batch = new RecordBatch(EventColumns.Table);
        var read = ParseLines(chunk, firstLine, fileStart, sourceKey, batch, rejects, tally);
        for (var i = 0; i < batch.Count; i++) events.Add(LogEvent.FromRow(batch, i));
        return read;
    }

    /// <summary>As above, appending the valid events to a columnar batch (the pipeline's path: no object per event).</summary>
    /// <param name="tally">Where each field's absences in valid events and every field outside the contract are
    /// counted (schema drift); null for none.</param>
    public int ParseLines(
        ReadOnlySpan<byte> chunk, int firstLine, bool fileStart, string sourceKey,
        RecordBatch events, List<Reject> rejects, FieldTally? tally = null)
    {
        var values = new RecordValues(EventColumns.Table);
        if (fileStart && chunk.StartsWith(RawText.Bom)) chunk = chunk[RawText.Bom.Length..];
        var chunkIsUtf8 = Utf8.IsValid(chunk); // one vectorized pass; lines are checked one by one only if it fails

        var read = 0;
        var lineNumber = firstLine;
        while (!chunk.IsEmpty)
        {
            ReadOnlySpan<byte> line;
            var newline = chunk.IndexOf((byte)'\n');
            if (newline < 0)
            {
                line = chunk;
                chunk = default;
            }
            else
            {
                line = chunk[..newline];
                chunk = chunk[(newline + 1)..];
            }

            if (!line.IsEmpty && line[^1] == (byte)'\r') line = line[..^1];
            if (!RawText.IsBlank(line))
            {
                read++;
                if (ParseLine(line, sourceKey, lineNumber, chunkIsUtf8, values, tally) is { } reject)
                {
                    rejects.Add(reject);
                }
                else
                {
                    tally?.CountValid(values);
                    Add(events, values, sourceKey, lineNumber);
                }
            }

            lineNumber++;
        }

        return read;
    }

    /// <summary>Parses and validates one line (no newline, no CR, no BOM).</summary>
    public ParseOutcome<LogEvent> Parse(ReadOnlySpan<byte> line, string sourceKey, int lineNumber)
    {
        var values = new RecordValues(EventColumns.Table);
        if (ParseLine(line, sourceKey, lineNumber, knownUtf8: false, values, null) is { } reject) return ParseOutcome<LogEvent>.Fail(reject);
        var batch = new RecordBatch(EventColumns.Table, 1);
        Add(batch, values, sourceKey, lineNumber);
        return ParseOutcome<LogEvent>.Ok(LogEvent.FromRow(batch, 0));
    }

    private static void Add(RecordBatch events, RecordValues values, string sourceKey, int lineNumber)
    {
        values.SetOrigin(sourceKey, lineNumber);
        EventColumns.DeriveEventId(values);
        events.Add(values);
    }

    /// <summary>Reads one line into <paramref name="values"/>; the reject when it breaks a rule, else null.</summary>
    private Reject? ParseLine(
        ReadOnlySpan<byte> line, string sourceKey, int lineNumber, bool knownUtf8, RecordValues values, FieldTally? tally)
    {
        if (!knownUtf8 && !Utf8.IsValid(line))
        {
            return Fail(line, sourceKey, lineNumber, RejectReason.InvalidUtf8, null,
                $"not valid UTF-8 (bad byte at offset {RawText.FirstInvalidUtf8(line)})");
        }

        values.Reset();
        if (FastPath)
        {
            var checks = new RecordProblem();
            if (FastEventLine.TryRead(line, _rules, values, ref checks))
            {
                _rules.Check(values, ref checks);
                return checks.Found ? Fail(line, sourceKey, lineNumber, checks.Reason!, checks.Field, checks.Message!) : null;
            }
            values.Reset();   // the full path starts over
        }

        var problem = new RecordProblem();
        try
        {
            var reader = new Utf8JsonReader(line, ReaderOptions);
            reader.Read(); // throws on an empty line
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return Fail(line, sourceKey, lineNumber, RejectReason.MalformedJson, null,
                    $"a log line must be a JSON object, not {RawText.KindOf(reader.TokenType)}");
            }

            _rules.ReadObject(ref reader, values, ref problem, tally);
            reader.Read(); // throws on anything but whitespace after the object
        }
        catch (JsonException ex)
        {
            // Only a bad \u escape outranks broken JSON (it stands with invalid UTF-8, the table's first row).
            if (!(problem.Found && problem.Rank == RecordProblem.InvalidUnicodeRank))
                return Fail(line, sourceKey, lineNumber, RejectReason.MalformedJson, null, "not valid JSON: " + ex.Message);
        }

        _rules.Check(values, ref problem);
        return problem.Found ? Fail(line, sourceKey, lineNumber, problem.Reason!, problem.Field, problem.Message!) : null;
    }

    private static Reject Fail(
        ReadOnlySpan<byte> line, string sourceKey, int lineNumber, string reason, string? field, string message) =>
        new(sourceKey, lineNumber, Kind, reason, field, message, RawText.Raw(line));
}
