using System.Text;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Tests.Semantics;

/// <summary>Compares whole warehouses (table dumps) and says which rows differ when they do not match.</summary>
public static class TableAssert
{
    /// <summary>The warehouse's own bookkeeping, besides the five star tables: what "exactly as before" also covers.</summary>
    internal static readonly IReadOnlyList<string> Bookkeeping =
        ["sparkify_load_ledger", "sparkify_song_catalog", "sparkify_play_keys", "sparkify_user_events"];

    /// <summary>The star tables, the ledger and the merge's bookkeeping, each as sorted text rows.</summary>
    internal static async Task<Dictionary<string, List<string>>> DumpStateAsync(IWarehouse warehouse)
    {
        var all = await Tables.DumpAllAsync(warehouse);
        foreach (var table in Bookkeeping) all[table] = await Tables.DumpAsync(warehouse, table);
        return all;
    }

    /// <summary>Fails with the rows missing and extra, per table, when <paramref name="actual"/> differs.</summary>
    public static void Equal(IReadOnlyDictionary<string, List<string>> expected,
        IReadOnlyDictionary<string, List<string>> actual, string context)
    {
        var report = new StringBuilder();
        foreach (var table in expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal))
        {
            var want = expected.TryGetValue(table, out var e) ? e : [];
            var got = actual.TryGetValue(table, out var a) ? a : [];
            if (want.SequenceEqual(got, StringComparer.Ordinal)) continue;
            report.AppendLine($"{table}: {want.Count} rows expected, {got.Count} found");
            foreach (var row in want.Except(got, StringComparer.Ordinal).Take(5)) report.AppendLine($"  missing: {row}");
            foreach (var row in got.Except(want, StringComparer.Ordinal).Take(5)) report.AppendLine($"  extra:   {row}");
        }
        if (report.Length > 0) Assert.Fail($"{context}\n{report}");
    }
}
