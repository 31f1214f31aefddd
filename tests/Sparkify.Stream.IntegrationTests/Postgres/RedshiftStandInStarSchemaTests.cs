using Sparkify.Stream.IntegrationTests.Infrastructure;
using Sparkify.Stream.Tests.Semantics;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.IntegrationTests.Postgres;

/// <summary>
/// The star-schema semantics, order-independence and backfill cases — the very cases DuckDB and Postgres run — on the
/// Redshift statement sequence executed on Postgres (<see cref="RedshiftStandIn"/>), each on a fresh schema.
/// </summary>
public sealed class RedshiftStandInStarSchemaTests(PostgresFixture postgres) : StarSchemaSemantics, IClassFixture<PostgresFixture>
{
    internal override async Task<IWarehouse> OpenEmptyWarehouseAsync() =>
        await RedshiftStandIn.OpenAsync(await PostgresWarehouses.NewSchemaAsync(postgres));

    internal override string TypeOf(string expression) => $"pg_typeof({expression})::text";
}
