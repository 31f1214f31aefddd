using Npgsql;
using Sparkify.Stream.IntegrationTests.Infrastructure;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.IntegrationTests.Postgres;

/// <summary>Empty Postgres warehouses for tests: each one a new schema in the test class's database.</summary>
internal static class PostgresWarehouses
{
    /// <summary>A connection string whose search path is a newly created, empty schema.</summary>
    public static async Task<string> NewSchemaAsync(PostgresFixture postgres)
    {
        var schema = $"w_{Guid.NewGuid():N}"[..18];
        await using (var connection = await postgres.OpenConnectionAsync())
        await using (var create = new NpgsqlCommand($"CREATE SCHEMA {SqlText.Identifier(schema)}", connection))
        {
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { SearchPath = schema }.ConnectionString;
    }

    /// <summary>A warehouse on a new, empty schema.</summary>
    public static async Task<PostgresWarehouse> OpenEmptyAsync(PostgresFixture postgres) =>
        await PostgresWarehouse.OpenAsync(await NewSchemaAsync(postgres), CancellationToken.None);

    /// <summary>Every row of a table (star, ledger or bookkeeping), sorted, as text.</summary>
    public static Task<List<string>> DumpAsync(IWarehouse warehouse, string table) =>
        Sparkify.Stream.Tests.Semantics.Tables.DumpAsync(warehouse, table);
}
