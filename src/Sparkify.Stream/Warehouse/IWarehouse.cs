using Sparkify.Stream.Sources;
using Sparkify.Stream.Staging;

namespace Sparkify.Stream.Warehouse;

/// <summary>A target warehouse: DuckDB (embedded, the default), Postgres or Redshift.</summary>
internal interface IWarehouse : IAsyncDisposable
{
    /// <summary>"duckdb", "postgres" or "redshift".</summary>
    string Target { get; }

    /// <summary>Creates the star schema, staging tables and ledger where missing; with drop, drops them first.</summary>
    Task CreateTablesAsync(bool drop, CancellationToken ct);

    /// <summary>The load ledger: source key → version of every file loaded so far.</summary>
    Task<IReadOnlyDictionary<string, string>> ReadLedgerAsync(CancellationToken ct);

    /// <summary>The load ledger file by file, in key order: the files <paramref name="filter"/> selects (`sparkify files`).</summary>
    Task<IReadOnlyList<LedgerFile>> ReadLedgerFilesAsync(LedgerFilter filter, CancellationToken ct);

    /// <summary>
    /// Removes these files from the ledger, and their schema-drift history, so the next run reads them again (`sparkify
    /// forget`): one transaction under the lock a load takes. The star rows stay. Returns how many files were forgotten.
    /// </summary>
    Task<long> ForgetAsync(IReadOnlyCollection<string> keys, CancellationToken ct);

    /// <summary>Whether the ledger table exists (nothing created: a stager may hold the warehouse read-only).</summary>
    Task<bool> HasLedgerAsync(CancellationToken ct);

    /// <summary>
    /// The schema-drift baseline: per (kind, contract field), the valid records of every loaded file and how many
    /// lacked the field or held null; empty when no history exists yet (nothing is created).
    /// </summary>
    Task<IReadOnlyList<FieldBaseline>> ReadFieldBaselineAsync(CancellationToken ct);

    /// <summary>Loads a run's staged manifests and merges them into the star schema, ledger included, in one transaction.</summary>
    Task<LoadResult> LoadAsync(LoadRequest request, CancellationToken ct);

    /// <summary>Runs a read-only query (named queries, checks).</summary>
    Task<QueryResult> QueryAsync(string sql, CancellationToken ct);

    /// <summary>Row counts of the five star tables.</summary>
    Task<IReadOnlyDictionary<string, long>> CountRowsAsync(CancellationToken ct);

    /// <summary>
    /// What backfill --replace of <paramref name="range"/> deletes when it re-reads <paramref name="eventFiles"/> (log
    /// file keys): the songplays of the range's days and those the files gave before (exact), and the time rows no
    /// other songplay uses (at most what it deletes: a re-read play may keep one).
    /// </summary>
    Task<ReplacedRows> CountReplacedAsync(DateRange range, IReadOnlyCollection<string> eventFiles, CancellationToken ct);

    /// <summary>Where the warehouse is, for people: host and port with the TLS mode, or the database file.</summary>
    string Endpoint { get; }

    /// <summary>
    /// `sparkify doctor`: tries what a load needs (creating the tables, a temporary table) in a transaction that is
    /// rolled back, so a missing privilege fails here, before a load, and nothing is left.
    /// </summary>
    Task CheckPrivilegesAsync(CancellationToken ct);

    SqlScripts Scripts { get; }
}

/// <summary>What to load: manifests (staging-relative paths) in the store they were written to.</summary>
/// <param name="Layers">Each layer is one COPY per staging table and the whole merge, in order, all in one
/// transaction. Packages that share no file go into one layer (their parts in one manifest per table: one run over
/// all their files); a file staged twice goes into a later layer, where the merge's winner rules see it again as
/// a re-read of a loaded file.</param>
/// <param name="ReplaceRange">backfill --replace: the songplays that came from the re-read log files (the range's
/// days) are replaced by what those files hold now.</param>
/// <param name="OnPhase">Awaited as each phase of the load starts, inside the transaction: "load_staging/&lt;table&gt;",
/// each merge step ("merge/60_songplays"), "commit" (just before the COMMIT is sent) and, once it succeeded, "committed"
/// (<see cref="LoadPhases"/>; progress logs, the test-only pause hook, and what Ctrl+C says: <see cref="Cli.RunInterruption"/>).</param>
/// <param name="RollBack">Run every step, then roll back instead of committing (`sparkify doctor`): the phases see the
/// transaction's rows, nothing stays.</param>
internal sealed record LoadRequest(
    string RunId, IStagingStore Store, IReadOnlyList<PackageManifests> Layers,
    DateRange? ReplaceRange = null, Func<string, CancellationToken, Task>? OnPhase = null, bool RollBack = false)
{
    /// <summary>One run's own three manifests.</summary>
    public LoadRequest(string runId, IStagingStore store, string eventsManifest, string songsManifest, string filesManifest,
        DateRange? replaceRange = null, Func<string, CancellationToken, Task>? onPhase = null, bool rollBack = false)
        : this(runId, store, [new PackageManifests(eventsManifest, songsManifest, filesManifest)], replaceRange, onPhase, rollBack)
    {
    }
}

/// <summary>The load's own phases around its COMMIT, as <see cref="LoadRequest.OnPhase"/> reports them.</summary>
internal static class LoadPhases
{
    /// <summary>Inside the transaction, every step done, just before COMMIT is sent.</summary>
    public const string Commit = "commit";

    /// <summary>
    /// The COMMIT succeeded: the load is in the warehouse. Whatever fails from here on is reported as
    /// <see cref="CommittedException"/> (exit 4), never as "nothing was committed".
    /// </summary>
    public const string Committed = "committed";
}

/// <summary>Rows changed per "table.inserted|updated|deleted", totals after the run, and stage timings.</summary>
internal sealed record LoadResult(
    IReadOnlyDictionary<string, long> Changes, IReadOnlyDictionary<string, long> Totals,
    IReadOnlyDictionary<string, long> StagedRows, TimeSpan LoadStaging, TimeSpan Merge);

/// <summary>What backfill --replace deletes: <see cref="Songplays"/> exactly, <see cref="Time"/> at most.</summary>
internal sealed record ReplacedRows(long Songplays, long Time);

/// <summary>One contract field's history: <paramref name="Absent"/> of <paramref name="Records"/> valid records lacked it or held null.</summary>
internal sealed record FieldBaseline(string Kind, string Field, long Records, long Absent);

/// <summary>A query's result set.</summary>
internal sealed record QueryResult(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows);

/// <summary>The five tables of the star schema, in report order.</summary>
internal static class StarTables
{
    public static readonly IReadOnlyList<string> All = ["songplays", "users", "songs", "artists", "time"];
}
