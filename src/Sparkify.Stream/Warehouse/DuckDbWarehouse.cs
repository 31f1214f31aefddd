using System.Data.Common;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sparkify.Stream.Records;
using Sparkify.Stream.Staging;

namespace Sparkify.Stream.Warehouse;

/// <summary>The embedded DuckDB warehouse: the zero-setup default (<c>.sparkify/warehouse.duckdb</c>).</summary>
/// <remarks>
/// Staging is loaded with read_parquet over the manifest's parts. S3 staging is read through the staging store
/// (downloaded to a temporary folder): DuckDB's httpfs extension cannot be installed offline.
/// </remarks>
internal sealed partial class DuckDbWarehouse : SqlWarehouse
{
    private static readonly IReadOnlyDictionary<string, string> Columns = StagingSchema.All.ToDictionary(
        t => t.SqlName, t => string.Join(", ", t.Columns.Select(c => c.Name)));

    /// <summary>
    /// What is read from each table's Parquet parts, in column order: a column that an older release staged under
    /// another name is read under either (DuckDB's COLUMNS expression takes whichever the parts have).
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> ParquetColumns = StagingSchema.All.ToDictionary(
        t => t.SqlName, t => string.Join(", ", t.Columns.Select(c => c.FormerName is { } former
            ? $"COLUMNS('^({c.Name}|{former})$')"
            : c.Name)));

    private DuckDbWarehouse(DuckDBConnection connection, ILogger logger) : base(connection, new SqlScripts("duckdb"), logger)
    {
    }

    /// <summary>
    /// The default memory_limit: 667 MiB (700 MB), or a quarter of the memory this process may use (the GC's view: the
    /// machine's, or its container's limit) where that is less, at least 128 MiB. Chosen by measurement so that the
    /// whole process stays under 1.5 GB of RSS at 10 M events (docs/performance.md, DuckDB memory): at 700 MB, 10 M
    /// events loaded in 84 s at 1,345 MiB peak RSS (1 GB: 79 s at 1,807 MiB), 3 M in 25.5 s at 1,161 MiB, 1 M at
    /// ~1,000 MiB and as fast as without a limit. More memory is faster from ~3 M events in one run (3 M: 19.0 s at
    /// 2,603 MiB with 6 GiB): set [WAREHOUSE] MEMORY_LIMIT for that. DuckDB's own default, 80 % of RAM, would let
    /// it take the machine.
    /// </summary>
    public static string DefaultMemoryLimit => DefaultMemoryLimitFor(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);

    /// <summary>667 MiB, or a quarter of <paramref name="availableBytes"/> where that is less, at least 128 MiB.</summary>
    internal static string DefaultMemoryLimitFor(long availableBytes) =>
        $"{Math.Clamp(availableBytes / 4 / 1_048_576, 128, 667)}MiB";

    public override string Target => "duckdb";

