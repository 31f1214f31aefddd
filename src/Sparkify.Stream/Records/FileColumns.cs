namespace Sparkify.Stream.Records;

/// <summary>
/// <c>staging_files</c>: the run's input files, loaded into the ledger in the same transaction as the merge. Read
/// from no JSON: each column comes from the run's <see cref="StagedFile"/> list.
/// </summary>
internal static class FileColumns
{
    public static readonly StagingTable Table = new("files", null,
    [
        Col("source_key", ColumnType.Text, nullable: false, f => f.SourceKey),
        Col("kind", ColumnType.Text, nullable: false, f => f.Kind),
        Col("version", ColumnType.Text, nullable: false, f => f.Version),
        Col("size", ColumnType.Int64, nullable: false, f => f.Size),
        Col("file_date", ColumnType.Text, nullable: true, f => f.FileDate),
        Col("records_read", ColumnType.Int64, nullable: false, f => f.RecordsRead),
        Col("records_valid", ColumnType.Int64, nullable: false, f => f.RecordsValid),
        Col("records_rejected", ColumnType.Int64, nullable: false, f => f.RecordsRejected),
        Col("run_id", ColumnType.Text, nullable: false, f => f.RunId),
    ]);

    private static StagingColumn Col(string name, ColumnType type, bool nullable, Func<StagedFile, object?> get) =>
        new(name, type, nullable) { Get = get };
}

/// <summary>One input file of a run, as recorded in the load ledger.</summary>
internal sealed record StagedFile(
    string SourceKey, string Kind, string Version, long Size, string? FileDate,
    long RecordsRead, long RecordsValid, long RecordsRejected, string RunId);
