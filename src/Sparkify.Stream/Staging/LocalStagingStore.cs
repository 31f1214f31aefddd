using System.Runtime.CompilerServices;
using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Staging;

/// <summary>Staging in a local folder; manifest URLs are absolute file paths.</summary>
internal sealed class LocalStagingStore(string root) : IStagingStore
{
    private readonly string _root = Path.GetFullPath(root);

    public string Description => _root;

    public string Root => _root;

    public string UrlOf(string relativePath) => PathOf(relativePath);

    public Task<long> PutFileAsync(string relativePath, string localFile, CancellationToken ct)
    {
        var target = PathOf(relativePath);
        if (!string.Equals(Path.GetFullPath(localFile), target, StringComparison.Ordinal))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(localFile, target, overwrite: true);
        }
        return Task.FromResult(new FileInfo(target).Length);
    }

    public async Task PutBytesAsync(string relativePath, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        var target = PathOf(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // A temporary name of its own: two processes may write the same file at once (two loaders settling one
        // package's state.json); with one shared name, one failed on the other's open file or lost it to a rename.
        var temp = $"{target}.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp";
        await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            await file.WriteAsync(content, ct);   // no copy: a run's report.json and package.json are megabytes
        File.Move(temp, target, overwrite: true);
    }

    public async Task<byte[]?> ReadBytesAsync(string relativePath, CancellationToken ct)
    {
        try
        {
            return await File.ReadAllBytesAsync(PathOf(relativePath), ct);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Task<System.IO.Stream> OpenReadAsync(string url, CancellationToken ct) =>
        Task.FromResult<System.IO.Stream>(File.OpenRead(Resolve(url)));

    public Task<long> SizeOfAsync(string url, CancellationToken ct) =>
        Task.FromResult(new FileInfo(Resolve(url)).Length);

    public async IAsyncEnumerable<string> ListRunsAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var runs = Path.Combine(_root, "runs");
        if (!Directory.Exists(runs)) yield break;
        foreach (var dir in Directory.EnumerateDirectories(runs).Order(StringComparer.Ordinal))
        {
            ct.ThrowIfCancellationRequested();
            yield return Path.GetFileName(dir);
        }
        await Task.CompletedTask;
    }

    public Task DeleteRunAsync(string runId, CancellationToken ct)
    {
        var dir = PathOf("runs/" + runId);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        return Task.CompletedTask;
    }

    public string? LocalPathOf(string url) => Resolve(url);

    public S3Uri? S3Location => null;

    /// <summary>The local path for a relative staging path; refuses paths that leave the root.</summary>
    public string PathOf(string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(_root, relativePath.Replace('/', Path.DirectorySeparatorChar)));
        if (!full.StartsWith(_root, StringComparison.Ordinal))
            throw new ArgumentException($"staging path leaves the staging folder: {relativePath}", nameof(relativePath));
        return full;
    }

    private static string Resolve(string url) =>
        url.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? new Uri(url).LocalPath : url;
}