    /// <summary>A DuckDB memory size (<c>[WAREHOUSE] MEMORY_LIMIT</c>): a number and a unit (KB, MB, GB, TB or KiB, MiB, GiB, TiB).</summary>
    public static string? MemoryLimitOf(string? text)
    {
        if (text is null) return null;
        var trimmed = text.Trim();
        if (!MemorySize().IsMatch(trimmed))
        {
            throw new ConfigurationException(
                $"[WAREHOUSE] MEMORY_LIMIT must be a size such as 1GB or 512MiB, not '{text}'");
        }
        return trimmed;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[0-9]{1,6}(\.[0-9]{1,3})?\s?([KMGT]i?B)$", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex MemorySize();

    public string? Path { get; private init; }

    public override string Endpoint => Path ?? Connection.DataSource;

    public static Task<DuckDbWarehouse> OpenAsync(string path, CancellationToken ct) => OpenAsync(path, memoryLimit: null, ct);

    public static Task<DuckDbWarehouse> OpenAsync(string path, string? memoryLimit, CancellationToken ct) =>
        OpenAsync(path, NullLogger.Instance, memoryLimit, lockWait: default, ct);

    public static Task<DuckDbWarehouse> OpenAsync(string path, ILogger logger, CancellationToken ct) =>
        OpenAsync(path, logger, memoryLimit: null, lockWait: default, ct);

    /// <summary>
    /// The warehouse opened read-only, for a stager reading the ledger: DuckDB lets any number of processes read a
    /// file no process writes. Null when the file does not exist yet (nothing loaded).
    /// </summary>
    /// <param name="lockWait">How long to wait while another process holds the file (see <see cref="OpenAsync(string, ILogger, string?, TimeSpan, CancellationToken)"/>).</param>
    public static async Task<DuckDbWarehouse?> OpenReadOnlyAsync(string path, ILogger logger, TimeSpan lockWait,
        CancellationToken ct)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full)) return null;
        return await OpenAsync(full, logger, null, readOnly: true, lockWait, ct);
    }

    /// <param name="logger">Where each statement's duration goes (debug level), and the one warning that the file is
    /// held by another process and this one waits for it.</param>
    /// <param name="memoryLimit">DuckDB's memory_limit (a size such as 1GB, checked by <see cref="MemoryLimitOf"/>);
    /// null for <see cref="DefaultMemoryLimit"/>. Beyond it the merge spills to <c>&lt;file&gt;.tmp/</c>.</param>
    /// <param name="lockWait">DuckDB lets one process write a file (and none read it meanwhile): while another process
    /// holds it (a watcher's pass, a run, a query), wait up to this long for it, then fail; zero fails at once.</param>
    public static async Task<DuckDbWarehouse> OpenAsync(string path, ILogger logger, string? memoryLimit,
        TimeSpan lockWait, CancellationToken ct)
        => await OpenAsync(path, logger, memoryLimit, readOnly: false, lockWait, ct);

    private static async Task<DuckDbWarehouse> OpenAsync(string path, ILogger logger, string? memoryLimit,
        bool readOnly, TimeSpan lockWait, CancellationToken ct)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var connection = await OpenConnectionAsync($"Data Source={full}" + (readOnly ? ";ACCESS_MODE=READ_ONLY" : ""),
            full, readOnly, lockWait, logger, ct);
        var warehouse = new DuckDbWarehouse(connection, logger) { Path = full };
        // Timestamps are UTC wall-clock values (the merge makes them from epoch milliseconds; no time zone is involved).
        await warehouse.ExecuteAsync("SET TimeZone = 'UTC'", null, ct);
        // No statement relies on insertion order (queries say ORDER BY); keeping it costs time and memory.
        await warehouse.ExecuteAsync("SET preserve_insertion_order = false", null, ct);
        // Bounded memory: DuckDB's default is 80 % of the machine's RAM, and it keeps what it was given. With no key
        // index to hold (SqlScripts' {{key}}), joins and aggregates spill to the temp folder instead.
        if (readOnly) return warehouse;   // reads the ledger only: no merge to bound or spill
        var limit = MemoryLimitOf(memoryLimit ?? DefaultMemoryLimit)!;
        await warehouse.ExecuteAsync($"SET memory_limit = {SqlText.Literal(limit)}", null, ct);
        await warehouse.ExecuteAsync($"SET temp_directory = {SqlText.Literal(full + ".tmp")}", null, ct);
        return warehouse;
    }

    /// <summary>
    /// Opens the file, waiting while another process holds its lock: polled every 200 ms up to
    /// <paramref name="lockWait"/>, saying so once (a warning) when it has to wait.
    /// </summary>
    private static async Task<DuckDBConnection> OpenConnectionAsync(string connectionString, string full, bool readOnly,
        TimeSpan lockWait, ILogger logger, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var said = false;
        while (true)
        {
            var connection = new DuckDBConnection(connectionString);
            try
            {
                await connection.OpenAsync(ct);
                return connection;
            }
            catch (DuckDBException ex) when (ex.Message.Contains("lock", StringComparison.OrdinalIgnoreCase))
            {
                await connection.DisposeAsync();
                // A wait is said before it starts, and the bound is checked from then on (the first attempt may
                // itself take a while on a busy machine).
                if (lockWait <= TimeSpan.Zero || said && clock.Elapsed >= lockWait)
                {
                    var waited = lockWait > TimeSpan.Zero ? $"; waited {lockWait.TotalSeconds:0}s, [WAREHOUSE] LOCK_WAIT_SECONDS" : "";
                    throw new SparkifyException($"the DuckDB warehouse {full} is in use by another process (one writer at a time" +
                        waited + (readOnly ? "; a stager that must not wait for it can stage with --no-ledger)" : ")"), inner: ex);
                }
                if (!said)
                {
                    WarehouseLog.WaitingForLock(logger, full, lockWait.TotalSeconds);
                    said = true;
                    clock.Restart();
                }
                await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>An out-of-memory failure names the setting that bounds DuckDB's memory, with the limit in force.</summary>
    protected override async Task<string?> DescribeLoadFailureAsync(
        string step, IReadOnlyList<string> files, Exception failure, CancellationToken ct)
    {
        if (!failure.Message.Contains("Out of Memory Error", StringComparison.Ordinal)) return null;
        string? limit = null;
        try
        {
            limit = (await QueryAsync("SELECT current_setting('memory_limit')", ct)).Rows[0][0]?.ToString();
        }
        catch (DbException)
        {
        }
        var firstLine = failure.Message.Split('\n', 2)[0].Trim();
        return $"{failure.GetType().Name}: {firstLine} — DuckDB's memory_limit ({limit ?? "as set"}) is too small for this load: " +
               "raise [WAREHOUSE] MEMORY_LIMIT (SPARKIFY_WAREHOUSE__MEMORY_LIMIT), e.g. 4GB, or load the input in parts " +
               "(sparkify backfill --from/--to)";
    }

    protected override async Task<long> LoadStagingTableAsync(string table, string manifestUrl,
        IReadOnlyList<ManifestEntry> entries, IStagingStore store, DbTransaction tx, CancellationToken ct)
    {
        string? download = null;
        try
        {
            var paths = new List<string>();
            foreach (var entry in entries)
            {
                if (store.LocalPathOf(entry.Url) is { } inPlace) { paths.Add(inPlace); continue; }
                download ??= Directory.CreateTempSubdirectory("sparkify-duckdb-").FullName;
                var local = System.IO.Path.Combine(download, $"{paths.Count:D5}.parquet");
                await StagingReads.DownloadAsync(store, entry.Url, local, ct);
                paths.Add(local);
            }
            var list = "[" + string.Join(", ", paths.Select(SqlText.Literal)) + "]";
            var sql = $"INSERT INTO {SqlText.Identifier(table)} ({Columns[table]}) " +
                      $"SELECT {ParquetColumns[table]} FROM read_parquet({list})";
            return await ExecuteAsync(sql, tx, ct);
        }
        finally
        {
            if (download is not null) Directory.Delete(download, recursive: true);
        }
    }
}
