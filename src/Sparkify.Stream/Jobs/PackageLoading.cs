using Microsoft.Extensions.Logging;
using Sparkify.Stream.Sources;
using Sparkify.Stream.Staging;
using Sparkify.Stream.Warehouse;

namespace Sparkify.Stream.Jobs;

/// <summary>Which pending packages a load takes, which are superseded, and which a dead load had committed already.</summary>
/// <param name="Load">To load, oldest first.</param>
/// <param name="Superseded">Never to be loaded, with why.</param>
/// <param name="Committed">Every file already in the ledger at the package's version: a load committed it and died
/// before it could say so.</param>
/// <param name="Waiting">Holding a file this listing does not show (outside a date range): left for a later load.</param>
internal sealed record PackageChoice(
    IReadOnlyList<StoredPackage> Load, IReadOnlyList<(StoredPackage Package, string Why)> Superseded,
    IReadOnlyList<StoredPackage> Committed, IReadOnlyList<StoredPackage> Waiting)
{
    public static readonly PackageChoice None = new([], [], [], []);

    /// <summary>The files the chosen packages hold, by key (one package per key is enough to know its version).</summary>
    public IReadOnlySet<string> Keys => Load.SelectMany(p => p.Package.Files).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
}

/// <summary>
/// Loading load packages (<c>sparkify load</c>, and a <c>run</c> resuming the packages of a run that died after
/// staging): the choice of packages, the layers they load in, and their states before and after the one transaction.
/// </summary>
internal static class PackageLoading
{
    /// <summary>
    /// Chooses among pending packages, newest first: one holding a file whose current version differs from the staged
    /// one (or that is no longer listed, when the whole input was listed) is superseded; so is one whose every file a
    /// newer chosen package holds at the same version (a re-stage); one whose files are all in the ledger at their
    /// versions was committed by a load that died before it said so.
    /// </summary>
    /// <param name="listed">The current version of every listed source file, by key.</param>
    /// <param name="wholeInput">The listing covers every date: a file missing from it is gone, not out of range.</param>
    /// <param name="sources">The song and log locations this process lists: a package staged from others is left
    /// waiting (never superseded for files this listing cannot show).</param>
    public static PackageChoice Choose(IEnumerable<StoredPackage> pending, IReadOnlyDictionary<string, string> listed,
        bool wholeInput, IReadOnlyDictionary<string, string> ledger, IReadOnlyList<string>? sources = null)
    {
        var load = new List<StoredPackage>();
        var superseded = new List<(StoredPackage, string)>();
        var committed = new List<StoredPackage>();
        var waiting = new List<StoredPackage>();
        var covered = new Dictionary<string, string>(StringComparer.Ordinal);   // key → the chosen version
        foreach (var package in pending.OrderByDescending(p => p.RunId, StringComparer.Ordinal))
        {
            var files = package.Package.Files;
            if (sources is not null && !package.Package.Sources.SequenceEqual(sources, StringComparer.Ordinal))
            {
                waiting.Add(package);
                continue;
            }
            var changed = files.FirstOrDefault(f => listed.TryGetValue(f.Key, out var v) && v != f.Version);
            var missing = files.FirstOrDefault(f => !listed.ContainsKey(f.Key));
            if (changed is not null)
                superseded.Add((package, $"{changed.Key} changed at the source since it was staged"));
            else if (missing is not null && wholeInput)
                superseded.Add((package, $"{missing.Key} is no longer in the source"));
            else if (missing is not null)
                waiting.Add(package);
            else if (files.All(f => ledger.TryGetValue(f.Key, out var v) && v == f.Version))
                committed.Add(package);
            else if (files.Count > 0 && files.All(f => covered.TryGetValue(f.Key, out var v) && v == f.Version))
                superseded.Add((package, "every file it holds is in a newer package"));
            else
            {
                load.Add(package);
                foreach (var f in files) covered[f.Key] = f.Version;
            }
        }
        load.Reverse();
        return new PackageChoice(load, superseded, committed, waiting);
    }

    /// <summary>
    /// The layers of one load: a package goes into the layer after the last one holding a file it holds too, so
    /// disjoint packages (shards) load together — one COPY per table over all their parts — and a file staged twice is
    /// merged again in a later layer (the merge's winner rules make that a no-op). Oldest package first.
    /// </summary>
    public static List<List<StoredPackage>> Layers(IReadOnlyList<StoredPackage> packages)
    {
        var layers = new List<(HashSet<string> Keys, List<StoredPackage> Packages)>();
        foreach (var package in packages.OrderBy(p => p.RunId, StringComparer.Ordinal))
        {
            var keys = package.Package.Files.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
            var level = 0;
            for (var i = 0; i < layers.Count; i++)
                if (layers[i].Keys.Overlaps(keys)) level = i + 1;
            if (level == layers.Count) layers.Add((new HashSet<string>(StringComparer.Ordinal), []));
            layers[level].Keys.UnionWith(keys);
            layers[level].Packages.Add(package);
        }
        return [.. layers.Select(l => l.Packages)];
    }

