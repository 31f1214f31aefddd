using System.Globalization;

namespace Sparkify.Stream.Warehouse;

/// <summary>`sparkify check`: the SQL checks under Sql/…/checks (each counts violations) and row counts.</summary>
internal static class WarehouseChecks
{
    /// <summary>The valid records loaded per kind ("event", "song"), from the ledger.</summary>
    internal const string LoadedByKindSql =
        "SELECT kind, CAST(COALESCE(SUM(records_valid), 0) AS BIGINT) FROM sparkify_load_ledger GROUP BY kind";

    public static async Task<IReadOnlyList<CheckOutcome>> RunAsync(IWarehouse warehouse, CancellationToken ct)
    {
        var outcomes = new List<CheckOutcome>();
        foreach (var name in warehouse.Scripts.List("checks"))
        {
            var statement = SqlScripts.Split(warehouse.Scripts.Get(name)).Single();
            var result = await warehouse.QueryAsync(statement.Text, ct);
            var violations = Convert.ToInt64(result.Rows[0][0], CultureInfo.InvariantCulture);
            outcomes.Add(new CheckOutcome(statement.Description ?? name, violations == 0, $"{violations} violations"));
        }
        var loaded = await warehouse.QueryAsync(LoadedByKindSql, ct);
        var valid = loaded.Rows.ToDictionary(r => (string)r[0]!, r => Convert.ToInt64(r[1], CultureInfo.InvariantCulture));
        var counts = await warehouse.CountRowsAsync(ct);
        foreach (var (kind, tables) in new[] { ("event", new[] { "users" }), ("song", new[] { "songs", "artists" }) })
        {
            if (valid.GetValueOrDefault(kind) == 0) continue;
            foreach (var table in tables)
                outcomes.Add(new CheckOutcome($"{table} has rows ({kind} records were loaded)", counts[table] > 0, "0 rows"));
        }
        if (counts["songplays"] > 0 || valid.GetValueOrDefault("event") > 0)
            outcomes.Add(new CheckOutcome("time has rows where songplays has", counts["songplays"] == 0 || counts["time"] > 0, "0 rows"));
        return outcomes;
    }
}

internal sealed record CheckOutcome(string Description, bool Passed, string Detail);
