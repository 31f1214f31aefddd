using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Tests.Semantics;

/// <summary>The star schema's semantics (docs/semantics.md#the-star-schema) on the embedded DuckDB warehouse.</summary>
public sealed class DuckDbStarSchemaTests : StarSchemaSemantics, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-duckdb-").FullName;
    private int _count;

    internal override async Task<IWarehouse> OpenEmptyWarehouseAsync() =>
        await DuckDbWarehouse.OpenAsync(Path.Combine(_dir, $"w{Interlocked.Increment(ref _count)}.duckdb"), CancellationToken.None);

    internal override string TypeOf(string expression) => $"typeof({expression})";

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
