using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace Sparkify.Stream.Sources;

/// <summary>
/// Input files below an <c>s3://bucket/prefix</c>: a paged listing (any number of keys) filtered by the log date in
/// each key before anything is fetched, and objects streamed straight from their GetObject response.
/// </summary>
internal sealed class S3Source : IObjectSource
{
    private readonly IAmazonS3 _s3;
    private readonly S3Uri _root;
    private readonly TimeSpan _readIdleTimeout;

    public S3Source(IAmazonS3 s3, S3Uri root, S3Settings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(root);
        _s3 = s3;
        _root = root;
        _readIdleTimeout = (settings ?? new S3Settings()).ReadIdleTimeout;
    }

    public string Description => _root.ToString();

    public async IAsyncEnumerable<SourceObject> ListAsync(
        RecordKind kind, DateRange range, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(range);
        var request = new ListObjectsV2Request { BucketName = _root.Bucket, Prefix = _root.KeyPrefix };
        ListObjectsV2Response page;
        do
        {
            page = await ListPageAsync(request, ct);
            foreach (var obj in page.S3Objects ?? [])
            {
                if (!IsInputFile(obj.Key)) continue;
                var date = kind == RecordKind.Event ? LogFileDates.FromKey(obj.Key) : null;
                if (kind == RecordKind.Event && !range.Admits(date)) continue;
                yield return new SourceObject(_root.UrlOfKey(obj.Key), kind, obj.Size ?? 0, VersionOf(obj), date);
            }
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true && !string.IsNullOrEmpty(page.NextContinuationToken));
    }

    public async Task<System.IO.Stream> OpenReadAsync(SourceObject obj, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var bucketUrl = _root.UrlOfKey("");
        if (!obj.Key.StartsWith(bucketUrl, StringComparison.Ordinal))
            throw new ArgumentException($"{obj.Key} is not an object of {_root}", nameof(obj));
        var key = obj.Key[bucketUrl.Length..];
        return await S3ReadStream.OpenAsync(_s3, _root.Bucket, key, _readIdleTimeout, ct);
    }

    private async Task<ListObjectsV2Response> ListPageAsync(ListObjectsV2Request request, CancellationToken ct)
    {
        try
        {
            return await _s3.ListObjectsV2Async(request, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && S3Faults.IsS3Failure(e))
        {
            // The SDK has already retried transient faults; a listing that still fails ends the run.
            throw S3Faults.Permanent("listing", _root.ToString(), e);
        }
    }

    private static bool IsInputFile(string key) =>
        key.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || key.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase);

    private static string VersionOf(S3Object obj) => obj.ETag?.Trim('"') ?? "";
}
