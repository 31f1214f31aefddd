using Sparkify.Stream.Doctor;
using Sparkify.Stream.Records;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Staging;
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
/// A new script is covered by itself; if it holds a value this class cannot fill, <see cref="AllAsync"/> fails and names
/// it (add its renderer to <see cref="Renderers"/>). A statement built in C# is covered once its builder is listed in
/// <see cref="Built"/>; the doctor's own queries are recorded from a real doctor run (<see cref="DoctorAsync"/>), so a
/// query it adds is covered by itself.
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
        ["copy"] = _ => StagingSchema.All.Select(t => RedshiftWarehouse.CopySql(Scripts, t.SqlName, Manifest, Role)),
        ["load_errors"] = _ => [RedshiftWarehouse.LoadErrorsSql(Scripts, "load_errors", Parts)],
        ["load_errors_stl"] = _ => [RedshiftWarehouse.LoadErrorsSql(Scripts, "load_errors_stl", Parts)],
        ["count_replaced"] = _ =>
        [
            SqlWarehouse.CountReplacedSql(Scripts, new DateRange(new DateOnly(2018, 11, 3), new DateOnly(2018, 11, 5)),
                ["log_data/2018/11/2018-11-03-events.json", "log_data/2018/11/it's-2018-11-04.json"]),
            SqlWarehouse.CountReplacedSql(Scripts, new DateRange(new DateOnly(2018, 11, 3), new DateOnly(2018, 11, 5)), []),
        ],
        ["field_baseline"] = _ => [SqlWarehouse.FieldBaselineSql(Scripts, "null_count"), SqlWarehouse.FieldBaselineSql(Scripts, "nulls")],
        ["ledger_files"] = _ =>
        [
            LedgerSql.Files(Scripts, LedgerFilter.All),
            LedgerSql.Files(Scripts, new LedgerFilter(RecordKind.Event, new DateTime(2026, 11, 25, 12, 30, 0, DateTimeKind.Utc))),
        ],
        ["forget"] = _ => LedgerSql.Forget(Scripts, ["log_data/2018/11/2018-11-01-events.json", "song_data/A/A/D/TRAADPF128FB8E56A7.json",
            "s3://udacity-dend/log_data/2018/11/2018-11-02-events.json", "song_data/O'Brien/x.json"]),
    };

    private static readonly Lazy<Task<IReadOnlyList<RedshiftStatement>>> Statements =
        new(async () => [.. FromScripts(), .. Built(), .. await DoctorAsync()]);

    public static Task<IReadOnlyList<RedshiftStatement>> AllAsync() => Statements.Value;

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
        foreach (var table in StarTables.All.Concat(StagingSchema.All.Select(t => t.SqlName)))
            yield return new("SqlWarehouse.CountSql", SqlWarehouse.CountSql(table));
        yield return new("SqlWarehouse.DropTableSql", SqlWarehouse.DropTableSql("staging_field_counts"));
        yield return new("SqlWarehouse.RenameColumnSql", SqlWarehouse.RenameColumnSql("sparkify_field_counts", "nulls", "null_count"));
        yield return new("SqlWarehouse.PrivilegeProbeSql", SqlWarehouse.PrivilegeProbeSql);
        yield return new("WarehouseChecks.LoadedByKindSql", WarehouseChecks.LoadedByKindSql);
    }

    /// <summary>
    /// The queries `sparkify doctor` builds itself (the server's version, the staged rows and star rows it reads back),
    /// recorded from a real doctor run on a DuckDB warehouse: the doctor builds them alike for every target. Its table
    /// set-up and loads are the scripts and builders above.
    /// </summary>
    private static async Task<IReadOnlyList<RedshiftStatement>> DoctorAsync()
    {
        var dir = Directory.CreateTempSubdirectory("sparkify-doctor-sql-").FullName;
        try
        {
            var recorded = new List<string>();
            var targets = new DoctorTargets("duckdb",
                async ct => new RecordingWarehouse(await DuckDbWarehouse.OpenAsync(Path.Combine(dir, "w.duckdb"), ct), recorded),
                () => new LocalStagingStore(Path.Combine(dir, "staging")),
                _ => Task.FromResult<string?>(null));
            var rows = await DoctorRun.RunAsync(targets, CancellationToken.None);
            if (rows.Any(r => r.Failed))
                throw new InvalidOperationException("the doctor failed on DuckDB: " + string.Join("; ", rows.Where(r => r.Failed).Select(r => $"{r.Step}: {r.Found}")));
            return [.. recorded.Distinct(StringComparer.Ordinal).Select(sql => new RedshiftStatement("DoctorRun (recorded)", sql))];
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A real warehouse that also notes every query it is asked to run.</summary>
    private sealed class RecordingWarehouse(IWarehouse inner, List<string> queries) : IWarehouse
    {
        public string Target => inner.Target;
        public string Endpoint => inner.Endpoint;
        public SqlScripts Scripts => inner.Scripts;

        public Task<QueryResult> QueryAsync(string sql, CancellationToken ct)
        {
            lock (queries) queries.Add(sql);
            return inner.QueryAsync(sql, ct);
        }

        public Task CreateTablesAsync(bool drop, CancellationToken ct) => inner.CreateTablesAsync(drop, ct);
        public Task<IReadOnlyDictionary<string, string>> ReadLedgerAsync(CancellationToken ct) => inner.ReadLedgerAsync(ct);
        public Task<bool> HasLedgerAsync(CancellationToken ct) => inner.HasLedgerAsync(ct);
        public Task<IReadOnlyList<LedgerFile>> ReadLedgerFilesAsync(LedgerFilter filter, CancellationToken ct) => inner.ReadLedgerFilesAsync(filter, ct);
        public Task<long> ForgetAsync(IReadOnlyCollection<string> keys, CancellationToken ct) => inner.ForgetAsync(keys, ct);
        public Task<IReadOnlyList<FieldBaseline>> ReadFieldBaselineAsync(CancellationToken ct) => inner.ReadFieldBaselineAsync(ct);
        public Task<LoadResult> LoadAsync(LoadRequest request, CancellationToken ct) => inner.LoadAsync(request, ct);
        public Task<IReadOnlyDictionary<string, long>> CountRowsAsync(CancellationToken ct) => inner.CountRowsAsync(ct);
        public Task<ReplacedRows> CountReplacedAsync(DateRange range, IReadOnlyCollection<string> eventFiles, CancellationToken ct) =>
            inner.CountReplacedAsync(range, eventFiles, ct);
        public Task CheckPrivilegesAsync(CancellationToken ct) => inner.CheckPrivilegesAsync(ct);
        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
