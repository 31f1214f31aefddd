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

/// <summary>
/// <c>staging_field_counts</c>: per input file of the run, a row for each contract field (valid records, and how many
/// lacked it or held null) and one for each field outside the contract (how many records carried it, one example).
/// Merged into <c>sparkify_field_counts</c> with the ledger: the history that schema-drift checks compare a run with.
/// </summary>
internal static class FieldCountColumns
{
    public static readonly StagingTable Table = new("field_counts", null,
    [
        Col("source_key", ColumnType.Text, nullable: false, f => f.SourceKey),
        Col("kind", ColumnType.Text, nullable: false, f => f.Kind),
        Col("field", ColumnType.Text, nullable: false, f => f.Field),
        // 1: a field of the contract (SPEC §1); 0: one it does not have.
        Col("in_contract", ColumnType.Int32, nullable: false, f => f.InContract),
        Col("records", ColumnType.Int64, nullable: false, f => f.Records),
        Col("missing", ColumnType.Int64, nullable: false, f => f.Missing),
        Col("nulls", ColumnType.Int64, nullable: false, f => f.Nulls),
        Col("seen", ColumnType.Int64, nullable: false, f => f.Seen),
        Col("example", ColumnType.Text, nullable: true, f => f.Example),
    ]);

    /// <summary>The rows of one file's tally: contract fields when it had valid records, then unknown fields by name.</summary>
    public static IEnumerable<FieldCount> RowsOf(string sourceKey, string kind, FieldTally tally)
    {
        if (tally.Records > 0)
        {
            foreach (var c in tally.Table.SourceOrdinals)
            {
                var (missing, nulls) = (tally.Missing[c], tally.Nulls[c]);
                yield return new FieldCount(sourceKey, kind, tally.Table.Columns[c].Source!.Name, 1, tally.Records,
                    missing, nulls, tally.Records - missing - nulls, null);
            }
        }
        foreach (var (name, field) in tally.Unknown.OrderBy(p => p.Key, StringComparer.Ordinal))
            yield return new FieldCount(sourceKey, kind, name, 0, tally.Records, 0, 0, field.Seen, field.Example);
    }

    private static StagingColumn Col(string name, ColumnType type, bool nullable, Func<FieldCount, object?> get) =>
        new(name, type, nullable) { Get = get };
}

/// <summary>One row of <c>staging_field_counts</c>.</summary>
/// <param name="Records">The file's valid records (the share's denominator for a contract field).</param>
/// <param name="Seen">Records that held the field with a value (a contract field), or that carried it at all (another field, valid or not).</param>
internal sealed record FieldCount(
    string SourceKey, string Kind, string Field, int InContract, long Records, long Missing, long Nulls, long Seen,
    string? Example);
