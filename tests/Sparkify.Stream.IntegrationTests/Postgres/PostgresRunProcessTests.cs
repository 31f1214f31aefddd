using Sparkify.Stream.IntegrationTests.Infrastructure;
using Sparkify.Stream.Tests.Runs;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.IntegrationTests.Postgres;

/// <summary>Process-level behaviour of runs (docs/semantics.md#runs) (watch, signals, backfill CLI, kill -9) on PostgreSQL, each on a fresh schema.</summary>
public sealed class PostgresRunProcessTests(PostgresFixture postgres) : RunProcessSemantics, IClassFixture<PostgresFixture>
{
    internal override async Task<TargetUnderTest> NewTargetAsync()
    {
        var connection = await PostgresWarehouses.NewSchemaAsync(postgres);
        return new TargetUnderTest(["--target", "postgres"],
            new Dictionary<string, string?> { ["SPARKIFY_WAREHOUSE__CONNECTION"] = connection },
            async () => await PostgresWarehouse.OpenAsync(connection, CancellationToken.None));
    }
}
