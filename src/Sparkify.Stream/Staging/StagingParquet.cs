using Parquet.Schema;
using Sparkify.Stream.Records;
using Sparkify.Stream.Staging.ParquetFormat;

namespace Sparkify.Stream.Staging;

/// <summary>
/// The staging tables as Parquet: each table's schema and row-group writer, both made from its column table
/// (<see cref="EventColumns"/>, <see cref="SongColumns"/>, <see cref="FileColumns"/>). Redshift COPY maps Parquet
/// columns to table columns by position, so this order and these physical types must match the staging DDL exactly:
/// INT → INT32, BIGINT → INT64, DOUBLE → DOUBLE, VARCHAR → UTF-8 BYTE_ARRAY. No column is a TIMESTAMP: ts is the
/// source's epoch milliseconds as a plain INT64 (BIGINT), which every target loads exactly (Redshift's COPY of Parquet
/// INT64 timestamps has public reports of wrong years, apache/arrow#38000, and INT96 is deprecated); each dialect's
/// merge turns it into a TIMESTAMP (SqlScripts' <c>{{epoch_ms(…)}}</c>).
/// </summary>
internal static class StagingParquet
{
    public static readonly ParquetSchema EventSchema = SchemaOf(EventColumns.Table);
    public static readonly ParquetSchema SongSchema = SchemaOf(SongColumns.Table);
    public static readonly ParquetSchema FileSchema = SchemaOf(FileColumns.Table);
    public static readonly ParquetSchema FieldCountSchema = SchemaOf(FieldCountColumns.Table);

    /// <summary>Builds the four schemas now (a run calls it while it lists its files), not at the first writer.</summary>
    public static void Prepare() => GC.KeepAlive(EventSchema);

    /// <summary>The Parquet schema of a staging table (the staging tables' schemas are made once, above).</summary>
    public static ParquetSchema For(StagingTable table) =>
        ReferenceEquals(table, EventColumns.Table) ? EventSchema
        : ReferenceEquals(table, SongColumns.Table) ? SongSchema
        : ReferenceEquals(table, FileColumns.Table) ? FileSchema
        : ReferenceEquals(table, FieldCountColumns.Table) ? FieldCountSchema
        : SchemaOf(table);

    private static ParquetSchema SchemaOf(StagingTable table) => new([.. table.Columns.Select(FieldOf)]);

    private static DataField FieldOf(StagingColumn c) => (c.Type, c.Nullable) switch
    {
        (ColumnType.Int32, false) => new DataField<int>(c.Name),
        (ColumnType.Int32, true) => new DataField<int?>(c.Name),
        (ColumnType.Int64, false) => new DataField<long>(c.Name),
        (ColumnType.Int64, true) => new DataField<long?>(c.Name),
        (ColumnType.Double, false) => new DataField<double>(c.Name),
        (ColumnType.Double, true) => new DataField<double?>(c.Name),
        (ColumnType.Text, var nullable) => new DataField<string>(c.Name, nullable),
        _ => throw new ArgumentOutOfRangeException(nameof(c), c.Type, "no Parquet type for this column type"),
    };

    /// <summary>Writes every row of <paramref name="rows"/> as the columns of one (open) row group, in schema order.</summary>
    public static void Write(PartFileWriter file, RecordBatch rows)
    {
        foreach (var column in rows.Columns)
        {
            switch (column)
            {
                case ColumnBuffer<int> c: file.WriteInt32(c.Span); break;
                case ColumnBuffer<int?> c: file.WriteInt32(c.Span); break;
                case ColumnBuffer<long> c: file.WriteInt64(c.Span); break;
                case ColumnBuffer<long?> c: file.WriteInt64(c.Span); break;
                case ColumnBuffer<double> c: file.WriteDouble(c.Span); break;
                case ColumnBuffer<double?> c: file.WriteDouble(c.Span); break;
                case ColumnBuffer<string?> c: file.WriteStrings(c.Span); break;
                default: throw new NotSupportedException($"no Parquet writer for {column.GetType().Name}");
            }
        }
    }
}
