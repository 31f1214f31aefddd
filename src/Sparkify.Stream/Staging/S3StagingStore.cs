using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;
using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Staging;

/// <summary>Settings of the S3 staging store; every default is the one used in production.</summary>
internal sealed record S3StagingOptions
{
    private const long MiB = 1024 * 1024;

    /// <summary>Files of this size or larger are uploaded in parts (multipart upload). Default 16 MiB.</summary>
    public long MultipartThreshold { get; init; } = 16 * MiB;

    /// <summary>Size of each part of a multipart upload; S3 needs at least 5 MiB. Default 16 MiB.</summary>
    public long PartSize { get; init; } = 16 * MiB;

    /// <summary>Parts of one file uploaded at the same time. Default 4.</summary>
    public int UploadConcurrency { get; init; } = 4;

    /// <summary>How long a read may wait for bytes before the connection counts as stalled. Default 60 seconds.</summary>
    public TimeSpan ReadIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    internal void Validate()
    {
        if (MultipartThreshold < 1) throw new ConfigurationException("S3 multipart threshold must be at least 1 byte.");
        if (PartSize is < 5 * MiB or > 5 * 1024 * MiB) throw new ConfigurationException("S3 part size must be 5 MiB to 5 GiB.");
        if (UploadConcurrency is < 1 or > 64) throw new ConfigurationException("S3 upload concurrency must be 1 to 64.");
        if (ReadIdleTimeout <= TimeSpan.Zero) throw new ConfigurationException("S3 read idle timeout must be positive.");
    }
}

/// <summary>
/// The staging area below an <c>s3://bucket/prefix</c>: Parquet parts (multipart above a threshold), manifests,
/// rejects and reports, addressed as <c>s3://bucket/prefix/relative/path</c>.
/// </summary>
internal sealed class S3StagingStore : IStagingStore
{
    private readonly IAmazonS3 _s3;
    private readonly S3Uri _root;
    private readonly S3StagingOptions _options;
    private readonly TransferUtility _transfer;

    public S3StagingStore(IAmazonS3 s3, S3Uri root, S3StagingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(root);
        _options = options ?? new S3StagingOptions();
        _options.Validate();
        _s3 = s3;
        _root = root;
        _transfer = new TransferUtility(s3, new TransferUtilityConfig
        {
            MinSizeBeforePartUpload = _options.MultipartThreshold,
            ConcurrentServiceRequests = _options.UploadConcurrency,
        });
    }

    public string Description => _root.ToString();

    public string UrlOf(string relativePath) => _root.UrlOfKey(KeyOf(relativePath));

    public string? LocalPathOf(string url) => null;

    public S3Uri? S3Location => _root;

    public async Task<long> PutFileAsync(string relativePath, string localFile, CancellationToken ct)
    {
        var key = KeyOf(relativePath);
        var url = _root.UrlOfKey(key);
        var length = new FileInfo(localFile).Length;
        return await GuardAsync("upload", url, async () =>
        {
            // TransferUtility chooses PutObject below the threshold and a multipart upload (aborted on failure) above it.
            await _transfer.UploadAsync(new TransferUtilityUploadRequest
            {
                BucketName = _root.Bucket,
                Key = key,
                FilePath = localFile,
                PartSize = _options.PartSize,
                ContentType = ContentTypeOf(key),
            }, ct);
            // The manifest needs the size as stored, so ask the store rather than trust the file.
            var stored = (await _s3.GetObjectMetadataAsync(_root.Bucket, key, ct)).ContentLength;
            return stored == length
                ? stored
                : throw new SparkifyException($"S3 upload of {url} stored {stored} bytes instead of {length}.");
        }, ct);
    }

