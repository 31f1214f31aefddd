using DuckDB.NET.Data;
using Parquet;
using Parquet.Schema;
using Sparkify.Stream.Staging;
using Sparkify.Stream.Staging.ParquetFormat;

namespace Sparkify.Stream.Tests.Staging;

/// <summary>
/// The hand-written staging Parquet writer, checked against three independent readers: Parquet.Net (which the
/// Postgres load uses), DuckDB (which the DuckDB load uses) and Apache Arrow's C++ reader (ParquetSharp; every file
/// read with Parquet.Net here is read with it too): every value, null and type comes back as written.
/// </summary>
public sealed partial class PartFileWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-partfile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly ParquetSchema Schema = new(
        new DataField<int>("req_int"), new DataField<int?>("opt_int"),
        new DataField<long>("req_long"), new DataField<long?>("opt_long"),
        new DataField<double>("req_double"), new DataField<double?>("opt_double"),
        new DataField<string>("req_text", nullable: false), new DataField<string>("opt_text", nullable: true));

    /// <summary>One row group's columns, as the test writes them and expects them back.</summary>
    private sealed record Group(
        int[] ReqInt, int?[] OptInt, long[] ReqLong, long?[] OptLong, double[] ReqDouble, double?[] OptDouble,
        string[] ReqText, string?[] OptText)
    {
        public int Rows => ReqInt.Length;

        public void WriteTo(PartFileWriter w)
        {
            w.BeginRowGroup(Rows);
            w.WriteInt32(ReqInt);
            w.WriteInt32(OptInt);
            w.WriteInt64(ReqLong);
            w.WriteInt64(OptLong);
            w.WriteDouble(ReqDouble);
            w.WriteDouble(OptDouble);
            w.WriteStrings(ReqText!);
            w.WriteStrings(OptText);
            w.EndRowGroup();
        }
    }

    /// <summary>Random rows: null runs and isolated nulls, repeated and distinct strings, non-ASCII, edge numbers.</summary>
    private static Group RandomGroup(Random rng, int rows, int vocabulary)
    {
        string[] words = ["", "a", "NextSong", "Logged In", "Zoë", "日本語", "🎵 emoji", "tab\tquote\"back\\slash", "x\ny"];
        var pool = Enumerable.Range(0, vocabulary).Select(i => words[i % words.Length] + (i < words.Length ? "" : i.ToString())).ToArray();
        var nullRun = 0;
        bool NextNull()
        {
            if (nullRun > 0) { nullRun--; return true; }
            var p = rng.Next(100);
            if (p < 3) { nullRun = rng.Next(1, 40); return true; }   // runs of nulls (RLE)
            return p < 20;                                           // scattered nulls (bit-packed)
        }
        double[] edges = [0, -0.0, double.MaxValue, double.MinValue, double.Epsilon, 1e-300, 123.456789012345];
        var g = new Group(new int[rows], new int?[rows], new long[rows], new long?[rows], new double[rows], new double?[rows],
            new string[rows], new string?[rows]);
        for (var i = 0; i < rows; i++)
        {
            g.ReqInt[i] = rng.Next(5) == 0 ? int.MinValue + rng.Next(3) : rng.Next(int.MinValue, int.MaxValue);
            g.OptInt[i] = NextNull() ? null : rng.Next(-1000, 1000);
            g.ReqLong[i] = rng.NextInt64(long.MinValue, long.MaxValue);
            g.OptLong[i] = NextNull() ? null : rng.NextInt64();
            g.ReqDouble[i] = rng.Next(4) == 0 ? edges[rng.Next(edges.Length)] : rng.NextDouble() * 1e6;
            g.OptDouble[i] = NextNull() ? null : rng.NextDouble();
            g.ReqText[i] = pool[rng.Next(pool.Length)];
            // A new string object with the same content as a pooled one: equal by content, not by reference.
            g.OptText[i] = NextNull() ? null : rng.Next(3) == 0 ? new string(pool[rng.Next(pool.Length)].AsSpan()) : pool[rng.Next(pool.Length)];
        }
        return g;
    }

    private string WriteFile(params Group[] groups)
    {
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.parquet");
        using var stream = File.Create(path);
        var writer = new PartFileWriter(stream, Schema);
        foreach (var g in groups) g.WriteTo(writer);
        writer.Complete();
        Assert.Equal(stream.Position, writer.Position);
        return path;
    }

    private static async Task<List<Group>> ReadWithParquetNet(string path)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.DataFields;
        Assert.Equal(Schema.DataFields.Select(f => (f.Name, f.IsNullable)), fields.Select(f => (f.Name, f.IsNullable)));
        var groups = new List<Group>();
        for (var r = 0; r < reader.RowGroupCount; r++)
        {
            using var rg = reader.OpenRowGroupReader(r);
            var n = (int)rg.RowCount;
            var g = new Group(new int[n], new int?[n], new long[n], new long?[n], new double[n], new double?[n],
                new string[n], new string?[n]);
            await rg.ReadAsync<int>(fields[0], g.ReqInt.AsMemory(), null);
            await rg.ReadAsync<int>(fields[1], g.OptInt.AsMemory(), null);
            await rg.ReadAsync<long>(fields[2], g.ReqLong.AsMemory(), null);
            await rg.ReadAsync<long>(fields[3], g.OptLong.AsMemory(), null);
            await rg.ReadAsync<double>(fields[4], g.ReqDouble.AsMemory(), null);
            await rg.ReadAsync<double>(fields[5], g.OptDouble.AsMemory(), null);
            await rg.ReadAsync(fields[6], g.ReqText.AsMemory()!, null);
            await rg.ReadAsync(fields[7], g.OptText.AsMemory(), null);
            groups.Add(g);
        }
        AssertArrowReadsTheSame(path, groups);
        return groups;
    }

    /// <summary>Arrow's C++ reader reads the file's schema, row groups and every value as Parquet.Net did.</summary>
    private static void AssertArrowReadsTheSame(string path, List<Group> groups)
    {
        var arrow = ArrowParquet.Read(path);
        Assert.Equal(Schema.DataFields.Select(f => (f.Name, f.IsNullable)), arrow.Schema.Select(c => (c.Name, c.Nullable)));
        Assert.Equal(
            [ParquetSharp.PhysicalType.Int32, ParquetSharp.PhysicalType.Int32, ParquetSharp.PhysicalType.Int64, ParquetSharp.PhysicalType.Int64,
             ParquetSharp.PhysicalType.Double, ParquetSharp.PhysicalType.Double, ParquetSharp.PhysicalType.ByteArray, ParquetSharp.PhysicalType.ByteArray],
            arrow.Schema.Select(c => c.Physical));
        Assert.True(arrow.Schema[6].IsUtf8 && arrow.Schema[7].IsUtf8, "strings not annotated as UTF-8");
        Assert.Equal(groups.Sum(g => (long)g.Rows), arrow.FooterRows);
        Assert.Equal(groups.Count, arrow.RowGroups.Count);
        for (var i = 0; i < groups.Count; i++)
        {
            var c = arrow.RowGroups[i];
            AssertSame(groups[i], new Group(
                [.. c[0].Cast<int>()], [.. c[1].Cast<int?>()], [.. c[2].Cast<long>()], [.. c[3].Cast<long?>()],
                [.. c[4].Cast<double>()], [.. c[5].Cast<double?>()], [.. c[6].Cast<string>()], [.. c[7].Cast<string?>()]));
        }
    }

    private static void AssertSame(Group expected, Group actual)
    {
        Assert.Equal(expected.ReqInt, actual.ReqInt);
        Assert.Equal(expected.OptInt, actual.OptInt);
        Assert.Equal(expected.ReqLong, actual.ReqLong);
        Assert.Equal(expected.OptLong, actual.OptLong);
        Assert.Equal(expected.ReqDouble.Select(BitConverter.DoubleToInt64Bits), actual.ReqDouble.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(expected.OptDouble, actual.OptDouble);
        Assert.Equal(expected.ReqText, actual.ReqText);
        Assert.Equal(expected.OptText, actual.OptText);
    }

    [Theory]
    [InlineData(1, 1, 5)]            // one row
    [InlineData(2, 7, 3)]            // fewer rows than a bit-packed group
    [InlineData(3, 4_099, 40)]       // repeated strings: dictionary pages
    [InlineData(4, 3_000, 100_000)]  // mostly distinct strings: PLAIN fallback
    [InlineData(5, 65_536, 5_000)]   // a full staging row group, a 13-bit dictionary
    public async Task Parquet_Net_reads_back_every_value(int seed, int rows, int vocabulary)
    {
        var rng = new Random(seed);
        Group[] groups = [RandomGroup(rng, rows, vocabulary), RandomGroup(rng, rows / 2 + 1, vocabulary), RandomGroup(rng, 9, 2)];
        var read = await ReadWithParquetNet(WriteFile(groups));
        Assert.Equal(groups.Length, read.Count);
        for (var i = 0; i < groups.Length; i++) AssertSame(groups[i], read[i]);
    }

    [Fact]
    public async Task Level_and_index_runs_at_every_boundary_read_back_exactly()
    {
        // Null runs of 1..20 around the RLE threshold of 8, at every offset within a bit-packed group.
        var optText = new List<string?>();
        for (var run = 1; run <= 20; run++)
        {
            optText.AddRange(Enumerable.Repeat<string?>(null, run));
            optText.AddRange(Enumerable.Repeat<string?>("v" + (run % 3), run + 1));
        }
        var n = optText.Count;
        var g = new Group(
            Enumerable.Range(0, n).ToArray(), optText.Select((t, i) => t is null ? (int?)null : i).ToArray(),
            new long[n], new long?[n], new double[n], Enumerable.Repeat<double?>(null, n).ToArray(),
            Enumerable.Repeat("same", n).ToArray(), [.. optText]);
        var read = await ReadWithParquetNet(WriteFile(g));
        AssertSame(g, Assert.Single(read));
    }

    [Fact]
    public async Task All_null_and_all_empty_columns_read_back_exactly()
    {
        const int n = 300;
        Group Uniform(string? text, int? number) => new(
            Enumerable.Range(0, n).ToArray(), Enumerable.Repeat(number, n).ToArray(), new long[n],
            Enumerable.Repeat<long?>(number, n).ToArray(), new double[n], Enumerable.Repeat<double?>(number, n).ToArray(),
            Enumerable.Repeat(text ?? "", n).ToArray(), Enumerable.Repeat(text, n).ToArray());
        Group[] groups = [Uniform(null, null), Uniform("", 0), Uniform("same", 7)];
        var read = await ReadWithParquetNet(WriteFile(groups));
        for (var i = 0; i < groups.Length; i++) AssertSame(groups[i], read[i]);
    }

    [Fact]
    public void DuckDB_reads_the_same_types_and_values()
    {
        var rng = new Random(42);
        Group[] groups = [RandomGroup(rng, 5_000, 50), RandomGroup(rng, 1_200, 10_000)];
        var path = WriteFile(groups);
        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        using var describe = db.CreateCommand();
        describe.CommandText = $"DESCRIBE SELECT * FROM read_parquet('{path}')";
        var types = new List<string>();
        using (var r = describe.ExecuteReader())
            while (r.Read()) types.Add($"{r.GetString(0)} {r.GetString(1)}");
        Assert.Equal(
            ["req_int INTEGER", "opt_int INTEGER", "req_long BIGINT", "opt_long BIGINT", "req_double DOUBLE",
             "opt_double DOUBLE", "req_text VARCHAR", "opt_text VARCHAR"], types);

        using var select = db.CreateCommand();
        select.CommandText = $"SELECT req_int, opt_int, req_long, opt_long, req_double, opt_double, req_text, opt_text FROM read_parquet('{path}')";
        var all = groups.SelectMany(g => Enumerable.Range(0, g.Rows).Select(i => (g, i))).ToList();
        var row = 0;
        using (var r = select.ExecuteReader())
        {
            while (r.Read())
            {
                var (g, i) = all[row++];
                Assert.Equal(g.ReqInt[i], r.GetInt32(0));
                Assert.Equal(g.OptInt[i], r.IsDBNull(1) ? null : r.GetInt32(1));
                Assert.Equal(g.ReqLong[i], r.GetInt64(2));
                Assert.Equal(g.OptLong[i], r.IsDBNull(3) ? null : r.GetInt64(3));
                Assert.Equal(BitConverter.DoubleToInt64Bits(g.ReqDouble[i]), BitConverter.DoubleToInt64Bits(r.GetDouble(4)));
                Assert.Equal(g.OptDouble[i], r.IsDBNull(5) ? null : r.GetDouble(5));
                Assert.Equal(g.ReqText[i], r.GetString(6));
                Assert.Equal(g.OptText[i], r.IsDBNull(7) ? null : r.GetString(7));
            }
        }
        Assert.Equal(all.Count, row);
    }

    [Fact]
    public void Misuse_is_refused_with_the_column_named()
    {
        using var stream = new MemoryStream();
        var writer = new PartFileWriter(stream, Schema);
        writer.BeginRowGroup(2);
        Assert.Contains("'req_int' is Int32, not Int64", Assert.Throws<InvalidOperationException>(() => writer.WriteInt64([1L, 2L])).Message);
        Assert.Contains("'req_int' has 3 values, the row group 2", Assert.Throws<InvalidOperationException>(() => writer.WriteInt32([1, 2, 3])).Message);
        Assert.Contains("'req_int' is required but a value is null", Assert.Throws<InvalidOperationException>(() => writer.WriteInt32([1, null])).Message);
        writer.WriteInt32([1, 2]);
        Assert.Contains("after 1 of 8 columns", Assert.Throws<InvalidOperationException>(writer.EndRowGroup).Message);
        Assert.Throws<InvalidOperationException>(writer.Complete);
        Assert.Throws<NotSupportedException>(() => new PartFileWriter(stream, new ParquetSchema(new DataField<bool>("flag"))));
    }

    [Fact]
    public void A_timestamp_column_is_refused_staging_has_none()
    {
        // docs/semantics.md#timestamps: ts is staged as BIGINT epoch milliseconds; the writer cannot write a Parquet TIMESTAMP at all.
        var ts = new DateTimeDataField("ts", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros);
        var error = Assert.Throws<NotSupportedException>(() => new PartFileWriter(new MemoryStream(), new ParquetSchema(ts)));
        Assert.Contains("'ts'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Required_text_refuses_null_and_a_lone_surrogate_is_not_written_as_replacement()
    {
        using var stream = new MemoryStream();
        var writer = new PartFileWriter(stream, new ParquetSchema(new DataField<string>("t", nullable: false)));
        writer.BeginRowGroup(1);
        Assert.Throws<InvalidOperationException>(() => writer.WriteStrings([null]));

        var optional = new PartFileWriter(new MemoryStream(), new ParquetSchema(new DataField<string>("t", nullable: true)));
        optional.BeginRowGroup(1);
        Assert.ThrowsAny<ArgumentException>(() => optional.WriteStrings(["bad \ud800 text"]));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task The_staging_schemas_are_written_as_declared()
    {
        // The real tables' schemas (the COPY into Redshift maps columns by position and type).
        foreach (var schema in new[] { StagingParquet.EventSchema, StagingParquet.SongSchema, StagingParquet.FileSchema })
        {
            var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.parquet");
            await using (var stream = File.Create(path))
            {
                var w = new PartFileWriter(stream, schema);
                w.Complete();   // no row groups: a valid empty file
            }
            await using var read = File.OpenRead(path);
            await using var reader = await ParquetReader.CreateAsync(read);
            Assert.Equal(0, reader.RowGroupCount);
            Assert.Equal(
                schema.DataFields.Select(f => (f.Name, f.IsNullable, f.ClrType)),
                reader.Schema.DataFields.Select(f => (f.Name, f.IsNullable, f.ClrType)));
            Assert.DoesNotContain(reader.Schema.DataFields, f => f is DateTimeDataField);

            // No TIMESTAMP of any kind, by the file's own annotations (docs/semantics.md#timestamps).
            using var db = new DuckDBConnection("Data Source=:memory:");
            db.Open();
            using var timestamps = db.CreateCommand();
            timestamps.CommandText = $"SELECT count(*) FROM parquet_schema('{path}') WHERE type = 'INT96' " +
                                     "OR converted_type ILIKE '%TIME%' OR logical_type ILIKE '%TIME%'";
            Assert.Equal(0L, Convert.ToInt64(timestamps.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
