using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Tests.Runs;

/// <summary>Process-level behaviour of runs (docs/semantics.md#runs) on the embedded DuckDB warehouse (a file per target).</summary>
public sealed class DuckDbRunProcessTests : RunProcessSemantics, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-duckdb-cli-").FullName;
    private int _count;

    internal override Task<TargetUnderTest> NewTargetAsync()
    {
        var path = Path.Combine(_dir, $"w{Interlocked.Increment(ref _count)}.duckdb");
        return Task.FromResult(new TargetUnderTest(["--target", "duckdb", "--connection", path],
            new Dictionary<string, string?>(),
            async () => await DuckDbWarehouse.OpenAsync(path, CancellationToken.None)));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
