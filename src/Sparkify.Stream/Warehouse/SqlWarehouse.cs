using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Staging;

namespace Sparkify.Stream.Warehouse;

/// <summary>
/// What every SQL target shares: scripts by dialect, the one-transaction load (clear staging → load the manifests →
/// merge steps → ledger → commit), queries and counts. A target adds how its staging tables are loaded.
/// </summary>
/// <param name="logger">Where each statement's duration goes (debug level: <c>--verbose</c>), given when it is opened.</param>
internal abstract class SqlWarehouse(DbConnection connection, SqlScripts scripts, ILogger logger) : IWarehouse
{
    protected DbConnection Connection { get; } = connection;

    public SqlScripts Scripts { get; } = scripts;

    /// <summary>Where the warehouse is, for people: host and port, TLS mode (Postgres, Redshift) or the database file.</summary>
    public virtual string Endpoint => Connection is Npgsql.NpgsqlConnection n
        ? $"{n.Host}:{n.Port}, TLS {new Npgsql.NpgsqlConnectionStringBuilder(n.ConnectionString).SslMode switch
        {
            Npgsql.SslMode.VerifyFull => "verified (VerifyFull: certificate and host name)",
            Npgsql.SslMode.VerifyCA => "verified (VerifyCA: certificate, not the host name)",
            Npgsql.SslMode.Require => "required, certificate NOT verified (Require)",
            Npgsql.SslMode.Disable => "off (Disable)",
            var mode => $"if the server offers it, certificate NOT verified ({mode})",
        }}"
        : Connection.DataSource;

    public abstract string Target { get; }

    private protected ILogger Logger { get; } = logger;

    /// <summary>
    /// The load transaction's isolation level. Npgsql sends it with BEGIN (its default is READ COMMITTED, whatever the
    /// server's default_transaction_isolation): Redshift asks for SERIALIZABLE, the level it runs at anyway; tests set
    /// SERIALIZABLE on Postgres to stand in for Redshift.
    /// </summary>
    internal IsolationLevel Isolation { get; set; } = IsolationLevel.Unspecified;

    /// <summary>Loads one staging table from the Parquet parts a manifest lists, inside the run's transaction.</summary>
    /// <param name="manifestUrl">The manifest's URL in the store (Redshift COPY reads it itself).</param>
    protected abstract Task<long> LoadStagingTableAsync(string table, string manifestUrl,
        IReadOnlyList<ManifestEntry> entries, IStagingStore store, DbTransaction tx, CancellationToken ct);

    /// <summary>
    /// After a failed load has been rolled back: what the target can add about the failure of
    /// <paramref name="step"/> (Redshift: the rows a failed COPY rejected), or null for the failure's own message.
    /// </summary>
    /// <param name="files">The part files the failed step loaded (a staging load), else empty.</param>
    protected virtual Task<string?> DescribeLoadFailureAsync(
        string step, IReadOnlyList<string> files, Exception failure, CancellationToken ct) =>
        Task.FromResult<string?>(null);

    public async Task CreateTablesAsync(bool drop, CancellationToken ct)
    {
        await using var tx = await Connection.BeginTransactionAsync(ct);
        if (drop) await ExecuteScriptAsync("drop_tables", tx, null, ct);
        await EnsureTablesAsync(tx, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Creates what is missing and upgrades the tables of an older release, in <paramref name="tx"/>: its staging tables
    /// are made again, its renamed columns renamed in place.
    /// </summary>
    private async Task EnsureTablesAsync(DbTransaction tx, CancellationToken ct)
    {
        await ExecuteScriptAsync("create_tables", tx, null, ct);
        // A staging table from an older release would fail every load (a TIMESTAMP ts cannot take the BIGINT epoch
        // ms staging now holds; a column nulls where the Parquet has null_count): staging holds nothing between
        // runs, so it is dropped and made again, in this transaction.
        var stale = await QueryAsync(Scripts.Get("stale_staging"), ct);
        foreach (var row in stale.Rows)
            await ExecuteAsync(DropTableSql((string)row[0]!), tx, ct);
        if (stale.Rows.Count > 0) await ExecuteScriptAsync("create_tables", tx, null, ct);
        // The history tables keep their rows: a column an older release named otherwise is renamed.
        var renamed = await QueryAsync(Scripts.Get("upgrade_columns"), ct);
        foreach (var row in renamed.Rows)
            await ExecuteAsync(RenameColumnSql((string)row[0]!, (string)row[1]!, (string)row[2]!), tx, ct);
    }

    /// <summary>Drops a table an older release made (its name from the catalog, quoted).</summary>
    internal static string DropTableSql(string table) => $"DROP TABLE {SqlText.Identifier(table)}";

    /// <summary>Renames a column an older release named otherwise (every name quoted: the old one may be a reserved word).</summary>
    internal static string RenameColumnSql(string table, string column, string newName) =>
        $"ALTER TABLE {SqlText.Identifier(table)} RENAME COLUMN {SqlText.Identifier(column)} TO {SqlText.Identifier(newName)}";

    /// <summary>The temporary table `sparkify doctor` creates (and rolls back) to prove the TEMP privilege.</summary>
    internal const string PrivilegeProbeSql = "CREATE TEMP TABLE sparkify_doctor_probe (id INTEGER)";

    /// <summary>A table's row count (its name quoted).</summary>
    internal static string CountSql(string table) => $"SELECT COUNT(*) FROM {SqlText.Identifier(table)}";

    /// <summary>
    /// `sparkify doctor`: creates the tables (IF NOT EXISTS) and a temporary table in a transaction that is rolled back,
    /// so a missing privilege fails here, before a load, and nothing is left.
    /// </summary>
    public async Task CheckPrivilegesAsync(CancellationToken ct)
    {
        await using var tx = await Connection.BeginTransactionAsync(ct);
        await EnsureTablesAsync(tx, ct);
        await ExecuteAsync(PrivilegeProbeSql, tx, ct);
        await tx.RollbackAsync(ct);
    }

    public async Task<IReadOnlyDictionary<string, string>> ReadLedgerAsync(CancellationToken ct)
    {
        var result = await QueryAsync(Scripts.Get("read_ledger"), ct);
        return result.Rows.ToDictionary(r => (string)r[0]!, r => (string)r[1]!, StringComparer.Ordinal);
    }

    /// <summary>
    /// The load lock, as the first statement of <paramref name="tx"/> (see Sql/*/lock.sql): one load (or forget) at a
    /// time per warehouse. DuckDB has none: its file admits one writing process.
    /// </summary>
    private async Task LockAsync(DbTransaction tx, CancellationToken ct)
    {
        if (Scripts.TryGet("lock") is not null) await ExecuteScriptAsync("lock", tx, null, ct);
    }

    public async Task<IReadOnlyList<LedgerFile>> ReadLedgerFilesAsync(LedgerFilter filter, CancellationToken ct)
    {
        var result = await QueryAsync(LedgerSql.Files(Scripts, filter), ct);
        static long? Long(object? value) => value is null ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
        return [.. result.Rows.Select(r => new LedgerFile((string)r[0]!, (string)r[1]!, (string)r[2]!, Long(r[3]), Long(r[4]),
            Long(r[5]), Long(r[6]), (string)r[7]!, (DateTime)r[8]!))];
    }

    /// <summary>
    /// `sparkify forget`: the files' ledger rows and field counts deleted in one transaction that starts with the load
    /// lock, as a load's does: a load in flight is waited for, and a load that starts meanwhile waits for this. On
    /// Redshift (and at SERIALIZABLE) the lock must come before any SELECT or DELETE, which would take the snapshot: a
    /// forget that took it before a load in flight committed would fail on the rows that load wrote instead of
    /// deleting them. The keys go in chunks of <see cref="LedgerSql.KeysPerStatement"/>. Returns how many ledger rows
    /// were deleted.
    /// </summary>
    public async Task<long> ForgetAsync(IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        var scripts = LedgerSql.Forget(Scripts, keys).ToList();   // a key that cannot be written is refused before BEGIN
        var changes = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var tx = await Connection.BeginTransactionAsync(Isolation, ct);
        try
        {
            await LockAsync(tx, ct);
            foreach (var script in scripts)
                await ExecuteScriptTextAsync("forget", script, tx, changes, values: null, conditions: null, ct);
            await tx.CommitAsync(ct);
        }
        catch
        {
            await RollBackQuietlyAsync(tx);
            throw;
        }
        return changes.GetValueOrDefault("sparkify_load_ledger.deleted");
    }

    public async Task<bool> HasLedgerAsync(CancellationToken ct)
    {
        var result = await QueryAsync(Scripts.Get("has_ledger"), ct);
        return Convert.ToInt64(result.Rows[0][0], CultureInfo.InvariantCulture) > 0;
    }

    public async Task<IReadOnlyList<FieldBaseline>> ReadFieldBaselineAsync(CancellationToken ct)
    {
        // No history yet: no rows. Else the name of its null-count column (an older release's, until a load upgrades it).
        var column = await QueryAsync(Scripts.Get("has_field_counts"), ct);
        if (column.Rows.Count == 0) return [];
        var result = await QueryAsync(FieldBaselineSql(Scripts, (string)column.Rows[0][0]!), ct);
        // Each kind's records are its files' '*' rows; a contract field without a row was in every record.
        var records = new Dictionary<string, long>(StringComparer.Ordinal);
        var absent = new Dictionary<(string Kind, string Field), long>();
        foreach (var r in result.Rows)
        {
            var (kind, field) = ((string)r[0]!, (string)r[1]!);
            if (field == Records.FieldCountColumns.AllFields) records[kind] = Convert.ToInt64(r[2], CultureInfo.InvariantCulture);
            else absent[(kind, field)] = Convert.ToInt64(r[3], CultureInfo.InvariantCulture);
        }
        return [.. Records.StagingSchema.All.Where(t => t.RecordKind is { } kind && records.ContainsKey(kind))
            .SelectMany(t => t.SourceOrdinals.Select(c => t.Columns[c].Source!.Name).Select(field =>
                new FieldBaseline(t.RecordKind!, field, records[t.RecordKind!], absent.GetValueOrDefault((t.RecordKind!, field)))))];
    }

    /// <summary>The schema-drift baseline query over the history whose null-count column is <paramref name="nullCount"/>.</summary>
    internal static string FieldBaselineSql(SqlScripts scripts, string nullCount) =>
        SqlText.Fill(scripts.Get("field_baseline"), new Dictionary<string, string> { ["null_count"] = SqlText.Identifier(nullCount) });

    /// <summary>The values the merge scripts' <c>{{now}}</c>, <c>{{replace_from}}</c> and <c>{{replace_to}}</c> take.</summary>
    internal static Dictionary<string, string> MergeValues(DateTime now, DateRange? replace) => new()
    {
        ["now"] = SqlText.Timestamp(now),
        ["replace_from"] = replace?.From is { } from ? SqlText.Timestamp(from) : "NULL",
        ["replace_to"] = replace?.To is { } to ? SqlText.Timestamp(to.AddDays(1)) : "NULL",
    };

    public async Task<LoadResult> LoadAsync(LoadRequest request, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var changes = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var staged = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var phase = request.OnPhase ?? ((_, _) => Task.CompletedTask);
        var loaded = TimeSpan.Zero;   // time spent in the staging COPYs
        // The step under way and the part files it reads: a failure names them (and only them).
        var step = "begin";
        IReadOnlyList<string> stepFiles = [];
        // A rolled-back probe (doctor) may meet a warehouse whose tables do not exist yet: they are made in its
        // transaction (and rolled back too), before the lock, which needs the ledger; asked before BEGIN, as a query in
        // the transaction would take Redshift's snapshot before the lock.
        var makeTablesFirst = request.RollBack && !await HasLedgerAsync(ct);
        await using var tx = await Connection.BeginTransactionAsync(Isolation, ct);
        try
        {
            if (makeTablesFirst) await EnsureTablesAsync(tx, ct);
            step = "lock";
            await LockAsync(tx, ct);
            if (request.RollBack && !makeTablesFirst) await EnsureTablesAsync(tx, ct);
            var values = MergeValues(DateTime.UtcNow, request.ReplaceRange);
            var conditions = new HashSet<string>(StringComparer.Ordinal);
            if (request.ReplaceRange is not null) conditions.Add("replace");
            foreach (var layer in request.Layers)
            {
                step = "clear_staging";
                await ExecuteScriptAsync("clear_staging", tx, null, ct);
                var copying = clock.Elapsed;
                foreach (var (table, manifest) in layer.Tables())
                {
                    step = $"load_staging/{table}";
                    stepFiles = [];
                    await phase(step, ct);
                    var entries = await ReadManifestAsync(request.Store, manifest, ct);
                    stepFiles = [.. entries.Select(e => e.Url)];
                    var started = clock.Elapsed;
                    var rows = entries.Count == 0
                        ? 0
                        : await LoadStagingTableAsync(table, request.Store.UrlOf(manifest), entries, request.Store, tx, ct);
                    staged[table] = (staged.TryGetValue(table, out var before) ? before : 0) + rows;
                    WarehouseLog.StagingLoaded(Logger, table, rows, (clock.Elapsed - started).TotalSeconds);
                }
                loaded += clock.Elapsed - copying;
                stepFiles = [];
                foreach (var merge in Scripts.List("merge"))
                {
                    step = merge;
                    await phase(step, ct);
                    await ExecuteScriptAsync(step, tx, changes, values, conditions, ct);
                }
                // backfill --replace deletes the range once, before the first layer's rows; later layers only add.
                conditions.Remove("replace");
            }
            step = LoadPhases.Commit;
            await phase(LoadPhases.Commit, ct);
            if (request.RollBack)
            {
                await tx.RollbackAsync(ct);
                return new LoadResult(changes, new Dictionary<string, long>(), staged, loaded, clock.Elapsed - loaded);
            }
            var committing = clock.Elapsed;
            await tx.CommitAsync(ct);
            WarehouseLog.Committed(Logger, (clock.Elapsed - committing).TotalSeconds);
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await RollBackQuietlyAsync(tx);
            throw new LoadStepException(step, Target, failure, await DescribeQuietlyAsync(step, stepFiles, failure));
        }
        catch
        {
            await RollBackQuietlyAsync(tx);   // cancelled: reported as such, nothing committed
            throw;
        }
        // Committed: from here on nothing may pretend the load was rolled back (a late cancellation must not turn a
        // committed run into "failed, nothing committed"): a failure is a CommittedException, exit 4.
        var merged = clock.Elapsed - loaded;
        await CommittedException.AfterCommitAsync("a step after the commit failed",
            () => phase(LoadPhases.Committed, CancellationToken.None));
        var totals = await CommittedException.AfterCommitAsync("the row counts after the commit could not be read",
            () => CountRowsAsync(CancellationToken.None));
        return new LoadResult(changes, totals, staged, loaded, merged);
    }

    /// <summary>
    /// What the target adds about a failed step, or null: a description that fails itself (its lookup timed out, the
    /// connection is gone) must not replace the failure it was to describe.
    /// </summary>
    private async Task<string?> DescribeQuietlyAsync(string step, IReadOnlyList<string> files, Exception failure)
    {
        try
        {
            return await DescribeLoadFailureAsync(step, files, failure, CancellationToken.None);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or IOException or TimeoutException)
        {
            return null;
        }
    }

    /// <summary>
    /// Rolls back after a failure. A failure of the rollback itself (the connection is gone, the commit failed
    /// half-way) is ignored: the server discards an uncommitted transaction anyway, and the first error is the one
    /// worth reporting.
    /// </summary>
    private static async Task RollBackQuietlyAsync(DbTransaction tx)
    {
        try
        {
            await tx.RollbackAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
        }
    }

    public async Task<QueryResult> QueryAsync(string sql, CancellationToken ct) =>
        (await ReadAsync(sql, int.MaxValue, ct)).Rows;

    /// <summary>The rows of one statement, at most <paramref name="maxRows"/>; <c>More</c>: whether there were others.</summary>
    private async Task<(QueryResult Rows, bool More)> ReadAsync(string sql, int maxRows, CancellationToken ct)
    {
        await using var command = CreateCommand(sql, null);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(ct))
        {
            if (rows.Count == maxRows) return (new QueryResult(columns, rows), true);
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return (new QueryResult(columns, rows), false);
    }

    /// <summary>
    /// A user's own statement (<c>sparkify query --sql</c>), read-only by construction: one statement only
    /// (<see cref="UserSql.SingleStatement"/>), run inside <c>user_sql_begin</c> / <c>user_sql_end</c> (Postgres and
    /// Redshift: a READ ONLY transaction, rolled back; DuckDB: a file opened read-only, external access off). At most
    /// <paramref name="maxRows"/> rows are read; <c>More</c> says whether there were others. A statement the warehouse
    /// rejects, a write above all, is a configuration error (exit 2) saying why.
    /// </summary>
    public async Task<(QueryResult Rows, bool More)> QueryUserSqlAsync(string sql, int maxRows, CancellationToken ct)
    {
        var statement = UserSql.SingleStatement(sql);
        foreach (var s in SqlScripts.Split(Scripts.Get("user_sql_begin"))) await ExecuteAsync(s.Text, null, ct);
        try
        {
            return await ReadAsync(statement, maxRows, ct);
        }
        catch (DbException e)
        {
            throw UserSql.Failed(e);
        }
        finally
        {
            try
            {
                foreach (var s in SqlScripts.Split(Scripts.Get("user_sql_end"))) await ExecuteAsync(s.Text, null, CancellationToken.None);
            }
            catch (Exception e) when (e is DbException or InvalidOperationException)
            {
                // A broken session has no transaction left to end; the statement's own failure is the one to report.
            }
        }
    }

    public async Task<IReadOnlyDictionary<string, long>> CountRowsAsync(CancellationToken ct)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in StarTables.All)
        {
            var result = await QueryAsync(CountSql(table), ct);
            counts[table] = Convert.ToInt64(result.Rows[0][0], CultureInfo.InvariantCulture);
        }
        return counts;
    }

    public async Task<ReplacedRows> CountReplacedAsync(DateRange range, IReadOnlyCollection<string> eventFiles, CancellationToken ct)
    {
        var counts = new List<long>();
        foreach (var statement in SqlScripts.Split(CountReplacedSql(Scripts, range, eventFiles)))
            counts.Add(Convert.ToInt64((await QueryAsync(statement.Text, ct)).Rows[0][0], CultureInfo.InvariantCulture));
        return new ReplacedRows(counts[0], counts[1]);
    }

    /// <summary>
    /// The two counts of <see cref="CountReplacedAsync"/>: the range's bounds and the re-read files' keys filled in. A key
    /// that is not <see cref="SqlText.IsPlain"/> (a backslash or control character in an S3 key) is left out: the plays
    /// such a file gave on days outside the range are not counted (the load itself deletes them: it reads the keys from
    /// its staging table, not from SQL text).
    /// </summary>
    internal static string CountReplacedSql(SqlScripts scripts, DateRange range, IEnumerable<string> eventFiles) =>
        SqlText.Fill(scripts.Get("count_replaced"), new Dictionary<string, string>(MergeValues(DateTime.UtcNow, range))
        {
            ["files"] = SqlText.Literals(eventFiles.Where(SqlText.IsPlain)),
        });

    protected Task ExecuteScriptAsync(string name, DbTransaction? tx, IDictionary<string, long>? metrics, CancellationToken ct) =>
        ExecuteScriptAsync(name, tx, metrics, values: null, conditions: null, ct);

    protected Task ExecuteScriptAsync(
        string name, DbTransaction? tx, IDictionary<string, long>? metrics,
        IReadOnlyDictionary<string, string>? values, IReadOnlySet<string>? conditions, CancellationToken ct) =>
        ExecuteScriptTextAsync(name, Scripts.Get(name), tx, metrics, values, conditions, ct);

    /// <param name="name">The script's name, for the log and a failure's message.</param>
    /// <param name="script">Its text, its values already filled or filled per statement from <paramref name="values"/>.</param>
    private async Task ExecuteScriptTextAsync(
        string name, string script, DbTransaction? tx, IDictionary<string, long>? metrics,
        IReadOnlyDictionary<string, string>? values, IReadOnlySet<string>? conditions, CancellationToken ct)
    {
        foreach (var statement in SqlScripts.Split(script))
        {
            if (statement.When is { } when && conditions?.Contains(when) != true) continue;
            var sql = values is null ? statement.Text : SqlText.Fill(statement.Text, values);
            var started = Stopwatch.GetTimestamp();
            int affected;
            try
            {
                affected = await ExecuteAsync(sql, tx, ct);
            }
            catch (DbException e)
            {
                e.Data[SqlFailures.StatementKey] = FirstLine(sql);   // which statement of the script was refused
                throw;
            }
            if (Logger.IsEnabled(LogLevel.Debug))
                WarehouseLog.StatementDone(Logger, name, Stopwatch.GetElapsedTime(started).TotalSeconds, affected, FirstLine(sql));
            if (statement.Metric is { } metric && metrics is not null)
                metrics[metric] = (metrics.TryGetValue(metric, out var n) ? n : 0) + Math.Max(0, affected);
        }
    }

    private static string FirstLine(string sql)
    {
        var line = sql.AsSpan().Trim();
        var end = line.IndexOf('\n');
        return (end < 0 ? line : line[..end]).TrimEnd().ToString();
    }

    protected async Task<int> ExecuteAsync(string sql, DbTransaction? tx, CancellationToken ct)
    {
        await using var command = CreateCommand(sql, tx);
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// A command with no timeout, for load statements and reads alike: a read may meet a running load's lock (the
    /// ledger's, on Redshift ACCESS EXCLUSIVE: a second run's ledger read, `check`) and must wait for the load to end,
    /// however long it runs, instead of failing after Npgsql's default 30 s. Ctrl-C still cancels it.
    /// </summary>
    private DbCommand CreateCommand(string sql, DbTransaction? tx)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        command.CommandTimeout = 0;
        return command;
    }

    private static async Task<IReadOnlyList<ManifestEntry>> ReadManifestAsync(
        IStagingStore store, string manifestPath, CancellationToken ct)
    {
        var json = await StagingReads.ReadBytesAsync(store, manifestPath, ct)
            ?? throw new SparkifyException($"the COPY manifest {store.UrlOf(manifestPath)} is missing from the staging area");
        var manifest = CopyManifest.Parse(json);
        foreach (var entry in manifest.Entries)
        {
            var size = await store.SizeOfAsync(entry.Url, ct);
            if (size != entry.Meta.ContentLength)
                throw new SparkifyException(
                    $"staged file {entry.Url} has {size} bytes but its manifest says {entry.Meta.ContentLength}");
        }
        return manifest.Entries;
    }

    public virtual async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// A load that failed at <see cref="Step"/> ("clear_staging", "load_staging/&lt;table&gt;", "merge/60_songplays",
/// "commit") and was rolled back. The original failure is the inner exception; its exit code is kept.
/// </summary>
internal sealed class LoadStepException(string step, string target, Exception failure, string? detail)
    : SparkifyException(Describe(step, target, failure, detail),
        failure is SparkifyException s ? s.ExitCode : ExitCodes.RunFailed, failure)
{
    public string Step { get; } = step;

    /// <summary>"COPY of staging_events" or "merge step merge/60_songplays", for people.</summary>
    public static string StepName(string step) =>
        step.StartsWith("load_staging/", StringComparison.Ordinal) ? $"COPY of {step["load_staging/".Length..]}"
        : step.StartsWith("merge/", StringComparison.Ordinal) ? $"merge step {step}"
        : step;

    private static string Describe(string step, string target, Exception failure, string? detail)
    {
        var cause = detail ?? (failure is SparkifyException ? failure.Message : $"{failure.GetType().Name}: {Secrets.Mask(failure.Message)}");
        var text = $"the {target} load failed at {StepName(step)}: {cause}";
        return cause.Contains("nothing was committed", StringComparison.Ordinal) ? text : text + " (nothing was committed)";
    }
}
