using System.Text.RegularExpressions;
using Sparkify.Stream.Records;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Staging;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Tests.Records;

/// <summary>
/// The column tables are the one statement of the staging schema: every DDL (each dialect's create_tables.sql), the
/// Parquet schema and the Postgres COPY must follow them, column by column, name and type.
/// </summary>
public sealed partial class StagingColumnTableTests
{
    private static readonly IReadOnlyDictionary<ColumnType, string[]> SqlTypes = new Dictionary<ColumnType, string[]>
    {
        [ColumnType.Int32] = ["INTEGER"],
        [ColumnType.Int64] = ["BIGINT"],
        [ColumnType.Double] = ["DOUBLE PRECISION"],
        [ColumnType.Text] = ["VARCHAR"],
    };

    [Theory]
    [InlineData("common")]
    [InlineData("redshift")]
    public void Every_dialects_staging_ddl_has_the_column_tables_columns_in_order(string dialect)
    {
        var ddl = new SqlScripts(dialect).Get("create_tables");
        foreach (var table in StagingSchema.All)
        {
            var found = Definitions(ddl, table.SqlName);
            Assert.Equal(table.Columns.Select(c => c.Name), found.Select(d => d.Name));
            foreach (var (column, definition) in table.Columns.Zip(found))
            {
                Assert.True(SqlTypes[column.Type].Any(t => definition.Type.StartsWith(t, StringComparison.Ordinal)),
                    $"{dialect} {table.SqlName}.{column.Name} is {definition.Type}, the column table says {column.Type}");
            }
        }
    }

    [Fact]
    public void The_parquet_schema_and_the_postgres_copy_follow_the_column_tables()
    {
        foreach (var table in StagingSchema.All)
        {
            var fields = StagingParquet.For(table).DataFields;
            Assert.Equal(table.Columns.Select(c => c.Name), fields.Select(f => f.Name));
            Assert.Equal(table.Columns.Select(c => c.Nullable), fields.Select(f => f.IsNullable));
            Assert.Equal(table.Columns.Select(c => c.Type switch
            {
                ColumnType.Int32 => typeof(int), ColumnType.Int64 => typeof(long), ColumnType.Double => typeof(double),
                _ => typeof(ReadOnlyMemory<char>),   // how Parquet.Net 6 describes a UTF-8 string column
            }), fields.Select(f => f.ClrType));
            var copy = new ParquetBinaryCopy(table).Command;
            Assert.Equal($"COPY \"{table.SqlName}\" ({string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\""))}) FROM STDIN (FORMAT BINARY)", copy);
        }
    }

    [Fact]
    public void Every_source_field_the_rules_table_names_is_read_by_a_column()
    {
        // The validation table of docs/semantics.md (ValidationRules) and the column tables name the same fields.
        foreach (var (kind, table) in new[] { (RecordKind.Event, EventColumns.Table), (RecordKind.Song, SongColumns.Table) })
        {
            var read = table.Columns.Where(c => c.Source is not null).Select(c => c.Source!.Name).Order(StringComparer.Ordinal);
            var documented = ValidationRules.All.Where(r => r.Kind == kind && r.Field != ValidationRules.WholeRecord)
                .Select(r => r.Field).Distinct().Order(StringComparer.Ordinal);
            Assert.Equal(documented, read);
        }
    }

    [Fact]
    public void A_column_table_refuses_a_name_twice()
    {
        Assert.Throws<ArgumentException>(() => new StagingTable("x", null,
            [new StagingColumn("a", ColumnType.Int32), new StagingColumn("a", ColumnType.Text)]));
        Assert.Throws<ArgumentException>(() => new StagingTable("x", "event",
            [new StagingColumn("a", ColumnType.Int32) { Source = new("f", 0) }, new StagingColumn("b", ColumnType.Text) { Source = new("f") }]));
        Assert.Throws<ArgumentException>(() => EventColumns.Table.Ordinal("no_such_column"));
    }

    [Fact]
    public void A_batch_takes_records_through_the_column_table_and_gives_them_back()
    {
        var e = new LogEvent
        {
            EventId = -5, Ts = 1_541_105_830_796, UserId = 39, FirstName = "Zoë", Length = 1.5, ItemInSession = 0,
            SessionId = 7, Status = 200, Registration = long.MaxValue, SourceKey = "k", SourceLine = 3,
        };
        var batch = new RecordBatch(EventColumns.Table, 1);
        batch.Add(e);
        batch.Add(e with { UserId = null, FirstName = null });
        Assert.Equal(e, LogEvent.FromRow(batch, 0));
        Assert.Null(batch.Value("user_id", 1));
        var copy = new RecordBatch(EventColumns.Table);
        copy.Append(batch, 1, 1);
        Assert.Equal(e with { UserId = null, FirstName = null }, LogEvent.FromRow(copy, 0));
        Assert.Throws<ArgumentException>(() => new RecordBatch(SongColumns.Table).Append(batch, 0, 1));
    }

    private static List<(string Name, string Type)> Definitions(string ddl, string table)
    {
        var match = TableRegex().Matches(ddl).SingleOrDefault(m => m.Groups["table"].Value == table)
                    ?? throw new InvalidOperationException($"no CREATE TABLE {table}");
        return [.. match.Groups["body"].Value.Split('\n').Select(l => l.Trim().TrimEnd(',')).Where(l => l.Length > 0)
            .Select(l => (l.Split(' ', 2)[0], l.Split(' ', 2)[1].Trim()))];
    }

    [GeneratedRegex(@"CREATE (?:\{\{unlogged\}\})?TABLE IF NOT EXISTS (?<table>\w+) \((?<body>[^;]*?)\n\)", RegexOptions.Singleline)]
    private static partial Regex TableRegex();
}
