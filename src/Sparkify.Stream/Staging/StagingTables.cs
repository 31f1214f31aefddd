using Parquet;
using Parquet.Schema;
using Sparkify.Stream.Records;

namespace Sparkify.Stream.Staging;

/// <summary>
/// The Parquet schemas of the staging tables, in SPEC §2 column order. Redshift COPY maps Parquet columns to
/// table columns by position, so this order and these physical types must match the staging DDL exactly:
/// INT → INT32, BIGINT → INT64, DOUBLE → DOUBLE, VARCHAR → UTF-8 BYTE_ARRAY,
/// TIMESTAMP → INT64 TIMESTAMP(MICROS, UTC) (never Parquet.Net's default INT96).
/// </summary>
internal static class StagingTables
{
    public const string Events = "events";
    public const string Songs = "songs";
    public const string Files = "files";

    private static DataField<string> Text(string name) => new(name, nullable: true);

    private static readonly DateTimeDataField Ts = new(
        "ts", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: false);

    public static readonly ParquetSchema EventSchema = new(
        new DataField<long>("event_id"), Ts, new DataField<int?>("user_id"),
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

    public static async Task WriteSongsAsync(ParquetRowGroupWriter rg, IReadOnlyList<SongRecord> rows, CancellationToken ct)
    {
        var f = SongSchema.DataFields;
        var i = 0;
        await rg.WriteAsync(f[i++], Column(rows, r => r.SongId), null);
        await rg.WriteAsync(f[i++], Column(rows, r => r.Title), null);
        await rg.WriteAsync(f[i++], Column(rows, r => r.ArtistId), null);
        await rg.WriteAsync(f[i++], Column(rows, r => r.ArtistName), null);
        await rg.WriteAsync(f[i++], Column(rows, r => r.ArtistLocation), null);
        await rg.WriteAsync<double>(f[i++], Column(rows, r => r.ArtistLatitude), null, null, ct);
        await rg.WriteAsync<double>(f[i++], Column(rows, r => r.ArtistLongitude), null, null, ct);
        await rg.WriteAsync<double>(f[i++], Column(rows, r => r.Duration), null, null, ct);
        await rg.WriteAsync<int>(f[i++], Column(rows, r => r.Year), null, null, ct);
        await rg.WriteAsync<int>(f[i++], Column(rows, r => r.NumSongs), null, null, ct);
        await rg.WriteAsync(f[i++], Column(rows, r => r.SourceKey), null);
    }

    public static async Task WriteFilesAsync(ParquetRowGroupWriter rg, IReadOnlyList<StagedFile> rows, CancellationToken ct)
    {
        var f = FileSchema.DataFields;
        var i = 0;
        await rg.WriteAsync(f[i++], Column(rows, r => r.SourceKey), null);
        await rg.WriteAsync(f[i++], Column(rows, r => r.Kind), null);
        await rg.WriteAsync(f[i++], Column(rows, r => r.Version), null);
        await rg.WriteAsync<long>(f[i++], Column(rows, r => r.Size), null, null, ct);
        await rg.WriteAsync(f[i++], Column(rows, r => r.FileDate), null);
        await rg.WriteAsync<long>(f[i++], Column(rows, r => r.RecordsRead), null, null, ct);
        await rg.WriteAsync<long>(f[i++], Column(rows, r => r.RecordsValid), null, null, ct);
        await rg.WriteAsync<long>(f[i++], Column(rows, r => r.RecordsRejected), null, null, ct);
        await rg.WriteAsync(f[i++], Column(rows, r => r.RunId), null);
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
