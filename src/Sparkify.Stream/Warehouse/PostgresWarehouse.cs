using System.Data.Common;
using System.Net.Sockets;
using System.Security.Authentication;
using Npgsql;
using Parquet.Schema;
using Sparkify.Stream.Configuration;
using Sparkify.Stream.Staging;

namespace Sparkify.Stream.Warehouse;

/// <summary>A PostgreSQL warehouse (Npgsql): staging is streamed from the Parquet parts with binary COPY.</summary>
/// <remarks>
/// The session runs in UTC: TIMESTAMP columns hold UTC wall-clock values, exactly as the Parquet instants say.
/// </remarks>
internal sealed class PostgresWarehouse : SqlWarehouse
{
    private static readonly IReadOnlyDictionary<string, ParquetSchema> Schemas = new Dictionary<string, ParquetSchema>
    {
        ["staging_events"] = StagingTables.EventSchema,
        ["staging_songs"] = StagingTables.SongSchema,
        ["staging_files"] = StagingTables.FileSchema,
    };

    private readonly NpgsqlConnection _connection;

    private PostgresWarehouse(NpgsqlConnection connection) : base(connection, new SqlScripts("postgres"))
    {
        _connection = connection;
    }

    public override string Target => "postgres";

    /// <summary>
    /// Opens a session on the server an Npgsql connection string names. A malformed string, an unreachable server or
    /// refused credentials are a <see cref="ConfigurationException"/> (exit 2) whose one line shows the connection
    /// string with its password masked.
    /// </summary>
    public static async Task<PostgresWarehouse> OpenAsync(string connectionString, CancellationToken ct) =>
        new(await PostgresConnections.OpenAsync(connectionString, "Postgres", ct));

    protected override async Task<long> LoadStagingTableAsync(string table, string manifestUrl,
        IReadOnlyList<ManifestEntry> entries, IStagingStore store, DbTransaction tx, CancellationToken ct)
    {
        var copy = new ParquetBinaryCopy(table, Schemas[table]);
        await using var importer = await _connection.BeginBinaryImportAsync(copy.Command, ct);
        // No timeout, as for the merge statements: a large part may keep the server busy for a while.
        importer.Timeout = TimeSpan.Zero;
        foreach (var entry in entries)
        {
            await using var stream = await StagingReads.OpenSeekableAsync(store, entry.Url, ct);
            await copy.WritePartAsync(importer, stream, entry.Url, ct);
        }
        return checked((long)await importer.CompleteAsync(ct));
    }
}
