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
        // 1: a field of the contract (docs/semantics.md#inputs); 0: one it does not have.
        Col("in_contract", ColumnType.Int32, nullable: false, f => f.InContract),
        Col("records", ColumnType.Int64, nullable: false, f => f.Records),
        Col("missing", ColumnType.Int64, nullable: false, f => f.Missing),
        // "nulls" in the packages of older releases (NULLS is a reserved word on Redshift): a loader takes either.
        Col("null_count", ColumnType.Int64, nullable: false, f => f.Nulls) with { FormerName = "nulls" },
        Col("seen", ColumnType.Int64, nullable: false, f => f.Seen),
        Col("example", ColumnType.Text, nullable: true, f => f.Example),
    ]);

    private static readonly int Key = Table.Ordinal("source_key"), Kind = Table.Ordinal("kind"), Field = Table.Ordinal("field"),
        InContract = Table.Ordinal("in_contract"), Records = Table.Ordinal("records"), Missing = Table.Ordinal("missing"),
        Nulls = Table.Ordinal("null_count"), Seen = Table.Ordinal("seen"), Example = Table.Ordinal("example");

    /// <summary>
    /// Adds the rows of one file's tally to <paramref name="batch"/>: when it had valid records the
    /// <see cref="AllFields"/> row and each contract field some lacked, then the fields outside the contract by name.
    /// </summary>
    /// <remarks>Straight into the typed columns (no row object, no boxing: 20,000 song files give ~60,000 rows).</remarks>
    public static void AddRows(RecordBatch batch, RecordValues scratch, string sourceKey, string kind, FieldTally tally)
    {
        var records = tally.Records;
        if (records > 0)
        {
            Add(batch, scratch, sourceKey, kind, AllFields, 1, records, 0, 0, records, null);
            foreach (var c in tally.Table.SourceOrdinals)
            {
                var (missing, nulls) = (tally.Missing(c), tally.Nulls(c));
                if (missing + nulls == 0) continue;
                Add(batch, scratch, sourceKey, kind, tally.Table.Columns[c].Source!.Name, 1, records, missing, nulls,
                    records - missing - nulls, null);
            }
        }
        if (tally.Unknown.Count == 0) return;
        foreach (var (name, field) in tally.Unknown.OrderBy(p => p.Key, StringComparer.Ordinal))
            Add(batch, scratch, sourceKey, kind, name, 0, records, 0, 0, field.Seen, field.Example);
    }

    private static void Add(RecordBatch batch, RecordValues scratch, string sourceKey, string kind, string field,
        int inContract, long records, long missing, long nulls, long seen, string? example)
    {
        scratch.Reset();
        scratch.SetText(Key, sourceKey);
        scratch.SetText(Kind, kind);
        scratch.SetText(Field, field);
        scratch.SetInteger(InContract, inContract);
        scratch.SetInteger(Records, records);
        scratch.SetInteger(Missing, missing);
        scratch.SetInteger(Nulls, nulls);
        scratch.SetInteger(Seen, seen);
        if (example is not null) scratch.SetText(Example, example);
        batch.Add(scratch);
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
