using Sparkify.Stream.Jobs;
using Sparkify.Stream.Staging;
using static Sparkify.Stream.Tests.Packages.PackageStoreTests;

namespace Sparkify.Stream.Tests.Packages;

/// <summary>Which pending packages a load takes, and the layers they load in.</summary>
public sealed class PackageLoadingTests
{
    private static StoredPackage Pending(string runId, params (string Key, string Version)[] files) =>
        new(Package(runId, files), new PackageStatus(PackageState.Staged, DateTimeOffset.UtcNow));

    private static readonly Dictionary<string, string> NoLedger = [];

    [Fact]
    public void Disjoint_packages_load_in_one_layer_and_overlapping_ones_in_the_next()
    {
        var p1 = Pending("1", ("a", "v"), ("b", "v"));
        var p2 = Pending("2", ("b", "v"), ("c", "v"));   // overlaps p1 on b
        var p3 = Pending("3", ("d", "v"));              // overlaps nothing
        var p4 = Pending("4", ("c", "v"), ("e", "v"));  // overlaps p2 (layer 1) on c
        var layers = PackageLoading.Layers([p4, p2, p3, p1]);
        Assert.Equal([["1", "3"], ["2"], ["4"]], layers.Select(l => l.Select(p => p.RunId).ToArray()).ToArray());
        Assert.Single(PackageLoading.Layers([p1, p3]));
    }

    [Fact]
    public void A_package_with_a_changed_file_is_superseded_and_one_with_a_gone_file_only_when_the_whole_input_was_listed()
    {
        var changed = Pending("1", ("a", "v1"), ("b", "v1"));
        var gone = Pending("2", ("c", "v1"));
        var fine = Pending("3", ("d", "v1"));
        var listed = new Dictionary<string, string> { ["a"] = "v2", ["b"] = "v1", ["d"] = "v1" };

        var whole = PackageLoading.Choose([changed, gone, fine], listed, wholeInput: true, NoLedger);
        Assert.Equal(["3"], whole.Load.Select(p => p.RunId));
        Assert.Equal([("2", "c is no longer in the source"), ("1", "a changed at the source since it was staged")],
            whole.Superseded.Select(s => (s.Package.RunId, s.Why)));

        var range = PackageLoading.Choose([changed, gone, fine], listed, wholeInput: false, NoLedger);
        Assert.Equal(["2"], range.Waiting.Select(p => p.RunId));
        Assert.Equal(["1"], range.Superseded.Select(s => s.Package.RunId));
    }

    [Fact]
    public void A_package_staged_from_other_sources_is_left_waiting_not_superseded()
    {
        var package = Pending("1", ("a", "v"));
        var choice = PackageLoading.Choose([package], new Dictionary<string, string>(), wholeInput: true, NoLedger,
            ["elsewhere/song_data", "elsewhere/log_data"]);
        Assert.Equal(["1"], choice.Waiting.Select(p => p.RunId));
        Assert.Empty(choice.Superseded);
        var same = PackageLoading.Choose([package], new Dictionary<string, string> { ["a"] = "v" }, wholeInput: true, NoLedger,
            package.Package.Sources);
        Assert.Equal(["1"], same.Load.Select(p => p.RunId));
    }

    [Fact]
    public void An_older_package_whose_files_a_newer_one_holds_is_superseded_and_a_committed_one_is_recognised()
    {
        var old = Pending("1", ("a", "v"), ("b", "v"));
        var restaged = Pending("2", ("a", "v"), ("b", "v"), ("c", "v"));
        var partial = Pending("0", ("a", "v"), ("z", "v"));   // z only here: still loaded
        var committed = Pending("3", ("y", "v"));
        var listed = new Dictionary<string, string> { ["a"] = "v", ["b"] = "v", ["c"] = "v", ["y"] = "v", ["z"] = "v" };
        var ledger = new Dictionary<string, string> { ["y"] = "v", ["a"] = "old" };

        var choice = PackageLoading.Choose([old, restaged, partial, committed], listed, wholeInput: true, ledger);
        Assert.Equal(["0", "2"], choice.Load.Select(p => p.RunId));
        Assert.Equal([("1", "every file it holds is in a newer package")], choice.Superseded.Select(s => (s.Package.RunId, s.Why)));
        Assert.Equal(["3"], choice.Committed.Select(p => p.RunId));
        Assert.Equal(["a", "b", "c", "z"], choice.Keys.Order(StringComparer.Ordinal));
    }
}
