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
/// <c>staging_field_counts</c>: per input file of the run, a <c>*</c> row with its valid records, a row for each
/// contract field that some of them lacked or held null (a field every record had is not written: on most song files
/// most fields), and one for each field outside the contract (how many records carried it, one example). Merged into
/// <c>sparkify_field_counts</c> with the ledger: the history that schema-drift checks compare a run with.
/// </summary>
internal static class FieldCountColumns
{
    /// <summary>The field name of a file's total row: its valid records, the denominator of every contract field's share.</summary>
    public const string AllFields = "*";

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

    /// <summary>
    /// The rows of one file's tally: when it had valid records the <see cref="AllFields"/> row and each contract field
    /// some lacked, then the fields outside the contract by name.
    /// </summary>
    public static IEnumerable<FieldCount> RowsOf(string sourceKey, string kind, FieldTally tally)
    {
        if (tally.Records > 0)
        {
            yield return new FieldCount(sourceKey, kind, AllFields, 1, tally.Records, 0, 0, tally.Records, null);
            foreach (var c in tally.Table.SourceOrdinals)
            {
                var (missing, nulls) = (tally.Missing[c], tally.Nulls[c]);
                if (missing + nulls == 0) continue;
                yield return new FieldCount(sourceKey, kind, tally.Table.Columns[c].Source!.Name, 1, tally.Records,
                    missing, nulls, tally.Records - missing - nulls, null);
            }
        }
        foreach (var (name, field) in tally.Unknown.OrderBy(p => p.Key, StringComparer.Ordinal))
            yield return new FieldCount(sourceKey, kind, name, 0, tally.Records, 0, 0, field.Seen, field.Example);
    }

    private static readonly int Key = Table.Ordinal("source_key"), Kind = Table.Ordinal("kind"), Field = Table.Ordinal("field"),
        InContract = Table.Ordinal("in_contract"), Records = Table.Ordinal("records"), Missing = Table.Ordinal("missing"),
        Nulls = Table.Ordinal("nulls"), Seen = Table.Ordinal("seen"), Example = Table.Ordinal("example");

    /// <summary>Adds <see cref="RowsOf"/>'s rows to <paramref name="batch"/> through the typed path (no boxing: 20,000 song files give ~60,000 rows).</summary>
    public static void AddRows(RecordBatch batch, RecordValues scratch, string sourceKey, string kind, FieldTally tally)
    {
        foreach (var row in RowsOf(sourceKey, kind, tally))
        {
            scratch.Reset();
            scratch.SetText(Key, row.SourceKey);
            scratch.SetText(Kind, row.Kind);
            scratch.SetText(Field, row.Field);
            scratch.SetInteger(InContract, row.InContract);
            scratch.SetInteger(Records, row.Records);
            scratch.SetInteger(Missing, row.Missing);
            scratch.SetInteger(Nulls, row.Nulls);
            scratch.SetInteger(Seen, row.Seen);
            if (row.Example is { } example) scratch.SetText(Example, example);
            batch.Add(scratch);
        }
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
