using Sparkify.Stream.Records;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Tests.Warehouse;

/// <summary>One statement the Redshift target can send, and where it comes from ("merge/60_songplays #3", "CountSql").</summary>
internal sealed record RedshiftStatement(string Origin, string Sql);

/// <summary>
/// Every statement the Redshift target can run, as it would send it: every script of the redshift dialect (its own and
/// the common ones it does not replace) expanded by the real <see cref="SqlScripts"/>, its run-time values filled by the
/// code that fills them in a run, and every statement built in C#, rendered by its real builder.
/// </summary>
/// <remarks>
/// A new script is covered by itself; if it holds a value this class cannot fill, <see cref="All"/> fails and names it
/// (add its renderer to <see cref="Renderers"/>). A statement built in C# is covered once its builder is listed in
/// <see cref="Built"/>.
/// </remarks>
internal static class RedshiftStatements
{
    public const string Role = "arn:aws:iam::123456789012:role/RedshiftCopy";
    public const string Manifest = "s3://sparkify-staging/prod/runs/20261125T120000Z-1a2b3c4d/staging_events.manifest";

    private static readonly SqlScripts Scripts = new("redshift");

    /// <summary>Part files as Redshift logs them for a failed COPY (the load-error lookups match them).</summary>
    private static readonly string[] Parts =
    [
        "s3://sparkify-staging/prod/runs/20261125T120000Z-1a2b3c4d/events/part-00000.parquet",
        "s3://sparkify-staging/prod/runs/20261125T120000Z-1a2b3c4d/events/part-00001.parquet",
    ];

    /// <summary>Scripts whose statements take run-time values: how the real code fills them (each a list of variants).</summary>
    private static readonly Dictionary<string, Func<string, IEnumerable<string>>> Renderers = new(StringComparer.Ordinal)
    {
        ["copy"] = _ => StagingTableSet.All.Select(t => RedshiftWarehouse.CopySql(Scripts, t.SqlName, Manifest, Role)),
        ["load_errors"] = _ => [RedshiftWarehouse.LoadErrorsSql(Scripts, "load_errors", Parts)],
        ["load_errors_stl"] = _ => [RedshiftWarehouse.LoadErrorsSql(Scripts, "load_errors_stl", Parts)],
        ["field_baseline"] = _ => [SqlWarehouse.FieldBaselineSql(Scripts, "null_count"), SqlWarehouse.FieldBaselineSql(Scripts, "nulls")],
    };

    public static IReadOnlyList<RedshiftStatement> All { get; } = [.. FromScripts(), .. Built()];

    /// <summary>The statements of every redshift script, in name order, numbered within their script.</summary>
    private static IEnumerable<RedshiftStatement> FromScripts()
    {
        // backfill --replace's values (a plain run fills NULL, for statements it then skips).
        var values = SqlWarehouse.MergeValues(new DateTime(2026, 11, 25, 12, 0, 0, 123, DateTimeKind.Utc),
            new DateRange(new DateOnly(2018, 11, 1), new DateOnly(2018, 11, 30)));
        foreach (var name in Scripts.Names())
        {
            IEnumerable<string> texts;
            if (Renderers.TryGetValue(name, out var render)) texts = render(name);
            else if (name.StartsWith("queries/", StringComparison.Ordinal))
                texts = [NamedQueries.All.Single(q => "queries/" + q.Name == name).Sql(Scripts, 10)];
            else if (name.StartsWith("merge/", StringComparison.Ordinal))
                texts = SqlScripts.Split(Scripts.Get(name)).Select(s => SqlText.Fill(s.Text, values));
            else texts = [Scripts.Get(name)];
            var n = 0;
            foreach (var statement in texts.SelectMany(t => SqlScripts.Split(t.EndsWith(';') ? t : t + ";")))
            {
                if (statement.Text.Contains("{{", StringComparison.Ordinal))
                    throw new InvalidOperationException($"{name} holds a value this test cannot fill: add its renderer to RedshiftStatements ({statement.Text})");
                yield return new RedshiftStatement($"{name} #{++n}", statement.Text);
            }
        }
    }

    /// <summary>The statements built in C#, through their real builders.</summary>
    private static IEnumerable<RedshiftStatement> Built()
    {
        foreach (var table in StarTables.All.Concat(StagingTableSet.All.Select(t => t.SqlName)))
            yield return new("SqlWarehouse.CountSql", SqlWarehouse.CountSql(table));
        yield return new("SqlWarehouse.DropTableSql", SqlWarehouse.DropTableSql("staging_field_counts"));
        yield return new("SqlWarehouse.RenameColumnSql", SqlWarehouse.RenameColumnSql("sparkify_field_counts", "nulls", "null_count"));
        yield return new("SqlWarehouse.PrivilegeProbeSql", SqlWarehouse.PrivilegeProbeSql);
        yield return new("WarehouseChecks.LoadedByKindSql", WarehouseChecks.LoadedByKindSql);
    }
}
