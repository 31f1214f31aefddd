using System.Data.Common;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Sparkify.Stream.Staging;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.IntegrationTests.Postgres;

/// <summary>
/// The Redshift target's statement sequence executed on Postgres: the Redshift dialect's own scripts, expanded by the
/// real <see cref="SqlScripts"/> (the load's <c>LOCK</c> first — on Postgres a bare LOCK is ACCESS EXCLUSIVE, as on
/// Redshift —, TEMP staging tables <c>(LIKE …)</c> shadowing the permanent ones, the spelled-out
/// <c>{{distinct}}</c>, run_events as a TEMP TABLE, the Redshift cleanup), run by the real
/// <see cref="SqlWarehouse"/> load at SERIALIZABLE, as <see cref="RedshiftWarehouse"/> asks for it. Only what Postgres
/// cannot parse is rewritten (<see cref="ForPostgres"/>), and staging is filled by the Postgres loader (binary COPY
/// from the same Parquet parts) instead of Redshift's COPY from S3.
/// </summary>
internal sealed partial class RedshiftStandIn : SqlWarehouse
{
    private readonly NpgsqlConnection _connection;

    private RedshiftStandIn(NpgsqlConnection connection)
        : base(connection, new SqlScripts("redshift", ForPostgres), NullLogger.Instance)
    {
        _connection = connection;
        Isolation = System.Data.IsolationLevel.Serializable;
    }

    public override string Target => "redshift";

    public static async Task<RedshiftStandIn> OpenAsync(string connectionString) =>
        new(await PostgresConnections.OpenAsync(connectionString, "Postgres", null, errorDetail: true, CancellationToken.None));

    protected override Task<long> LoadStagingTableAsync(string table, string manifestUrl,
        IReadOnlyList<ManifestEntry> entries, IStagingStore store, DbTransaction tx, CancellationToken ct) =>
        PostgresWarehouse.CopyPartsAsync(_connection, table, entries, store, ct);

    /// <summary>
    /// A Redshift script as Postgres can run it: the DISTKEY/SORTKEY/DISTSTYLE/ENCODE clauses dropped (they choose
    /// where rows live, not what they hold) and each <c>DATEADD(part, n, ts)</c> written as <c>(ts + (n) * INTERVAL
    /// '1 part')</c>. Nothing else changes.
    /// </summary>
    internal static string ForPostgres(string sql) => DateAdd(Placement().Replace(sql, ""));

    private static string DateAdd(string sql)
    {
        var at = sql.IndexOf("DATEADD(", StringComparison.Ordinal);
        if (at < 0) return sql;
        var arguments = new List<string>();
        var (depth, start, end) = (0, at + "DATEADD(".Length, at + "DATEADD(".Length);
        for (; depth >= 0; end++)
        {
            switch (sql[end])
            {
                case '(':
                    depth++;
                    break;
                case ')' when depth == 0:
                    arguments.Add(sql[start..end]);
                    depth = -1;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    arguments.Add(sql[start..end]);
                    start = end + 1;
                    break;
            }
        }
        var unit = arguments[0].Trim() switch
        {
            "ms" => "millisecond",
            "minute" => "minute",
            var part => throw new NotSupportedException($"DATEADD date part '{part}' has no rewrite for the stand-in"),
        };
        var text = new StringBuilder(sql[..at])
            .Append($"({DateAdd(arguments[2].Trim())} + ({DateAdd(arguments[1].Trim())}) * INTERVAL '1 {unit}')");
        return text.Append(DateAdd(sql[end..])).ToString();
    }

    [GeneratedRegex(@"\s*\b(?:(?:DISTKEY|SORTKEY)\s*\([^)]*\)|DISTSTYLE\s+(?:ALL|EVEN|KEY|AUTO)|ENCODE\s+[A-Za-z0-9_]+)")]
    private static partial Regex Placement();
}
