using System.Text.Json;
using System.Text.Unicode;

namespace Sparkify.Stream.Records;

/// <summary>Parses a song file: one JSON object, a JSON array of objects, or several objects one after another.</summary>
/// <remarks>
/// Thread-safe (its only state is lock-free string caches). Records are numbered 1, 2, … in file order; that
/// number is <see cref="Reject.Line"/>. A whole file that is not UTF-8 is one <c>invalid_utf8</c> record. JSON that
/// breaks off ends the file: the record where it broke is one <c>malformed_json</c> reject, the ones before it stand.
/// </remarks>
internal sealed class SongFileParser
{
    private const string Kind = "song";

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowMultipleValues = true,
    };

    private readonly FieldRules _rules = new(SongColumns.Table);

    /// <summary>
    /// The record being read, one per thread (reset at every record; Parse never awaits): not five arrays per song
    /// file — 20,000 files of one record each.
    /// </summary>
    [ThreadStatic]
    private static RecordValues? t_values;

    /// <summary>As below, appending the valid songs as records (tests and small callers).</summary>
    public int Parse(ReadOnlySpan<byte> content, string sourceKey, List<SongRecord> songs, List<Reject> rejects)
    {
        var batch = new RecordBatch(SongColumns.Table, 16);
        var read = Parse(content, sourceKey, batch, rejects);
        for (var i = 0; i < batch.Count; i++) songs.Add(SongRecord.FromRow(batch, i));
        return read;
    }

    /// <summary>Parses a whole (decompressed) song file; appends valid songs and rejects.</summary>
    /// <param name="tally">Where absent contract fields of valid songs and fields outside the contract are counted
    /// (schema drift); null for none.</param>
    /// <returns>The number of records read (valid + rejected); an empty file reads 0.</returns>
    public int Parse(ReadOnlySpan<byte> content, string sourceKey, RecordBatch songs, List<Reject> rejects,
        FieldTally? tally = null)
    {
        if (content.StartsWith(RawText.Bom)) content = content[RawText.Bom.Length..];
        if (RawText.IsBlank(content)) return 0;
        if (!Utf8.IsValid(content))
        {
            rejects.Add(new Reject(sourceKey, 1, Kind, RejectReason.InvalidUtf8, null,
                $"not valid UTF-8 (bad byte at offset {RawText.FirstInvalidUtf8(content)})", RawText.Raw(content)));
            return 1;
        }

        var reader = new Utf8JsonReader(content, ReaderOptions);
        var cursor = new Cursor(sourceKey, songs, rejects, tally, t_values ??= new RecordValues(SongColumns.Table));
        try
        {
            while (Next(ref reader, ref cursor))
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    ReadRecord(ref reader, content, ref cursor, inArray: false);
                    continue;
                }

                while (Next(ref reader, ref cursor) && reader.TokenType != JsonTokenType.EndArray)
                    ReadRecord(ref reader, content, ref cursor, inArray: true);
            }
        }
        catch (JsonException ex)
        {
            // The record under way (or the one that was due) is the broken one; nothing after it can be trusted.
            var raw = content[cursor.RecordStart..].TrimStart(RawText.Whitespace);
            if (!cursor.InRecord) cursor.Count++; // it broke between records: the next one is the broken one
            rejects.Add(new Reject(sourceKey, cursor.Count, Kind, RejectReason.MalformedJson, null,
                "not valid JSON: " + ex.Message, RawText.Raw(raw)));
        }

        return cursor.Count;
    }

    private static bool Next(ref Utf8JsonReader reader, ref Cursor cursor)
    {
        cursor.InRecord = false;
        cursor.RecordStart = (int)reader.BytesConsumed;
        return reader.Read();
    }

    private void ReadRecord(ref Utf8JsonReader reader, ReadOnlySpan<byte> content, ref Cursor cursor, bool inArray)
    {
        cursor.InRecord = true;
        cursor.Count++;
        var start = (int)reader.TokenStartIndex;
        cursor.RecordStart = start;

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            var kind = RawText.KindOf(reader.TokenType);
            reader.Skip();
            cursor.Reject(new Reject(cursor.SourceKey, cursor.Count, Kind, RejectReason.MalformedJson, null,
                inArray ? $"array element is {kind}, not an object" : $"a song file holds JSON objects, not {kind}",
                RawText.Raw(content[start..(int)reader.BytesConsumed])));
            return;
        }

        var values = cursor.Values;
        values.Reset();
        var problem = new RecordProblem();
        _rules.ReadObject(ref reader, values, ref problem, cursor.Tally);
        _rules.Check(values, ref problem);
        if (problem.Found)
        {
            cursor.Reject(new Reject(cursor.SourceKey, cursor.Count, Kind, problem.Reason!, problem.Field,
                problem.Message!, RawText.Raw(content[start..(int)reader.BytesConsumed])));
        }
        else
        {
            cursor.Tally?.CountValid(values);
            values.SetOrigin(cursor.SourceKey, cursor.Count);
            cursor.Songs.Add(values);
        }
    }

    /// <summary>Where the file's reading stands: records counted so far and where the current one began.</summary>
    private struct Cursor(string sourceKey, RecordBatch songs, List<Reject> rejects, FieldTally? tally, RecordValues values)
    {
        public readonly string SourceKey = sourceKey;
        public readonly FieldTally? Tally = tally;
        public readonly RecordBatch Songs = songs;
        public readonly RecordValues Values = values;
        private readonly List<Reject> _rejects = rejects;
        public int Count;
        public int RecordStart;
        public bool InRecord;

        public readonly void Reject(Reject reject) => _rejects.Add(reject);
    }
}
