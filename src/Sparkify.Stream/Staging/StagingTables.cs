using Parquet.Schema;
using Sparkify.Stream.Records;
using Sparkify.Stream.Staging.ParquetFormat;

namespace Sparkify.Stream.Staging;

/// <summary>
/// The Parquet schemas of the staging tables, in SPEC §2 column order. Redshift COPY maps Parquet columns to
/// table columns by position, so this order and these physical types must match the staging DDL exactly:
/// INT → INT32, BIGINT → INT64, DOUBLE → DOUBLE, VARCHAR → UTF-8 BYTE_ARRAY. No column is a TIMESTAMP: ts is the
/// source's epoch milliseconds as a plain INT64 (BIGINT), which every target loads exactly (Redshift's COPY of Parquet
/// INT64 timestamps has public reports of wrong years, apache/arrow#38000, and INT96 is deprecated); each dialect's
/// merge turns it into a TIMESTAMP (SqlScripts' <c>{{epoch_ms(…)}}</c>).
/// </summary>
internal static class StagingTables
{
    public const string Events = "events";
    public const string Songs = "songs";
    public const string Files = "files";

    private static DataField<string> Text(string name) => new(name, nullable: true);

    public static readonly ParquetSchema EventSchema = new(
        new DataField<long>("event_id"), new DataField<long>("ts"), new DataField<int?>("user_id"),
        Text("first_name"), Text("last_name"), Text("gender"), Text("level"), Text("auth"), Text("method"),
        Text("page"), Text("location"), Text("user_agent"), Text("artist"), Text("song"),
        new DataField<double?>("length"), new DataField<int?>("item_in_session"), new DataField<int?>("session_id"),
        new DataField<int?>("status"), new DataField<long?>("registration"),
        new DataField<string>("source_key", nullable: false), new DataField<int>("source_line"));

    public static readonly ParquetSchema SongSchema = new(
        new DataField<string>("song_id", nullable: false), Text("title"), Text("artist_id"), Text("artist_name"),
        Text("artist_location"), new DataField<double?>("artist_latitude"), new DataField<double?>("artist_longitude"),
        new DataField<double?>("duration"), new DataField<int?>("year"), new DataField<int?>("num_songs"),
        new DataField<string>("source_key", nullable: false));

    /// <summary>The run's input files: loaded into the ledger in the same transaction as the merge.</summary>
    public static readonly ParquetSchema FileSchema = new(
        new DataField<string>("source_key", nullable: false), new DataField<string>("kind", nullable: false),
        new DataField<string>("version", nullable: false), new DataField<long>("size"),
        Text("file_date"), new DataField<long>("records_read"), new DataField<long>("records_valid"),
        new DataField<long>("records_rejected"), new DataField<string>("run_id", nullable: false));

    public static void WriteSongs(PartFileWriter file, IReadOnlyList<SongRecord> rows)
    {
        file.WriteStrings(Column(rows, r => r.SongId));
        file.WriteStrings(Column(rows, r => r.Title));
        file.WriteStrings(Column(rows, r => r.ArtistId));
        file.WriteStrings(Column(rows, r => r.ArtistName));
        file.WriteStrings(Column(rows, r => r.ArtistLocation));
        file.WriteDouble(Column(rows, r => r.ArtistLatitude));
        file.WriteDouble(Column(rows, r => r.ArtistLongitude));
        file.WriteDouble(Column(rows, r => r.Duration));
        file.WriteInt32(Column(rows, r => r.Year));
        file.WriteInt32(Column(rows, r => r.NumSongs));
        file.WriteStrings(Column(rows, r => r.SourceKey));
    }

    public static void WriteFiles(PartFileWriter file, IReadOnlyList<StagedFile> rows)
    {
        file.WriteStrings(Column(rows, r => r.SourceKey));
        file.WriteStrings(Column(rows, r => r.Kind));
        file.WriteStrings(Column(rows, r => r.Version));
        file.WriteInt64(Column(rows, r => r.Size));
        file.WriteStrings(Column(rows, r => r.FileDate));
        file.WriteInt64(Column(rows, r => r.RecordsRead));
        file.WriteInt64(Column(rows, r => r.RecordsValid));
        file.WriteInt64(Column(rows, r => r.RecordsRejected));
        file.WriteStrings(Column(rows, r => r.RunId));
    }

    private static T[] Column<TRow, T>(IReadOnlyList<TRow> rows, Func<TRow, T> get)
    {
        var column = new T[rows.Count];
        for (var i = 0; i < column.Length; i++) column[i] = get(rows[i]);
        return column;
    }
}

/// <summary>One input file of a run, as recorded in the load ledger.</summary>
internal sealed record StagedFile(
    string SourceKey, string Kind, string Version, long Size, string? FileDate,
    long RecordsRead, long RecordsValid, long RecordsRejected, string RunId);
