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
        var (status, package) = await StatusOfAsync(runId, ct);
        if (status is null) return null;
        package ??= await ReadPackageAsync(runId, ct);
        return package is null ? null : new StoredPackage(package, status);
    }

    /// <summary>
    /// The state of the package of <paramref name="runId"/>, or null when that folder holds none: state.json alone
    /// (a few hundred bytes), not package.json (megabytes for a run of many song files).
    /// </summary>
    public async Task<PackageStatus?> ReadStatusAsync(string runId, CancellationToken ct) => (await StatusOfAsync(runId, ct)).Status;

    /// <summary>Every package of the staging area, oldest first (run ids begin with their UTC start time).</summary>
    public Task<List<StoredPackage>> ListAsync(CancellationToken ct) => ListAsync(pendingOnly: false, ct);

    /// <summary>Every package of the staging area, oldest first (run ids begin with their UTC start time).</summary>
    /// <param name="pendingOnly">Only staged, loading and failed ones: package.json is read for those alone.</param>
    public async Task<List<StoredPackage>> ListAsync(bool pendingOnly, CancellationToken ct)
    {
        var runs = new List<string>();
        await foreach (var run in store.ListRunsAsync(ct)) runs.Add(run);
        runs.Sort(StringComparer.Ordinal);
        var packages = new List<StoredPackage>();
        foreach (var run in runs)
        {
            var (status, package) = await StatusOfAsync(run, ct);
            if (status is null || (pendingOnly && !status.State.IsPending())) continue;
            if ((package ?? await ReadPackageAsync(run, ct)) is { } read) packages.Add(new StoredPackage(read, status));
        }
        return packages;
    }

    /// <summary>
    /// The state from state.json; without one, <c>staged</c> when package.json is there (state.json follows it at once:
    /// the stager stopped in between), with the package it had to read.
    /// </summary>
    private async Task<(PackageStatus? Status, LoadPackage? Package)> StatusOfAsync(string runId, CancellationToken ct)
    {
        var statePath = PathOf(runId, StateFile);
        if (await StagingReads.ReadBytesAsync(store, statePath, ct) is { } state)
            return (PackageStatus.Parse(state, store.UrlOf(statePath)), null);
        return await ReadPackageAsync(runId, ct) is { } package
            ? (new PackageStatus(PackageState.Staged, package.CreatedAt), package)
            : (null, null);
    }

    private async Task<LoadPackage?> ReadPackageAsync(string runId, CancellationToken ct)
    {
        var path = PathOf(runId, PackageFile);
        return await StagingReads.ReadBytesAsync(store, path, ct) is { } json ? LoadPackage.Parse(json, store.UrlOf(path)) : null;
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