    /// <summary>
    /// The manifests of each layer: a one-package layer uses the package's own; otherwise one manifest per staging
    /// table over all the layer's parts is written below <c>runs/&lt;loadRunId&gt;/layer-N/</c> (Redshift's COPY reads a
    /// manifest from S3, so the combination is a stored object, not a list in memory).
    /// </summary>
    public static async Task<List<PackageManifests>> ManifestsAsync(
        IStagingStore store, string loadRunId, List<List<StoredPackage>> layers, CancellationToken ct)
    {
        var result = new List<PackageManifests>();
        for (var n = 0; n < layers.Count; n++)
        {
            var layer = layers[n];
            if (layer.Count == 1)
            {
                result.Add(layer[0].Package.Manifests);
                continue;
            }
            var folder = $"{RunPaths.Prefix(loadRunId)}/layer-{n}";
            async Task<string> CombineAsync(string table, Func<PackageManifests, string?> pick)
            {
                var entries = new List<ManifestEntry>();
                foreach (var package in layer)
                {
                    if (pick(package.Package.Manifests) is not { } path) continue;
                    var json = await StagingReads.ReadBytesAsync(store, path, ct)
                        ?? throw new SparkifyException($"package {package.RunId} has lost its manifest {store.UrlOf(path)}");
                    entries.AddRange(CopyManifest.Parse(json).Entries);
                }
                var combined = $"{folder}/{table}.manifest";
                await store.PutBytesAsync(combined, new CopyManifest(entries).ToJson(), ct);
                return combined;
            }
            // Field counts come with packages of this release; a layer with an older package loads the others' counts.
            var withCounts = layer.Any(p => p.Package.Manifests.FieldCounts is not null);
            result.Add(new PackageManifests(await CombineAsync("staging_events", m => m.Events),
                await CombineAsync("staging_songs", m => m.Songs), await CombineAsync("staging_files", m => m.Files),
                withCounts ? await CombineAsync("staging_field_counts", m => m.FieldCounts) : null));
        }
        return result;
    }

    /// <summary>Marks what <see cref="Choose"/> found: superseded packages, and committed ones as loaded.</summary>
    public static async Task SettleAsync(PackageStore packages, PackageChoice choice, string byRun, ILogger logger,
        CancellationToken ct)
    {
        foreach (var (package, why) in choice.Superseded)
        {
            await packages.SetStateAsync(package.RunId, PackageState.Superseded, byRun, why, ct);
            JobLog.PackageSuperseded(logger, package.RunId, why);
        }
        foreach (var package in choice.Committed)
        {
            await packages.SetStateAsync(package.RunId, PackageState.Loaded, byRun, null, ct);
            JobLog.PackageWasCommitted(logger, package.RunId);
        }
    }

    /// <summary>
    /// Loads <paramref name="load"/> in one transaction: each marked <c>loading</c> first, <c>loaded</c> after the commit;
    /// on a failure <c>failed</c> with the (masked) error, and the failure goes on.
    /// </summary>
    public static async Task<LoadResult> LoadAsync(IWarehouse warehouse, PackageStore packages,
        IReadOnlyList<StoredPackage> load, string loadRunId, Func<string, CancellationToken, Task>? onPhase,
        DateRange? replaceRange, ILogger logger, CancellationToken ct)
    {
        foreach (var package in load) await packages.SetStateAsync(package.RunId, PackageState.Loading, loadRunId, null, ct);
        LoadResult result;
        try
        {
            var layered = Layers(load);
            if (load.Any(p => p.RunId != loadRunId))
                JobLog.PackagesLoading(logger, load.Count, layered.Count, string.Join(", ", load.Select(p => p.RunId)));
            var layers = await ManifestsAsync(packages.Store, loadRunId, layered, ct);
            result = await warehouse.LoadAsync(new LoadRequest(loadRunId, packages.Store, layers, replaceRange, onPhase), ct);
        }
        catch (CommittedException)
        {
            // The load is in, a read after its commit failed: the packages are loaded all the same.
            try
            {
                await MarkLoadedAsync(packages, load, loadRunId);
            }
            catch (CommittedException)
            {
                // The first failure after the commit is the one to report.
            }
            throw;
        }
        catch (Exception failure)
        {
            var why = failure is OperationCanceledException ? "cancelled" : Secrets.Mask(failure.Message);
            foreach (var package in load)
            {
                try
                {
                    await packages.SetStateAsync(package.RunId, PackageState.Failed, loadRunId, why, CancellationToken.None);
                }
                catch (Exception ex) when (ex is IOException or SparkifyException or UnauthorizedAccessException)
                {
                    // The load's failure is the one to report; the package stays "loading", which is retried too.
                }
            }
            throw;
        }
        // Committed: the states follow without the caller's token (a late Ctrl+C must not leave them "loading").
        await MarkLoadedAsync(packages, load, loadRunId);
        return result;
    }

    /// <summary>
    /// Marks committed packages "loaded" (a failure here is exit 4: the load is in; a package left "loading" is found
    /// committed by the next run, through the ledger).
    /// </summary>
    private static Task MarkLoadedAsync(PackageStore packages, IReadOnlyList<StoredPackage> load, string loadRunId) =>
        CommittedException.AfterCommitAsync("the load packages could not be marked loaded", async () =>
        {
            foreach (var package in load)
                await packages.SetStateAsync(package.RunId, PackageState.Loaded, loadRunId, null, CancellationToken.None);
        });

    /// <summary>The current version of each listed file by key.</summary>
    public static Dictionary<string, string> Versions(IEnumerable<SourceObject> listed)
    {
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in listed) versions[file.Key] = file.Version;
        return versions;
    }
}
