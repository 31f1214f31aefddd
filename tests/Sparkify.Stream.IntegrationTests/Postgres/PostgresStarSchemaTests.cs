using Sparkify.Stream.IntegrationTests.Infrastructure;
using Sparkify.Stream.Tests.Semantics;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.IntegrationTests.Postgres;

/// <summary>The star schema's semantics (docs/semantics.md#the-star-schema) on PostgreSQL: the very cases the DuckDB unit tests run, each on a fresh schema.</summary>
public sealed class PostgresStarSchemaTests(PostgresFixture postgres) : StarSchemaSemantics, IClassFixture<PostgresFixture>
{
    internal override async Task<IWarehouse> OpenEmptyWarehouseAsync() => await PostgresWarehouses.OpenEmptyAsync(postgres);

    internal override string TypeOf(string expression) => $"pg_typeof({expression})::text";
}