    public async Task PutBytesAsync(string relativePath, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        var key = KeyOf(relativePath);
        await GuardAsync("upload", _root.UrlOfKey(key), async () =>
        {
            using var body = new MemoryStream(content.ToArray(), writable: false);
            return await _s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = _root.Bucket,
                Key = key,
                InputStream = body,
                AutoCloseStream = false,
                ContentType = ContentTypeOf(key),
            }, ct);
        }, ct);
    }

    public async Task<byte[]?> ReadBytesAsync(string relativePath, CancellationToken ct)
    {
        var key = KeyOf(relativePath);
        return await GuardAsync("download", _root.UrlOfKey(key), async () =>
        {
            try
            {
                using var response = await _s3.GetObjectAsync(_root.Bucket, key, ct);
                using var buffer = new MemoryStream();
                await response.ResponseStream.CopyToAsync(buffer, ct);
                return buffer.ToArray();
            }
            catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return null;
            }
        }, ct);
    }

    public Task<System.IO.Stream> OpenReadAsync(string url, CancellationToken ct) =>
        S3ReadStream.OpenAsync(_s3, _root.Bucket, KeyOfUrl(url), _options.ReadIdleTimeout, etag: null, lease: null, range: null, ct);

    public async Task<long> SizeOfAsync(string url, CancellationToken ct)
    {
        var key = KeyOfUrl(url);
        return await GuardAsync("HEAD", url, async () => (await _s3.GetObjectMetadataAsync(_root.Bucket, key, ct)).ContentLength, ct);
    }

    public async IAsyncEnumerable<string> ListRunsAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var prefix = KeyOf("runs/");
        var request = new ListObjectsV2Request { BucketName = _root.Bucket, Prefix = prefix, Delimiter = "/" };
        ListObjectsV2Response page;
        do
        {
            page = await GuardAsync("listing", _root.UrlOfKey(prefix), () => _s3.ListObjectsV2Async(request, ct), ct);
            foreach (var common in page.CommonPrefixes ?? [])
            {
                var runId = common[prefix.Length..].TrimEnd('/');
                if (runId.Length > 0) yield return runId;
            }
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true && !string.IsNullOrEmpty(page.NextContinuationToken));
    }

    public async Task DeleteRunAsync(string runId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(runId) || runId is "." or ".." || runId.Contains('/', StringComparison.Ordinal) || runId.Any(char.IsControl))
            throw new ArgumentException($"Not a run id: '{runId}'", nameof(runId));
        var prefix = KeyOf($"runs/{runId}/");
        var location = _root.UrlOfKey(prefix);
        var request = new ListObjectsV2Request { BucketName = _root.Bucket, Prefix = prefix };
        ListObjectsV2Response page;
        do
        {
            page = await GuardAsync("listing", location, () => _s3.ListObjectsV2Async(request, ct), ct);
            if (page.S3Objects is { Count: > 0 } objects)
            {
                var deleted = await GuardAsync("delete", location, () => _s3.DeleteObjectsAsync(new DeleteObjectsRequest
                {
                    BucketName = _root.Bucket,
                    Objects = objects.Select(o => new KeyVersion { Key = o.Key }).ToList(),
                    Quiet = true,
                }, ct), ct);
                if (deleted.DeleteErrors is { Count: > 0 } errors)
                    throw new SparkifyException($"S3 delete of {_root.UrlOfKey(errors[0].Key)} failed: {errors[0].Code} ({errors.Count} objects not deleted).");
            }
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true && !string.IsNullOrEmpty(page.NextContinuationToken));
    }

    private string KeyOf(string relativePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        if (relativePath.Any(char.IsControl) || relativePath.Contains('\\', StringComparison.Ordinal))
            throw new ArgumentException($"Not a '/'-separated relative path: '{relativePath}'", nameof(relativePath));
        return _root.KeyOf(relativePath);
    }

    private string KeyOfUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var bucketUrl = _root.UrlOfKey("");
        var key = url.StartsWith(bucketUrl, StringComparison.Ordinal) ? url[bucketUrl.Length..] : "";
        return key.Length > _root.KeyPrefix.Length && key.StartsWith(_root.KeyPrefix, StringComparison.Ordinal)
            ? key
            : throw new ArgumentException($"{url} is not in the staging area {_root}", nameof(url));
    }

    /// <summary>Transient faults that outlast the SDK's retries become <see cref="IOException"/>; permanent ones end the run.</summary>
    private static async Task<T> GuardAsync<T>(string operation, string location, Func<Task<T>> action, CancellationToken ct)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is not SparkifyException && S3Faults.IsTransient(e))
        {
            throw new IOException($"S3 {operation} of {location} failed: {S3Faults.Describe(e)}", e);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is not SparkifyException && S3Faults.IsS3Failure(e))
        {
            throw S3Faults.Permanent(operation, location, e);
        }
    }

    private static string? ContentTypeOf(string key) => Path.GetExtension(key).ToLowerInvariant() switch
    {
        ".json" or ".manifest" => "application/json",
        ".csv" => "text/csv",
        ".parquet" => "application/vnd.apache.parquet",
        _ => null,
    };
}
