using System.Data.Common;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Sparkify.Stream.Records;
using Sparkify.Stream.Staging;

namespace Sparkify.Stream.Warehouse;

/// <summary>A PostgreSQL warehouse (Npgsql): staging is streamed from the Parquet parts with binary COPY.</summary>
/// <remarks>
/// The session runs in UTC: TIMESTAMP columns hold UTC wall-clock values (the merge makes them from epoch milliseconds).
/// </remarks>
internal sealed class PostgresWarehouse : SqlWarehouse
{
    private readonly NpgsqlConnection _connection;

    private PostgresWarehouse(NpgsqlConnection connection, ILogger logger) : base(connection, new SqlScripts("postgres"), logger)
    {
        _connection = connection;
    }

    public override string Target => "postgres";

    /// <summary>
    /// Opens a session on the server an Npgsql connection string names. A malformed string, an unreachable server or
    /// refused credentials are a <see cref="ConfigurationException"/> (exit 2) whose one line shows the connection
    /// string with its password masked.
    /// </summary>
    public static Task<PostgresWarehouse> OpenAsync(string connectionString, CancellationToken ct) =>
        OpenAsync(connectionString, NullLogger.Instance, ct);

    /// <param name="logger">Where each statement's duration goes (debug level).</param>
    public static async Task<PostgresWarehouse> OpenAsync(string connectionString, ILogger logger, CancellationToken ct) =>
        new(await PostgresConnections.OpenAsync(connectionString, "Postgres", SessionSettings, errorDetail: false, ct), logger);

    /// <summary>
    /// The load session's memory: the merge builds its run tables as TEMP tables of up to a row per staged event
    /// and joins and groups them, and Postgres' defaults (temp_buffers 8 MB, work_mem 4 MB) spill all of that to
    /// disk. Session-only settings (no server change); a <c>-c work_mem=...</c> in the connection string's own
    /// Options wins over these.
    /// </summary>
    internal const string SessionSettings = "-c work_mem=256MB -c temp_buffers=256MB";

    protected override Task<long> LoadStagingTableAsync(string table, string manifestUrl,
        IReadOnlyList<ManifestEntry> entries, IStagingStore store, DbTransaction tx, CancellationToken ct) =>
        CopyPartsAsync(_connection, table, entries, store, ct);

    /// <summary>
    /// Streams the Parquet parts into <paramref name="table"/> (as the session resolves the name: a TEMP table of that
    /// name first) with one binary COPY, in the session's transaction; the rows copied. Also the tests' Redshift
    /// stand-in's loader.
    /// </summary>
    internal static async Task<long> CopyPartsAsync(NpgsqlConnection connection, string table,
        IReadOnlyList<ManifestEntry> entries, IStagingStore store, CancellationToken ct)
    {
        var copy = new ParquetBinaryCopy(StagingSchema.BySqlName(table));
        var raw = await connection.BeginRawBinaryCopyAsync(copy.Command, ct);
        // No timeout, as for the merge statements: a large part may keep the server busy for a while (0 is no
        // timeout for Npgsql's buffers, as the importer's Timeout = Zero was before).
        raw.WriteTimeout = 0;
        raw.ReadTimeout = 0;
        long rows = 0;
        try
        {
            var writer = new PgCopyWriter(raw);
            writer.Header();
            foreach (var entry in entries)
            {
                await using var stream = await StagingReads.OpenSeekableAsync(store, entry.Url, ct);
                rows += await copy.WritePartAsync(writer, stream, entry.Url, ct);
            }
            await writer.CompleteAsync(ct);
        }
        catch
        {
            await raw.CancelAsync();   // disposing would end the COPY and keep the rows sent so far
            await raw.DisposeAsync();
            throw;
        }
        await raw.DisposeAsync();      // ends the COPY: the server's errors (a bad row, say) surface here
        return rows;
    }
}
