using System.Text;
using Sparkify.Stream.Staging;

namespace Sparkify.Stream.Tests.Packages;

/// <summary>package.json and state.json in a local staging folder (the S3 store: the integration tests).</summary>
public sealed class PackageStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sparkify-packages-").FullName;

    internal static LoadPackage Package(string runId, params (string Key, string Version)[] files) => new()
    {
        RunId = runId,
        Shard = "1/1",
        Sources = ["data/song_data", "data/log_data"],
        Files = [.. files.Select(f => new PackageFile(f.Key, "event", f.Version, 10, 3, 2, 1))],
        Rows = new Dictionary<string, long> { ["staging_events"] = 2 * files.Length },
        Manifests = new PackageManifests($"runs/{runId}/events.manifest", $"runs/{runId}/songs.manifest", $"runs/{runId}/files.manifest"),
        CreatedAt = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public async Task A_staged_package_reads_back_whole_and_its_state_changes_alone()
    {
        var store = new PackageStore(new LocalStagingStore(_root));
        var package = Package("20261202T100000.000Z-aaaaaaaa", ("log_data/a.json", "v1"), ("log_data/b.json", "v2"));
        await store.StageAsync(package, CancellationToken.None);
        var packageJson = await File.ReadAllBytesAsync(Path.Combine(_root, "runs", package.RunId, "package.json"));

        var read = await store.ReadAsync(package.RunId, CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(PackageState.Staged, read.Status.State);
        Assert.Equal(package.Files, read.Package.Files);
        Assert.Equal(package.Manifests, read.Package.Manifests);
        Assert.Equal(package.Rows, read.Package.Rows);

        foreach (var state in new[] { PackageState.Loading, PackageState.Failed, PackageState.Loading, PackageState.Loaded })
        {
            await store.SetStateAsync(package.RunId, state, "20261202T110000.000Z-bbbbbbbb",
                state == PackageState.Failed ? "the load failed" : null, CancellationToken.None);
            var now = await store.ReadAsync(package.RunId, CancellationToken.None);
            Assert.Equal(state, now!.Status.State);
            Assert.Equal(state == PackageState.Failed ? "the load failed" : null, now.Status.Error);
            Assert.Equal("20261202T110000.000Z-bbbbbbbb", now.Status.ByRun);
        }
        // Immutable once staged: only state.json changed, and no temporary file is left behind.
        Assert.Equal(packageJson, await File.ReadAllBytesAsync(Path.Combine(_root, "runs", package.RunId, "package.json")));
        Assert.Equal(["package.json", "state.json"],
            Directory.GetFiles(Path.Combine(_root, "runs", package.RunId)).Select(f => Path.GetFileName(f)!).Order().ToArray());
        var stateJson = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(Path.Combine(_root, "runs", package.RunId, "state.json")));
        Assert.Contains("\"state\":\"loaded\"", stateJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_without_package_json_is_no_package_and_one_without_state_json_is_staged()
    {
        var local = new LocalStagingStore(_root);
        var store = new PackageStore(local);
        Directory.CreateDirectory(Path.Combine(_root, "runs", "20261202T100000.000Z-deadbeef", "events"));   // killed while staging
        var package = Package("20261202T090000.000Z-cccccccc", ("k", "v"));
        await local.PutBytesAsync($"runs/{package.RunId}/package.json", package.ToJson(), CancellationToken.None);

        Assert.Null(await store.ReadAsync("20261202T100000.000Z-deadbeef", CancellationToken.None));
        var listed = await store.ListAsync(CancellationToken.None);
        Assert.Equal([package.RunId], listed.Select(p => p.RunId));
        Assert.Equal(PackageState.Staged, listed[0].Status.State);
        Assert.True(listed[0].Status.State.IsPending());
    }

    [Fact]
    public async Task A_package_of_another_format_or_a_broken_one_is_refused_with_where_it_is()
    {
        var local = new LocalStagingStore(_root);
        var store = new PackageStore(local);
        var newer = Package("20261202T090000.000Z-dddddddd") with { FormatVersion = 2 };
        await local.PutBytesAsync($"runs/{newer.RunId}/package.json", newer.ToJson(), CancellationToken.None);
        var error = await Assert.ThrowsAsync<SparkifyException>(() => store.ReadAsync(newer.RunId, CancellationToken.None));
        Assert.Contains("format_version 2; this release reads 1", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_root, "runs", newer.RunId, "package.json"), error.Message, StringComparison.Ordinal);

        await local.PutBytesAsync("runs/20261202T090000.000Z-eeeeeeee/package.json", "{not json"u8.ToArray(), CancellationToken.None);
        var broken = await Assert.ThrowsAsync<SparkifyException>(() => store.ReadAsync("20261202T090000.000Z-eeeeeeee", CancellationToken.None));
        Assert.Contains("is not a load package", broken.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Staged", true)]
    [InlineData("Loading", true)]
    [InlineData("Failed", true)]
    [InlineData("Loaded", false)]
    [InlineData("Superseded", false)]
    public void Staged_loading_and_failed_are_pending(string state, bool pending) =>
        Assert.Equal(pending, Enum.Parse<PackageState>(state).IsPending());

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
