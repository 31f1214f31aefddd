using System.Text;
using Sparkify.Stream.Staging;

namespace Sparkify.Stream.Tests.Staging;

/// <summary>The local staging store's writes: whole files, replaced atomically, whoever else writes the same file.</summary>
public sealed class LocalStagingStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparkify-local-store-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Writers_of_the_same_file_at_once_never_fail_and_one_whole_version_wins()
    {
        // Two loaders settling the same package write its state.json at the same moment: each write must land whole,
        // neither may fail on the other's temporary file (a shared "state.json.tmp" made one fail with an IOException).
        var store = new LocalStagingStore(_dir);
        var versions = Enumerable.Range(0, 16).Select(i => Encoding.UTF8.GetBytes($"{{\"writer\":{i},\"pad\":\"{new string('x', 4_000_000)}\"}}")).ToList();
        for (var round = 0; round < 10; round++)
            await Task.WhenAll(versions.Select(v => Task.Run(() => store.PutBytesAsync("runs/r1/state.json", v, CancellationToken.None))));

        var written = await store.ReadBytesAsync("runs/r1/state.json", CancellationToken.None);
        Assert.Contains(versions, v => v.AsSpan().SequenceEqual(written));
        Assert.Equal(["state.json"], Directory.EnumerateFiles(Path.Combine(_dir, "runs", "r1")).Select(Path.GetFileName));
    }
}
