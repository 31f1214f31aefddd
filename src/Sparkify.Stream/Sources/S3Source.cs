using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace Sparkify.Stream.Sources;

/// <summary>
/// Input files below an <c>s3://bucket/prefix</c>: a listing paged in parallel where the keys fall into several
/// folders (<see cref="S3Listing"/>), filtered by the log date in each key before anything is fetched, and objects
/// streamed straight from their GetObject response, pinned to the version listed.
/// </summary>
internal sealed class S3Source : IObjectSource
{
    private readonly IAmazonS3 _s3;
    private readonly S3Uri _root;
    private readonly S3Settings _settings;

    public S3Source(IAmazonS3 s3, S3Uri root, S3Settings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(root);
        _s3 = s3;
        _root = root;
        _settings = settings ?? new S3Settings();
        _reads = new SemaphoreSlim(_settings.MaxConcurrency);
        _ranges = new SemaphoreSlim(_settings.RangesInFlight);
    }

    /// <summary>Range buffers in flight over all big files (<see cref="S3Settings.RangesInFlight"/>): bounded memory.</summary>
    private readonly SemaphoreSlim _ranges;

    /// <summary>The GETs in flight, at most <see cref="S3Settings.MaxConcurrency"/>: a slot is held until the stream is disposed.</summary>
    private readonly SemaphoreSlim _reads;

    /// <summary>Files worth reading at once from here: S3 answers slowly but in parallel.</summary>
    public int ConcurrentReads => _settings.MaxConcurrency;

    public string Description => _root.ToString();

    public async IAsyncEnumerable<SourceObject> ListAsync(
        RecordKind kind, DateRange range, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(range);
        await foreach (var obj in Objects().ListAsync(ListPageAsync, ct))
        {
            if (!InputFiles.IsInputFile(obj.Key)) continue;
            var date = kind == RecordKind.Event ? LogFileDates.FromKey(obj.Key) : null;
            if (kind == RecordKind.Event && !range.Admits(date)) continue;
            yield return new SourceObject(_root.UrlOfKey(obj.Key), kind, obj.Size ?? 0, VersionOf(obj), date);
        }
    }

    public Task<OtherFiles> OtherFilesAsync(CancellationToken ct) =>
        OtherFiles.OfAsync(Objects().ListAsync(ListPageAsync, ct).Where(o => !o.Key.EndsWith('/'))
            .Select(o => o.Key[_root.KeyPrefix.Length..]), ct);

    private S3Listing Objects() => new(_root.Bucket, _root.KeyPrefix, _settings.ListPageSize, _settings.MaxConcurrency);

    public async Task<System.IO.Stream> OpenReadAsync(SourceObject obj, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var bucketUrl = _root.UrlOfKey("");
        if (!obj.Key.StartsWith(bucketUrl, StringComparison.Ordinal))
            throw new ArgumentException($"{obj.Key} is not an object of {_root}", nameof(obj));
        var key = obj.Key[bucketUrl.Length..];
        await _reads.WaitAsync(ct);
        var lease = new Lease(_reads);
        try
        {
            // Pinned to the version listed: a file replaced since is a clear failure (412), never read as listed.
            if (obj.Size >= 2L * _settings.RangeSize && obj.Version.Length > 0 && _settings.RangesInFlight > 1)
            {
                return new S3RangedReadStream(_s3, _root.Bucket, key, obj.Version, obj.Size, _settings.RangeSize, _ranges,
                    _settings.ReadIdleTimeout, lease);
            }
            return await S3ReadStream.OpenAsync(_s3, _root.Bucket, key, _settings.ReadIdleTimeout, obj.Version, lease, range: null, ct);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>One slot of a semaphore, released once however often it is disposed.</summary>
    private sealed class Lease(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) semaphore.Release();
        }
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

    private static string VersionOf(S3Object obj) => obj.ETag?.Trim('"') ?? "";
}
