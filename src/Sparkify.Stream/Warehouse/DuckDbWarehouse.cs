using System.Data.Common;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sparkify.Stream.Staging;

namespace Sparkify.Stream.Warehouse;

/// <summary>The embedded DuckDB warehouse: the zero-setup default (<c>.sparkify/warehouse.duckdb</c>).</summary>
/// <remarks>
/// Staging is loaded with read_parquet over the manifest's parts. S3 staging is read through the staging store
/// (downloaded to a temporary folder): DuckDB's httpfs extension cannot be installed offline.
/// </remarks>
internal sealed class DuckDbWarehouse : SqlWarehouse
{
    private static readonly IReadOnlyDictionary<string, string> Columns = new Dictionary<string, string>
    {
        ["staging_events"] = string.Join(", ", StagingTables.EventSchema.DataFields.Select(f => f.Name)),
        ["staging_songs"] = string.Join(", ", StagingTables.SongSchema.DataFields.Select(f => f.Name)),
        ["staging_files"] = string.Join(", ", StagingTables.FileSchema.DataFields.Select(f => f.Name)),
    };

    private DuckDbWarehouse(DuckDBConnection connection, ILogger logger) : base(connection, new SqlScripts("duckdb"), logger)
    {
    }

    public override string Target => "duckdb";

    public string? Path { get; private init; }

    public override string Endpoint => Path ?? Connection.DataSource;

    public static Task<DuckDbWarehouse> OpenAsync(string path, CancellationToken ct) =>
        OpenAsync(path, NullLogger.Instance, ct);

    /// <param name="logger">Where each statement's duration goes (debug level).</param>
    public static async Task<DuckDbWarehouse> OpenAsync(string path, ILogger logger, CancellationToken ct)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var connection = new DuckDBConnection($"Data Source={full}");
        try
        {
            await connection.OpenAsync(ct);
        }
        catch (DuckDBException ex) when (ex.Message.Contains("lock", StringComparison.OrdinalIgnoreCase))
        {
            await connection.DisposeAsync();
            throw new SparkifyException($"the DuckDB warehouse {full} is in use by another process (one run at a time)", inner: ex);
        }
        var warehouse = new DuckDbWarehouse(connection, logger) { Path = full };
        // Timestamps are UTC wall-clock values (the merge makes them from epoch milliseconds; no time zone is involved).
        await warehouse.ExecuteAsync("SET TimeZone = 'UTC'", null, ct);
        // No statement relies on insertion order (queries say ORDER BY); keeping it costs time and memory.
        await warehouse.ExecuteAsync("SET preserve_insertion_order = false", null, ct);
        return warehouse;
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
                      $"SELECT {Columns[table]} FROM read_parquet({list})";
            return await ExecuteAsync(sql, tx, ct);
        }
        finally
        {
            if (download is not null) Directory.Delete(download, recursive: true);
        }
    }
}
