namespace Sparkify.Stream.Staging;

/// <summary>
/// The load packages of a staging area (local folder or S3), read and written through its <see cref="IStagingStore"/>.
/// </summary>
/// <remarks>
/// Atomic on both stores: package.json and state.json are each one small object, replaced whole (locally written
/// beside and renamed over, on S3 one PUT, which S3 applies whole and reads back strongly consistent). package.json
/// is written last of a package's files and never again; a package without state.json is <c>staged</c>.
/// </remarks>
internal sealed class PackageStore(IStagingStore store)
{
    public const string PackageFile = "package.json";
    public const string StateFile = "state.json";

    public IStagingStore Store => store;

    /// <summary>Commits a staged run as a package: package.json, then its first state (read back).</summary>
    public async Task<StoredPackage> StageAsync(LoadPackage package, CancellationToken ct)
    {
        await store.PutBytesAsync(PathOf(package.RunId, PackageFile), package.ToJson(), ct);
        var status = await SetStateAsync(package.RunId, PackageState.Staged, byRun: package.RunId, error: null, ct);
        return new StoredPackage(package, status);
    }

    /// <summary>The package of <paramref name="runId"/>, or null when that folder holds none (not staged, or gone).</summary>
    public async Task<StoredPackage?> ReadAsync(string runId, CancellationToken ct)
    {
        var path = PathOf(runId, PackageFile);
        if (await StagingReads.ReadBytesAsync(store, path, ct) is not { } json) return null;
        var package = LoadPackage.Parse(json, store.UrlOf(path));
        var statePath = PathOf(runId, StateFile);
        var status = await StagingReads.ReadBytesAsync(store, statePath, ct) is { } state
            ? PackageStatus.Parse(state, store.UrlOf(statePath))
            : new PackageStatus(PackageState.Staged, package.CreatedAt);
        return new StoredPackage(package, status);
    }

    /// <summary>Every package of the staging area, oldest first (run ids begin with their UTC start time).</summary>
    public async Task<List<StoredPackage>> ListAsync(CancellationToken ct)
    {
        var runs = new List<string>();
        await foreach (var run in store.ListRunsAsync(ct)) runs.Add(run);
        runs.Sort(StringComparer.Ordinal);
        var packages = new List<StoredPackage>();
        foreach (var run in runs)
            if (await ReadAsync(run, ct) is { } package) packages.Add(package);
        return packages;
    }

    /// <summary>Replaces the package's state.json and reads it back.</summary>
    /// <param name="byRun">The run (or load) that made the change.</param>
    /// <param name="error">Why a load failed (already masked of secrets), for <c>failed</c>.</param>
    public async Task<PackageStatus> SetStateAsync(
        string runId, PackageState state, string? byRun, string? error, CancellationToken ct)
    {
        var status = new PackageStatus(state, DateTimeOffset.UtcNow, byRun, error);
        var path = PathOf(runId, StateFile);
        var json = status.ToJson();
        await store.PutBytesAsync(path, json, ct);
        var back = await StagingReads.ReadBytesAsync(store, path, ct);
        if (back is null || !back.AsSpan().SequenceEqual(json))
        {
            throw new SparkifyException(
                $"the state of package {runId} changed under this process ({store.UrlOf(path)}): is another loader running?");
        }
        return status;
    }

    private static string PathOf(string runId, string file) => $"{RunPaths.Prefix(runId)}/{file}";
}
