namespace Sparkify.Stream.Records;

/// <summary>The four physical types of the staging columns (docs/semantics.md#parquet-encoding): INT, BIGINT, DOUBLE PRECISION and VARCHAR.</summary>
/// <remarks>In Parquet: INT32, INT64, DOUBLE, UTF-8 BYTE_ARRAY; in Postgres' binary COPY: int4, int8, float8, text.</remarks>
internal enum ColumnType : byte
{
    Int32,
    Int64,
    Double,
    Text,
}

/// <summary>
/// How a staging column is read from the source JSON (docs/semantics.md#validation-rules): the field's name, its row in the rule table (a
/// lower rank is reported first) and the rule's options. A column without one is derived by the parser
/// (event id, source key, source line).
/// </summary>
/// <param name="Name">The JSON property name.</param>
/// <param name="Rank">The field's row in the validation table (docs/semantics.md#validation-rules); text fields use their table's string ranks instead.</param>
internal sealed record SourceField(string Name, int Rank = -1)
{
    /// <summary>An integer field that reads the empty string as NULL (the simulator writes <c>"userId": ""</c>).</summary>
    public bool EmptyStringIsNull { get; init; }

    /// <summary>An integer field whose 0 means unknown and becomes NULL (the song's year).</summary>
    public bool ZeroIsNull { get; init; }

    /// <summary>Slots of the field's string cache (0: none); sized by how many distinct values a field has.</summary>
    public int CacheSize { get; init; }

    /// <summary>An integer field's range rule.</summary>
    public ValueRange<long>? IntegerRange { get; init; }

    /// <summary>A DOUBLE field's range rule.</summary>
    public ValueRange<double>? NumberRange { get; init; }
}

/// <summary>
/// A range rule: a value from <paramref name="Min"/> to <paramref name="Max"/> (both included) passes; one outside is
/// rejected as <c>out_of_range</c> with <paramref name="Message"/>'s words. Bounds, not a predicate, so the rule is two
/// comparisons per record rather than a delegate call.
/// </summary>
internal sealed record ValueRange<T>(T Min, T Max, Func<T, string> Message) where T : struct, System.Numerics.INumber<T>
{
    /// <summary>The reject message for <paramref name="value"/>, or null when it is in range.</summary>
    public string? Check(T value) => value < Min || value > Max ? Message(value) : null;
}

/// <summary>
/// One column of a staging table: its name, type and nullability (which the staging DDL, the Parquet schema, the
/// Postgres COPY and the batch buffers all follow) and how it is read from the source. A column of a source-read
/// field that is not nullable is required: a record without it is rejected as <c>missing_field</c>.
/// </summary>
internal sealed record StagingColumn(string Name, ColumnType Type, bool Nullable = true)
{
    public SourceField? Source { get; init; }

    /// <summary>
    /// The column's name in the Parquet parts an older release staged (its load packages are still loaded), or null.
    /// Redshift's COPY maps Parquet columns by position and never sees it; the DuckDB and Postgres loaders read by name.
    /// </summary>
    public string? FormerName { get; init; }

    /// <summary>Reads the column's value from a plain record (tests, the doctor's probe, the run's file list); boxed.</summary>
    public Delegate? Get { get; init; }

    public override string ToString() => $"{Name} {Type}{(Nullable ? "" : " NOT NULL")}";
}

/// <summary>One staging table (<see cref="StagingSchema"/> lists the four): its columns in docs/semantics.md#staging-tables order (Redshift COPY maps Parquet columns by position).</summary>
internal sealed class StagingTable
{
    private readonly Dictionary<string, int> _ordinals;

    /// <param name="name">The table's short name: the staging table is <c>staging_{name}</c>, its part folder <c>{name}/</c>.</param>
    /// <param name="recordKind">The record kind its rejects carry ("event", "song"), or null for a table read from no source.</param>
    /// <param name="stringTypeRank">The rule-table rank of "a string field holds an object or array".</param>
    /// <param name="tooLongRank">The rule-table rank of "a string is over the VARCHAR limit".</param>
    public StagingTable(string name, string? recordKind, IReadOnlyList<StagingColumn> columns,
        int stringTypeRank = -1, int tooLongRank = -1)
    {
        Name = name;
        RecordKind = recordKind;
        Columns = columns;
        StringTypeRank = stringTypeRank;
        TooLongRank = tooLongRank;
        _ordinals = columns.Select((c, i) => (c.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        if (_ordinals.Count != columns.Count) throw new ArgumentException($"staging_{name} names a column twice");
        var source = columns.Select((c, i) => (c.Source?.Name, i)).Where(p => p.Name is not null).ToList();
        if (source.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count() != source.Count)
            throw new ArgumentException($"staging_{name} reads a source field into two columns");
        SourceOrdinals = [.. source.Select(p => p.i)];
        SourceKey = _ordinals.GetValueOrDefault("source_key", -1);
        SourceLine = _ordinals.GetValueOrDefault("source_line", -1);
    }

    public string Name { get; }

    public string SqlName => "staging_" + Name;

    public string? RecordKind { get; }

    public IReadOnlyList<StagingColumn> Columns { get; }

    public int StringTypeRank { get; }

    public int TooLongRank { get; }

    /// <summary>The ordinals of the columns read from a source field (the contract's fields), in column order.</summary>
    public int[] SourceOrdinals { get; }

    /// <summary>The ordinal of source_key (every parsed table has it), or -1.</summary>
    public int SourceKey { get; }

    /// <summary>The ordinal of source_line, or -1.</summary>
    public int SourceLine { get; }

    /// <summary>A column's position by name; a name the table does not have is a bug.</summary>
    public int Ordinal(string column) => _ordinals.TryGetValue(column, out var i)
        ? i
        : throw new ArgumentException($"staging_{Name} has no column {column}", nameof(column));

    public override string ToString() => SqlName;
}

/// <summary>
/// The staging schema: its four tables (<see cref="StagingTable"/>s), in load order. One table's columns are a
/// <see cref="StagingTable"/>; their Parquet form is Staging's <c>StagingParquet</c>.
/// </summary>
internal static class StagingSchema
{
    public static IReadOnlyList<StagingTable> All { get; } =
        [EventColumns.Table, SongColumns.Table, FileColumns.Table, FieldCountColumns.Table];

    /// <summary>A table by its SQL name (<c>staging_events</c>); another name is a bug.</summary>
    public static StagingTable BySqlName(string sqlName) =>
        All.FirstOrDefault(t => t.SqlName == sqlName) ?? throw new ArgumentException($"no staging table {sqlName}", nameof(sqlName));
}
