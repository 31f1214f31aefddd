using System.Runtime.CompilerServices;
using System.Text;
using Amazon.S3.Model;

namespace Sparkify.Stream.Sources;

/// <summary>
/// Every object below a key prefix, in S3's order (UTF-8 byte order of the keys), listed in parallel where that saves
/// time: S3 answers 1,000 keys a page, one page after the other, so a flat listing of 100,000 keys waits for 100
/// round trips.
/// </summary>
/// <remarks>
/// <para>The first two pages are listed flat: a listing that ends there cost no extra request. If it goes on, the
/// third page and a delimiter listing (the first-level "folders" below the prefix) are asked for at once. With two or
/// more folders left past the third page, each is then paged on its own, up to <c>parallelism</c> at once (the
/// folder the flat listing stopped in from the key it stopped at), and the keys directly below the prefix come from
/// the delimiter listing itself. Otherwise (one folder, or more folders than one delimiter page holds) the flat
/// listing just goes on: it is never slower than flat, at worst one request more.</para>
/// <para>Folders are handed on in order, each whole once listed, so the result is exactly the flat listing's keys in
/// the flat listing's order. Recursing deeper would cost more requests than it saves (S3 has no "count" to decide
/// where to split).</para>
/// </remarks>
internal sealed class S3Listing(string bucket, string prefix, int pageSize, int parallelism)
{
    private const string Delimiter = "/";

    /// <summary>The most keys (and folders) S3 puts in one page.</summary>
    private const int MaxPageSize = 1000;

    /// <summary>Flat pages listed before the key space is split: a listing of up to this many pages never splits.</summary>
    internal const int FlatPagesFirst = 2;

    /// <param name="listPage">Asks S3 for one page (the caller turns failures into messages).</param>
    public async IAsyncEnumerable<S3Object> ListAsync(
        Func<ListObjectsV2Request, CancellationToken, Task<ListObjectsV2Response>> listPage,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var flat = Request(prefix);
        ListObjectsV2Response page;
        for (var pages = 0; ; pages++)
        {
            Task<ListObjectsV2Response>? folders = null;
            if (pages == FlatPagesFirst && parallelism > 1)
            {
                var folderRequest = Request(prefix);
                folderRequest.Delimiter = Delimiter;
                folderRequest.MaxKeys = MaxPageSize;   // folders past one page: no split (see Split)
                folders = listPage(folderRequest, ct);
            }
            page = await listPage(flat, ct);
            foreach (var obj in page.S3Objects ?? []) yield return obj;
            if (!IsTruncated(page))
            {
                if (folders is not null) await folders;   // observed, not used
                yield break;
            }
            flat.ContinuationToken = page.NextContinuationToken;
            if (folders is null) continue;
            var delimited = await folders;
            if (page.S3Objects is not { Count: > 0 } listed) continue;
            var split = Split(delimited, listed[^1].Key);
            if (split is null) continue;   // nothing to gain: go on flat
            await foreach (var obj in ListSplitAsync(split, listPage, ct)) yield return obj;
            yield break;
        }
    }

    /// <summary>
    /// What is left past <paramref name="after"/> (the last key listed), as parts in key order: a folder to page
    /// (from after that key where the flat listing stopped inside it), or a key directly below the prefix. Null when
    /// splitting would not help: fewer than two folders left, or a delimiter listing that did not fit one page.
    /// </summary>
    internal static List<Part>? Split(ListObjectsV2Response delimited, string after)
    {
        if (IsTruncated(delimited)) return null;
        var afterBytes = Encoding.UTF8.GetBytes(after);
        var parts = new List<Part>();
        foreach (var folder in delimited.CommonPrefixes ?? [])
        {
            var start = Encoding.UTF8.GetBytes(folder);
            if (afterBytes.AsSpan().StartsWith(start)) parts.Add(new Part(folder, after, null));
            else if (Utf8Order.Compare(start, afterBytes) > 0) parts.Add(new Part(folder, null, null));
        }
        if (parts.Count < 2) return null;
        foreach (var obj in delimited.S3Objects ?? [])
            if (Utf8Order.Compare(obj.Key, after) > 0) parts.Add(new Part(obj.Key, null, obj));
        parts.Sort((a, b) => Utf8Order.Compare(a.Start, b.Start));
        return parts;
    }

    private async IAsyncEnumerable<S3Object> ListSplitAsync(List<Part> parts,
        Func<ListObjectsV2Request, CancellationToken, Task<ListObjectsV2Response>> listPage,
        [EnumeratorCancellation] CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var gate = new SemaphoreSlim(parallelism);
        var folders = parts.Select(p => p.Single is null ? ListFolderAsync(p, listPage, gate, stop.Token) : null).ToList();
        try
        {
            for (var i = 0; i < parts.Count; i++)
            {
                if (parts[i].Single is { } single)
                {
                    yield return single;
                    continue;
                }
                foreach (var obj in await folders[i]!) yield return obj;
            }
        }
        finally
        {
            // A consumer that stops early, or a folder that failed: the others are stopped and awaited, never left
            // running against a disposed gate.
            await stop.CancelAsync();
            foreach (var folder in folders.Where(f => f is not null))
            {
                try
                {
                    await folder!;
                }
#pragma warning disable CA1031 // observed only: the first failure already surfaced, or the consumer stopped
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            }
        }
    }

    private async Task<List<S3Object>> ListFolderAsync(Part part,
        Func<ListObjectsV2Request, CancellationToken, Task<ListObjectsV2Response>> listPage, SemaphoreSlim gate,
        CancellationToken ct)
    {
        var objects = new List<S3Object>();
        var request = Request(part.Start);
        request.StartAfter = part.After;
        await gate.WaitAsync(ct);
        try
        {
            ListObjectsV2Response page;
            do
            {
                page = await listPage(request, ct);
                objects.AddRange(page.S3Objects ?? []);
                request.ContinuationToken = page.NextContinuationToken;
            }
            while (IsTruncated(page));
        }
        finally
        {
            gate.Release();
        }
        return objects;
    }

    private ListObjectsV2Request Request(string keyPrefix) => new()
    {
        BucketName = bucket,
        Prefix = keyPrefix,
        MaxKeys = pageSize,
    };

    private static bool IsTruncated(ListObjectsV2Response page) =>
        page.IsTruncated == true && !string.IsNullOrEmpty(page.NextContinuationToken);

    /// <summary>A folder to page (from after <paramref name="After"/> if set), or one key listed already.</summary>
    internal sealed record Part(string Start, string? After, S3Object? Single);
}

/// <summary>S3's key order: UTF-8 bytes compared one by one (not UTF-16 code units, which differ past U+FFFF).</summary>
internal static class Utf8Order
{
    public static int Compare(string a, string b) => Compare(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    public static int Compare(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.SequenceCompareTo(b);
}
