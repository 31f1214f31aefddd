using System.Globalization;
using Sparkify.Stream.Warehouse;
using static Sparkify.Stream.Tests.Semantics.Scenario;

namespace Sparkify.Stream.Tests.Semantics;

/// <summary>
/// docs/semantics.md#timestamps on every target: ts is staged as BIGINT epoch milliseconds and the merge's TIMESTAMPs are exact to the
/// millisecond, from the first to the last millisecond the validator accepts.
/// </summary>
public abstract partial class StarSchemaSemantics
{
    /// <summary>The dialect's name of the type of <paramref name="expression"/> (DuckDB typeof, Postgres pg_typeof).</summary>
    internal abstract string TypeOf(string expression);

    private static readonly long[] EdgeMillis =
    [
        946_684_800_000,     // 2000-01-01 00:00:00.000, the first accepted
        951_868_799_999,     // 2000-02-29 23:59:59.999, a leap day of a century year
        1_541_105_830_999,   // 2018-11-01 20:57:10.999, ms = 999
        1_582_979_696_789,   // 2020-02-29 12:34:56.789, a leap day
        2_147_483_648_001,   // 2038-01-19 03:14:08.001, past the INT32 seconds of 1970
        4_102_444_799_999,   // 2099-12-31 23:59:59.999, the last accepted
    ];

    private static string Iso(long ms) =>
        DateTime.UnixEpoch.AddMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Start_time_and_updated_at_are_exact_to_the_millisecond_across_the_accepted_range()
    {
        using var s = new Scenario();
        for (var i = 0; i < EdgeMillis.Length; i++)
            s.Log(Iso(EdgeMillis[i])[..10], Event(Iso(EdgeMillis[i]), 100 + i, song: "S", artist: "A", length: 1));
        // One millisecond apart: the later event is the user's latest, and both are plays of their own.
        s.Log("2018-11-02", Event(Iso(1_541_116_800_000), 1, level: "free"), Event(Iso(1_541_116_800_001), 1, level: "paid"));
        await using var w = await OpenEmptyWarehouseAsync();
        await s.RunAsync(w);

        long[] plays = [.. EdgeMillis, 1_541_116_800_000, 1_541_116_800_001];
        var expected = plays.Select(ms => DateTime.UnixEpoch.AddMilliseconds(ms).Ticks).Order().ToList();
        Assert.Equal(expected, await TicksAsync(w, "SELECT start_time FROM songplays"));
        Assert.Equal(expected, await TicksAsync(w, "SELECT start_time FROM \"time\""));
        Assert.Equal(
            EdgeMillis.Append(1_541_116_800_001).Select(ms => DateTime.UnixEpoch.AddMilliseconds(ms).Ticks).Order(),
            await TicksAsync(w, "SELECT updated_at FROM users"));
        Assert.Equal("paid", (await w.QueryAsync("SELECT level FROM users WHERE user_id = 1", CancellationToken.None)).Rows[0][0]);
        Assert.Equal(plays.Select(TimeRow).Order(StringComparer.Ordinal), await Tables.DumpAsync(w, "time"));
    }

    /// <summary>The time row of <paramref name="ms"/> as .NET computes it (ISO week, weekday 0 = Sunday).</summary>
    private static string TimeRow(long ms)
    {
        var t = DateTime.UnixEpoch.AddMilliseconds(ms);
        return string.Join('|', Tables.Format(t), t.Hour, t.Day, ISOWeek.GetWeekOfYear(t), t.Month, t.Year, (int)t.DayOfWeek);
    }

    [Fact]
    public async Task Run_events_ts_is_already_the_star_timestamp_type()
    {
        using var s = new Scenario();
        s.Log("2018-11-01", Event("2018-11-01T20:57:10.999Z", 1));
        await using var w = await OpenEmptyWarehouseAsync();
        string? staged = null, merged = null, star = null;
        await s.RunAsync(w, onPhase: async step =>
        {
            if (step != "merge/20_song_catalog") return;
            staged = await ScalarAsync(w, $"SELECT {TypeOf("ts")} FROM staging_events");
            merged = await ScalarAsync(w, $"SELECT {TypeOf("ts")} FROM run_events");
            star = await ScalarAsync(w, $"SELECT {TypeOf("CAST(NULL AS TIMESTAMP)")}");   // the star columns' type
        });

        Assert.Equal(await ScalarAsync(w, $"SELECT {TypeOf("CAST(1 AS BIGINT)")}"), staged);
        Assert.Equal(star, merged);
        Assert.Equal(DateTime.UnixEpoch.AddMilliseconds(1_541_105_830_999).Ticks,
            Assert.Single(await TicksAsync(w, "SELECT start_time FROM songplays")));
    }

    [Fact]
    public async Task A_staging_table_from_before_ts_was_bigint_is_made_again_and_loads_exactly()
    {
        using var s = new Scenario();
        s.Log("2018-11-01", Event("2018-11-01T20:57:10.999Z", 1));
        await using var w = await OpenEmptyWarehouseAsync();
        await w.CreateTablesAsync(drop: false, CancellationToken.None);
        // The old column: a TIMESTAMP, the table empty as it is between runs.
        await w.QueryAsync("ALTER TABLE staging_events ALTER COLUMN ts TYPE TIMESTAMP USING NULL", CancellationToken.None);

        await s.RunAsync(w);

        Assert.Equal(DateTime.UnixEpoch.AddMilliseconds(1_541_105_830_999).Ticks,
            Assert.Single(await TicksAsync(w, "SELECT start_time FROM songplays")));
        var columns = await w.QueryAsync("SELECT * FROM staging_events", CancellationToken.None);
        Assert.Equal(Sparkify.Stream.Staging.StagingParquet.EventSchema.DataFields.Select(f => f.Name), columns.Columns);
    }

    private static async Task<List<long>> TicksAsync(IWarehouse w, string sql) =>
        [.. (await w.QueryAsync(sql, CancellationToken.None)).Rows.Select(r => ((DateTime)r[0]!).Ticks).Order()];

    private static async Task<string?> ScalarAsync(IWarehouse w, string sql) =>
        (await w.QueryAsync(sql, CancellationToken.None)).Rows.Select(r => r[0]?.ToString()).FirstOrDefault();
}
