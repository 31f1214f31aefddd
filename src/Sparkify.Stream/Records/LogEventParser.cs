using System.Text.Json;
using System.Text.Unicode;
using Sparkify.Stream.Staging;

namespace Sparkify.Stream.Records;

/// <summary>Parses NDJSON event lines with Utf8JsonReader and validates them (SPEC §1 record rules).</summary>
/// <remarks>Thread-safe: one instance serves every parallel parse worker (its only state is lock-free string caches).</remarks>
internal sealed class LogEventParser
{
    private const string Kind = "event";

    /// <summary>2000-01-01T00:00:00Z and 2100-01-01T00:00:00Z in epoch milliseconds: the valid ts range, end exclusive.</summary>
    public const long MinTs = 946_684_800_000, EndTs = 4_102_444_800_000;

    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow };

    private static readonly StringRules Strings = new(Rank.StringType, Rank.TooLong);

    private readonly EventStringPools _pools = new();

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
        List<LogEvent> events, List<Reject> rejects)
    {
        var batch = new EventBatch();
        var read = ParseLines(chunk, firstLine, fileStart, sourceKey, batch, rejects);
        for (var i = 0; i < batch.Count; i++) events.Add(batch[i]);
        return read;
    }

    /// <summary>As above, appending the valid events to a columnar batch (the pipeline's path: no object per event).</summary>
    public int ParseLines(
        ReadOnlySpan<byte> chunk, int firstLine, bool fileStart, string sourceKey,
        EventBatch events, List<Reject> rejects)
    {
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
                var fields = new EventFields();
                if (ParseLine(line, sourceKey, lineNumber, chunkIsUtf8, ref fields) is { } reject) rejects.Add(reject);
                else events.Add(in fields, sourceKey, lineNumber);
            }

            lineNumber++;
        }

        return read;
    }

    /// <summary>Parses and validates one line (no newline, no CR, no BOM).</summary>
    public ParseOutcome<LogEvent> Parse(ReadOnlySpan<byte> line, string sourceKey, int lineNumber)
    {
        var fields = new EventFields();
        return ParseLine(line, sourceKey, lineNumber, knownUtf8: false, ref fields) is { } reject
            ? ParseOutcome<LogEvent>.Fail(reject)
            : ParseOutcome<LogEvent>.Ok(fields.ToEvent(sourceKey, lineNumber));
    }

    /// <summary>Reads one line into <paramref name="fields"/>; the reject when it breaks a rule, else null.</summary>
    private Reject? ParseLine(ReadOnlySpan<byte> line, string sourceKey, int lineNumber, bool knownUtf8, ref EventFields fields)
    {
        if (!knownUtf8 && !Utf8.IsValid(line))
        {
            return Fail(line, sourceKey, lineNumber, RejectReason.InvalidUtf8, null,
                $"not valid UTF-8 (bad byte at offset {RawText.FirstInvalidUtf8(line)})");
        }

        if (FastPath)
        {
            if (FastEventLine.TryRead(line, _pools, ref fields))
            {
                var checks = new RecordProblem();
                CheckRanges(ref fields, ref checks);
                return checks.Found ? Fail(line, sourceKey, lineNumber, checks.Reason!, checks.Field, checks.Message!) : null;
            }
            fields = new EventFields();   // the full path starts over
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

            ReadObject(ref reader, ref fields, ref problem);
            reader.Read(); // throws on anything but whitespace after the object
        }
        catch (JsonException ex)
        {
            // Only a bad \u escape outranks broken JSON (it stands with invalid UTF-8, the table's first row).
            if (!(problem.Found && problem.Rank == RecordProblem.InvalidUnicodeRank))
                return Fail(line, sourceKey, lineNumber, RejectReason.MalformedJson, null, "not valid JSON: " + ex.Message);
        }

        CheckRanges(ref fields, ref problem);
        return problem.Found ? Fail(line, sourceKey, lineNumber, problem.Reason!, problem.Field, problem.Message!) : null;
    }

    private void ReadObject(ref Utf8JsonReader reader, ref EventFields f, ref RecordProblem p)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = EventFieldNames.Match(ref reader);
            reader.Read();
            switch (field)
            {
                case EventField.Ts:
                    f.TsState = FieldReader.ReadInteger(ref reader, "ts", IntegerType.BigInt, Rank.Ts, ref p, out f.Ts);
                    break;
                case EventField.UserId:
                    f.UserIdState = FieldReader.ReadInteger(ref reader, "userId", IntegerType.Int, Rank.UserId, ref p,
                        out f.UserId, emptyStringIsNull: true);
                    break;
                case EventField.SessionId:
                    f.SessionIdState = FieldReader.ReadInteger(ref reader, "sessionId", IntegerType.Int, Rank.SessionId, ref p, out f.SessionId);
                    break;
                case EventField.ItemInSession:
                    f.ItemState = FieldReader.ReadInteger(ref reader, "itemInSession", IntegerType.Int, Rank.ItemInSession, ref p, out f.ItemInSession);
                    break;
                case EventField.Status:
                    f.StatusState = FieldReader.ReadInteger(ref reader, "status", IntegerType.Int, Rank.Status, ref p, out f.Status);
                    break;
                case EventField.Length:
                    f.LengthState = FieldReader.ReadDouble(ref reader, "length", Rank.Length, ref p, out f.Length);
                    break;
                case EventField.Registration:
                    f.RegistrationState = FieldReader.ReadInteger(ref reader, "registration", IntegerType.BigInt, Rank.Registration, ref p, out f.Registration);
                    break;
                case EventField.None:
                    reader.Skip(); // an unknown field: ignored
                    break;
                default:
                    FieldReader.ReadString(ref reader, _pools.For(field), EventFieldNames.Name(field), Strings, ref p, out var text);
                    f.SetString(field, text);
                    break;
            }
        }
    }

    private static void CheckRanges(ref EventFields f, ref RecordProblem p)
    {
        switch (f.TsState)
        {
            case ValueState.Missing:
                p.Offer(Rank.Ts, RejectReason.MissingField, "ts", "ts is missing");
                break;
            case ValueState.Null:
                p.Offer(Rank.Ts, RejectReason.MissingField, "ts", "ts is null");
                break;
            case ValueState.Value when f.Ts is < MinTs or >= EndTs:
                p.Offer(Rank.Ts, RejectReason.OutOfRange, "ts",
                    $"ts {f.Ts} is outside 2000-01-01 to 2100-01-01 (epoch milliseconds)");
                break;
        }

        if (f.ItemState == ValueState.Value && f.ItemInSession < 0)
            p.Offer(Rank.ItemInSession, RejectReason.OutOfRange, "itemInSession", $"itemInSession {f.ItemInSession} is negative");
        if (f.StatusState == ValueState.Value && f.Status is < 100 or > 599)
            p.Offer(Rank.Status, RejectReason.OutOfRange, "status", $"status {f.Status} is outside 100-599");
        if (f.LengthState == ValueState.Value && f.Length < 0)
            p.Offer(Rank.Length, RejectReason.OutOfRange, "length", $"length {f.Length} is negative");
    }

    private static Reject Fail(
        ReadOnlySpan<byte> line, string sourceKey, int lineNumber, string reason, string? field, string message) =>
        new(sourceKey, lineNumber, Kind, reason, field, message, RawText.Raw(line));

    /// <summary>The event rows of SPEC §1's table, in order: a lower rank is reported first.</summary>
    private static class Rank
    {
        public const int Ts = 0, UserId = 1, SessionId = 2, ItemInSession = 3, Status = 4, Length = 5, Registration = 6,
            StringType = 7, TooLong = 8;
    }
}
