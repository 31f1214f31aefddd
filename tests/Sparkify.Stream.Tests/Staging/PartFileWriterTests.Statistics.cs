using DuckDB.NET.Data;
using Parquet;
using Sparkify.Stream.Staging.ParquetFormat;

namespace Sparkify.Stream.Tests.Staging;

/// <summary>Column statistics at the writer's edges, several of which no parsed record can reach (NaN, infinities, '').</summary>
public sealed partial class PartFileWriterTests
{
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
}
