using DuckDB.NET.Data;
using Parquet;
using Parquet.Schema;
using Sparkify.Stream.Staging;
using Sparkify.Stream.Staging.ParquetFormat;

namespace Sparkify.Stream.Tests.Staging;

/// <summary>
/// The hand-written staging Parquet writer, checked against two independent readers: Parquet.Net (which the
/// Postgres load uses) and DuckDB (which the DuckDB load uses): every value, null and type comes back as written.
/// </summary>
public sealed class PartFileWriterTests : IDisposable
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
        return groups;
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

    /// <summary>Chunk (row group, column) statistics from Parquet.Net's reading of the raw footer.</summary>
    private static async Task<Parquet.Meta.Statistics[][]> FooterStatistics(string path)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        return [.. reader.Metadata!.RowGroups.Select(g => g.Columns.Select(c => c.MetaData!.Statistics!).ToArray())];
    }

    private static Group Numbers(double[] doubles, string?[] texts, int? number = 1) => new(
        Enumerable.Repeat(number ?? 0, doubles.Length).ToArray(), Enumerable.Repeat(number, doubles.Length).ToArray(),
        new long[doubles.Length], Enumerable.Repeat<long?>(number, doubles.Length).ToArray(), doubles,
        [.. doubles.Select(d => (double?)d)], [.. texts.Select(t => t ?? "")], texts);

    [Fact]
    public async Task Double_statistics_leave_out_NaN_and_write_zero_bounds_as_minus_and_plus_zero()
    {
        Group[] groups =
        [
            Numbers([0.0, 0.0], ["a", "b"]),                                     // +0.0 only: min -0.0, max +0.0
            Numbers([-0.0, -0.0], ["a", "b"]),                                   // -0.0 only: the same bounds
            Numbers([double.NaN, 2.5, -1.5, double.NaN], ["a", "b", "c", "d"]),  // NaN counted, not a bound
            Numbers([double.NaN, double.NaN], ["a", "b"]),                       // only NaN: no bounds
            Numbers([double.NegativeInfinity, double.PositiveInfinity], ["a", "b"]),
        ];
        var stats = await FooterStatistics(WriteFile(groups));
        (double? Min, double? Max, long? Nan)[] expected =
        [
            (-0.0, 0.0, 0), (-0.0, 0.0, 0), (-1.5, 2.5, 2), (null, null, 2),
            (double.NegativeInfinity, double.PositiveInfinity, 0),
        ];
        for (var g = 0; g < groups.Length; g++)
        {
            var s = stats[g][4];   // req_double
            Assert.Equal(expected[g].Min is { } min ? BitConverter.GetBytes(min) : null, s.MinValue);
            Assert.Equal(expected[g].Max is { } max ? BitConverter.GetBytes(max) : null, s.MaxValue);
            Assert.Equal(0, s.NullCount);
            // nan_count (field 9) is newer than Parquet.Net 6.1's Thrift classes and not in DuckDB's parquet_metadata().
            Assert.Equal(expected[g].Nan, ColumnStatistics.Of<double>(groups[g].ReqDouble, nulls: 0).NanCount);
        }
        // DuckDB reads the same bounds (and trusts a double max only with nan_count = 0, which is written).
        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = $"SELECT stats_min_value, stats_max_value FROM parquet_metadata('{WriteFile(groups)}') " +
                              "WHERE path_in_schema = 'opt_double' ORDER BY row_group_id";
        using var reader = command.ExecuteReader();
        var bounds = new List<string>();
        while (reader.Read()) bounds.Add($"{(reader.IsDBNull(0) ? "NULL" : reader.GetString(0))}..{(reader.IsDBNull(1) ? "NULL" : reader.GetString(1))}");
        // DuckDB reads no bound that is not finite (its ConvertValue): the infinite ones are written, and ignored there.
        Assert.Equal(["-0.0..0.0", "-0.0..0.0", "-1.5..2.5", "NULL..NULL", "NULL..NULL"], bounds);
    }

    [Fact]
    public async Task String_statistics_are_in_UTF8_byte_order_with_empty_strings_as_values_and_no_bounds_over_4_KiB()
    {
        var huge = new string('x', ColumnStatistics.MaxStringBytes + 1);
        var edge = new string('y', ColumnStatistics.MaxStringBytes);
        // Dictionary-encoded and PLAIN chunks (200 distinct values give up the dictionary) order alike.
        var distinct = Enumerable.Range(0, 200).Select(i => "\uE000" + i).Append("🎵").Append("").ToArray();
        Group[] groups =
        [
            Numbers([1, 2, 3, 4], ["\uE000", "🎵", "Zoë", "\uE000"]),   // UTF-16 ordinal would say \uE000 is the max
            Numbers(new double[distinct.Length], distinct),
            Numbers([1, 2, 3], ["", null, "a"]),                          // '' is the minimum; NULL is counted
            Numbers([1, 2], [null, null]),                                // only nulls: no bounds
            Numbers([1, 2], ["a", huge]),                                 // a bound over 4 KiB: no bounds
            Numbers([1, 2], [edge, "a"]),                                 // exactly 4 KiB: kept
        ];
        var stats = await FooterStatistics(WriteFile(groups));
        (string? Min, string? Max, long Nulls)[] expected =
        [
            ("Zoë", "🎵", 0), ("", "🎵", 0), ("", "a", 1), (null, null, 2), (null, null, 0), ("a", edge, 0),
        ];
        for (var g = 0; g < groups.Length; g++)
        {
            var s = stats[g][7];   // opt_text
            Assert.Equal(expected[g].Min is { } min ? System.Text.Encoding.UTF8.GetBytes(min) : null, s.MinValue);
            Assert.Equal(expected[g].Max is { } max ? System.Text.Encoding.UTF8.GetBytes(max) : null, s.MaxValue);
            Assert.Equal(expected[g].Nulls, s.NullCount);
        }
    }

    [Fact]
    public async Task Integer_statistics_are_signed_and_count_nulls_in_required_and_optional_columns()
    {
        var g = new Group(
            [int.MaxValue, int.MinValue, -1, 0], [null, -5, null, 7], [long.MinValue, -1, long.MaxValue, 0],
            [null, null, null, null], [1, 2, 3, 4], [null, 1, 2, 3], ["a", "b", "c", "d"], ["a", "b", "c", "d"]);
        var stats = (await FooterStatistics(WriteFile(g)))[0];
        Assert.Equal(BitConverter.GetBytes(int.MinValue), stats[0].MinValue);
        Assert.Equal(BitConverter.GetBytes(int.MaxValue), stats[0].MaxValue);
        Assert.Equal(0, stats[0].NullCount);
        Assert.Equal(BitConverter.GetBytes(-5), stats[1].MinValue);
        Assert.Equal(BitConverter.GetBytes(7), stats[1].MaxValue);
        Assert.Equal(2, stats[1].NullCount);
        Assert.Equal(BitConverter.GetBytes(long.MinValue), stats[2].MinValue);
        Assert.Equal(BitConverter.GetBytes(long.MaxValue), stats[2].MaxValue);
        Assert.True(stats[3] is { MinValue: null, MaxValue: null, NullCount: 4 });
        Assert.All(stats, s => Assert.True(s is { Min: null, Max: null }, "the deprecated signed-order fields are not written"));
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
        // SPEC §2: ts is staged as BIGINT epoch milliseconds; the writer cannot write a Parquet TIMESTAMP at all.
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
        foreach (var schema in new[] { StagingTables.EventSchema, StagingTables.SongSchema, StagingTables.FileSchema })
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

            // No TIMESTAMP of any kind, by the file's own annotations (SPEC §2).
            using var db = new DuckDBConnection("Data Source=:memory:");
            db.Open();
            using var timestamps = db.CreateCommand();
            timestamps.CommandText = $"SELECT count(*) FROM parquet_schema('{path}') WHERE type = 'INT96' " +
                                     "OR converted_type ILIKE '%TIME%' OR logical_type ILIKE '%TIME%'";
            Assert.Equal(0L, Convert.ToInt64(timestamps.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
