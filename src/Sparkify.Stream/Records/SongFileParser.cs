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

    private static readonly StringRules Strings = new(Rank.StringType, Rank.TooLong);

    private readonly StringPool _artistIds = new(4096), _artistNames = new(4096), _artistLocations = new(4096);

    /// <summary>Parses a whole (decompressed) song file; appends valid songs and rejects.</summary>
    /// <returns>The number of records read (valid + rejected); an empty file reads 0.</returns>
    public int Parse(ReadOnlySpan<byte> content, string sourceKey, List<SongRecord> songs, List<Reject> rejects)
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
        var cursor = new Cursor(sourceKey, songs, rejects);
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

        var fields = new SongFields();
        var problem = new RecordProblem();
        ReadObject(ref reader, ref fields, ref problem);
        CheckRanges(ref fields, ref problem);
        if (problem.Found)
        {
            cursor.Reject(new Reject(cursor.SourceKey, cursor.Count, Kind, problem.Reason!, problem.Field,
                problem.Message!, RawText.Raw(content[start..(int)reader.BytesConsumed])));
        }
        else
        {
            cursor.Songs.Add(fields.ToSong(cursor.SourceKey));
        }
    }

    private void ReadObject(ref Utf8JsonReader reader, ref SongFields f, ref RecordProblem p)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = SongFieldNames.Match(ref reader);
            reader.Read();
            switch (field)
            {
                case SongField.SongId:
                    f.SongIdEmpty = reader.TokenType == JsonTokenType.String && reader.ValueSpan.IsEmpty;
                    f.SongIdState = FieldReader.ReadString(ref reader, null, "song_id", Strings, ref p, out f.SongId);
                    break;
                case SongField.Duration:
                    f.DurationState = FieldReader.ReadDouble(ref reader, "duration", Rank.Duration, ref p, out f.Duration);
                    break;
                case SongField.Year:
                    f.YearState = FieldReader.ReadInteger(ref reader, "year", IntegerType.Int, Rank.Year, ref p, out f.Year);
                    break;
                case SongField.NumSongs:
                    f.NumSongsState = FieldReader.ReadInteger(ref reader, "num_songs", IntegerType.Int, Rank.NumSongs, ref p, out f.NumSongs);
                    break;
                case SongField.ArtistLatitude:
                    f.LatitudeState = FieldReader.ReadDouble(ref reader, "artist_latitude", Rank.Latitude, ref p, out f.Latitude);
                    break;
                case SongField.ArtistLongitude:
                    f.LongitudeState = FieldReader.ReadDouble(ref reader, "artist_longitude", Rank.Longitude, ref p, out f.Longitude);
                    break;
                case SongField.Title:
                    FieldReader.ReadString(ref reader, null, "title", Strings, ref p, out f.Title);
                    break;
                case SongField.ArtistId:
                    FieldReader.ReadString(ref reader, _artistIds, "artist_id", Strings, ref p, out f.ArtistId);
                    break;
                case SongField.ArtistName:
                    FieldReader.ReadString(ref reader, _artistNames, "artist_name", Strings, ref p, out f.ArtistName);
                    break;
                case SongField.ArtistLocation:
                    FieldReader.ReadString(ref reader, _artistLocations, "artist_location", Strings, ref p, out f.ArtistLocation);
                    break;
                default:
                    reader.Skip(); // an unknown field: ignored
                    break;
            }
        }
    }

    private static void CheckRanges(ref SongFields f, ref RecordProblem p)
    {
        if (f.SongIdState is ValueState.Missing or ValueState.Null)
        {
            var what = f.SongIdState == ValueState.Missing ? "missing" : f.SongIdEmpty ? "empty" : "null";
            p.Offer(Rank.SongId, RejectReason.MissingField, "song_id", $"song_id is {what}");
        }

        if (f.DurationState == ValueState.Value && f.Duration < 0)
            p.Offer(Rank.Duration, RejectReason.OutOfRange, "duration", $"duration {f.Duration} is negative");
        if (f.LatitudeState == ValueState.Value && f.Latitude is < -90 or > 90)
            p.Offer(Rank.Latitude, RejectReason.OutOfRange, "artist_latitude", $"artist_latitude {f.Latitude} is outside -90 to 90");
        if (f.LongitudeState == ValueState.Value && f.Longitude is < -180 or > 180)
            p.Offer(Rank.Longitude, RejectReason.OutOfRange, "artist_longitude", $"artist_longitude {f.Longitude} is outside -180 to 180");
    }

    /// <summary>Where the file's reading stands: records counted so far and where the current one began.</summary>
    private struct Cursor(string sourceKey, List<SongRecord> songs, List<Reject> rejects)
    {
        public readonly string SourceKey = sourceKey;
        public readonly List<SongRecord> Songs = songs;
        private readonly List<Reject> _rejects = rejects;
        public int Count;
        public int RecordStart;
        public bool InRecord;

        public readonly void Reject(Reject reject) => _rejects.Add(reject);
    }

    /// <summary>The song rows of SPEC §1's table, in order: a lower rank is reported first.</summary>
    private static class Rank
    {
        public const int SongId = 0, Duration = 1, Year = 2, NumSongs = 3, Latitude = 4, Longitude = 5,
            StringType = 6, TooLong = 7;
    }
}
