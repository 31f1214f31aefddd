using Polly;
using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Staging;

/// <summary>
/// Reading staged parts back for a load. Parquet needs to seek (its footer is at the end), so a remote (S3) part is
/// copied to a local temporary file, never to memory — and a transient fault while copying (a reset mid-body, a 5xx
/// the SDK gave up on) copies it again, so a flaky network does not fail a load that staging survived.
/// </summary>
internal static class StagingReads
{
    private static readonly Lazy<ResiliencePipeline> Retry = Resilience.ForReadsWhenNeeded(Resilience.DefaultAttempts, S3Faults.IsTransient);

    /// <summary>Opens a staged part as a seekable stream: the store's own when it seeks, else a self-deleting copy.</summary>
    public static async Task<System.IO.Stream> OpenSeekableAsync(IStagingStore store, string url, CancellationToken ct)
    {
        var stream = await store.OpenReadAsync(url, ct);
        if (stream.CanSeek) return stream;
        await stream.DisposeAsync();
        var path = Path.Combine(Path.GetTempPath(), $"sparkify-part-{Guid.NewGuid():N}.parquet");
        await DownloadAsync(store, url, path, ct);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, 1 << 16,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
    }

    /// <summary>
    /// Reads a small staged object (a manifest, package.json, state.json) by relative path, again after a transient
    /// fault; null when there is none.
    /// </summary>
    public static async Task<byte[]?> ReadBytesAsync(IStagingStore store, string relativePath, CancellationToken ct) =>
        await Resilience.RunAsync(Retry, async token => await store.ReadBytesAsync(relativePath, token), ct);

    /// <summary>Copies a staged object to <paramref name="path"/>, again from the start after a transient fault.</summary>
    public static async Task DownloadAsync(IStagingStore store, string url, string path, CancellationToken ct)
    {
        try
        {
            await Resilience.RunAsync(Retry, async token =>
            {
                await using var source = await store.OpenReadAsync(url, token);
                await using var target = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16,
                    FileOptions.Asynchronous);
                await source.CopyToAsync(target, token);
                return true;
            }, ct);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }
}
