using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Warehouse;

/// <summary>
/// A warehouse held open only while it is used: every call opens it, does its work and closes it again. Watch mode's
/// passes use DuckDB this way, so between passes (and while a pass reads its sources and stages) the file is free for
/// `sparkify query`, `check` or another process; the pass meeting such a user waits for it (see
/// <see cref="DuckDbWarehouse.OpenAsync(string, Microsoft.Extensions.Logging.ILogger, CancellationToken, string?, TimeSpan)"/>).
/// A load is still one transaction on one connection.
/// </summary>
internal sealed class OnDemandWarehouse : IWarehouse
{
    private readonly Func<CancellationToken, Task<IWarehouse>> _open;

    private OnDemandWarehouse(Func<CancellationToken, Task<IWarehouse>> open, IWarehouse first)
    {
        _open = open;
        (Target, Endpoint, Scripts) = (first.Target, first.Endpoint, first.Scripts);
    }

    /// <summary>Opens the warehouse once (a bad path or connection fails here, at start-up), closes it, and returns
    /// the warehouse that opens it for each call.</summary>
    public static async Task<OnDemandWarehouse> OpenAsync(Func<CancellationToken, Task<IWarehouse>> open, CancellationToken ct)
    {
        await using var first = await open(ct);
        return new OnDemandWarehouse(open, first);
    }

    public string Target { get; }

    public string Endpoint { get; }

    public SqlScripts Scripts { get; }

    /// <summary>Opens the warehouse, runs <paramref name="use"/> on it, and closes it (also when it fails).</summary>
    private async Task<T> UseAsync<T>(Func<IWarehouse, Task<T>> use, CancellationToken ct)
    {
        await using var warehouse = await _open(ct);
        return await use(warehouse);
    }

    private Task UseAsync(Func<IWarehouse, Task> use, CancellationToken ct) =>
        UseAsync(async w =>
        {
            await use(w);
            return true;
        }, ct);

    public Task CreateTablesAsync(bool drop, CancellationToken ct) => UseAsync(w => w.CreateTablesAsync(drop, ct), ct);

    public Task<IReadOnlyDictionary<string, string>> ReadLedgerAsync(CancellationToken ct) => UseAsync(w => w.ReadLedgerAsync(ct), ct);

    public Task<IReadOnlyList<LedgerFile>> ReadLedgerFilesAsync(LedgerFilter filter, CancellationToken ct) =>
        UseAsync(w => w.ReadLedgerFilesAsync(filter, ct), ct);

    public Task<long> ForgetAsync(IReadOnlyCollection<string> keys, CancellationToken ct) => UseAsync(w => w.ForgetAsync(keys, ct), ct);

    public Task<bool> HasLedgerAsync(CancellationToken ct) => UseAsync(w => w.HasLedgerAsync(ct), ct);

    public Task<IReadOnlyList<FieldBaseline>> ReadFieldBaselineAsync(CancellationToken ct) =>
        UseAsync(w => w.ReadFieldBaselineAsync(ct), ct);

    public Task<LoadResult> LoadAsync(LoadRequest request, CancellationToken ct) => UseAsync(w => w.LoadAsync(request, ct), ct);

    public Task<QueryResult> QueryAsync(string sql, CancellationToken ct) => UseAsync(w => w.QueryAsync(sql, ct), ct);

    public Task<IReadOnlyDictionary<string, long>> CountRowsAsync(CancellationToken ct) => UseAsync(w => w.CountRowsAsync(ct), ct);

    public Task<ReplacedRows> CountReplacedAsync(DateRange range, IReadOnlyCollection<string> eventFiles, CancellationToken ct) =>
        UseAsync(w => w.CountReplacedAsync(range, eventFiles, ct), ct);

    public Task CheckPrivilegesAsync(CancellationToken ct) => UseAsync(w => w.CheckPrivilegesAsync(ct), ct);

    /// <summary>Nothing is held between calls.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
