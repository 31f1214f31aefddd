using Amazon.S3;
using Amazon.S3.Model;

namespace Sparkify.Stream.Sources;

/// <summary>
/// The body of a GetObject response, streamed as it arrives. A transient failure while reading (a reset, a
/// stalled connection, a body shorter than its Content-Length) surfaces as an <see cref="IOException"/> that names
/// the object, so the pipeline can fetch it again. Disposing it disposes the response.
/// </summary>
internal sealed class S3ReadStream : ForwardReadStream
{
    private readonly System.IO.Stream _body;
    private readonly string _location;
    private readonly TimeSpan _idleTimeout;
    private readonly long _expectedLength;
    private readonly IDisposable? _lease;
    private long _position;

    /// <param name="lease">Released when the stream is disposed (a slot of the reads in flight), or null.</param>
    public S3ReadStream(GetObjectResponse response, string location, TimeSpan idleTimeout, IDisposable? lease = null)
        : base(response)
    {
        _body = response.ResponseStream;
        _location = location;
        _idleTimeout = idleTimeout;
        _expectedLength = response.ContentLength;
        _lease = lease;
    }

    /// <summary>
    /// GETs an object for streaming (S3Source and the S3 staging store both read this way). Transient failures that
    /// outlast the SDK's retries surface as <see cref="IOException"/> (fetch again); permanent ones as
    /// <see cref="SparkifyException"/> naming the object.
    /// </summary>
    /// <param name="etag">The version to read (If-Match: a GET of another version fails, 412), or null for any.</param>
    /// <param name="lease">Released when the stream is disposed; the caller releases it if this throws.</param>
    /// <param name="range">Bytes to read (both ends included), or null for the whole object.</param>
    public static async Task<System.IO.Stream> OpenAsync(IAmazonS3 s3, string bucket, string key,
        TimeSpan readIdleTimeout, string? etag, IDisposable? lease, ByteRange? range, CancellationToken ct)
    {
        var location = $"s3://{bucket}/{key}";
        try
        {
            var request = new GetObjectRequest { BucketName = bucket, Key = key, ByteRange = range };
            if (!string.IsNullOrEmpty(etag)) request.EtagToMatch = Quoted(etag);
            var response = await s3.GetObjectAsync(request, ct);
            return new S3ReadStream(response, location, readIdleTimeout, lease);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && S3Faults.IsTransient(e))
        {
            throw new IOException($"S3 GET of {location} failed: {S3Faults.Describe(e)}", e);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && S3Faults.IsS3Failure(e))
        {
            throw S3Faults.Permanent("GET", location, e);
        }
    }

    /// <summary>An ETag as HTTP sends it (listings give it quoted; <see cref="SourceObject.Version"/> holds it bare).</summary>
    internal static string Quoted(string etag) => etag.StartsWith('"') ? etag : $"\"{etag}\"";

    public override long Length => _expectedLength;

    protected override long BytesRead => _position;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        int read;
        try
        {
            read = _body.Read(buffer);
        }
        catch (Exception e) when (S3Faults.IsTransient(e))
        {
            throw MidStream(S3Faults.Describe(e), e);
        }
        return Advance(read);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty) return 0;
        int read;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(_idleTimeout);
        try
        {
            read = await _body.ReadAsync(buffer, idle.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw MidStream($"no bytes for {_idleTimeout.TotalSeconds:0} s", e);
        }
        catch (Exception e) when (e is not OperationCanceledException && S3Faults.IsTransient(e))
        {
            throw MidStream(S3Faults.Describe(e), e);
        }
        return Advance(read);
    }

    private int Advance(int read)
    {
        _position += read;
        // A body read to its end is no longer a GET in flight (its connection is back in the pool): the slot goes
        // now, not when the reader gets round to disposing (a multi-member .gz opens the file again first).
        if (read == 0 && _position >= _expectedLength) _lease?.Dispose();
        if (read == 0 && _expectedLength > 0 && _position < _expectedLength)
            throw MidStream($"the body ended after {_position} of {_expectedLength} bytes", null);
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _lease?.Dispose();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _lease?.Dispose();
    }

    private IOException MidStream(string reason, Exception? inner) =>
        new($"S3 read of {_location} failed mid-stream: {reason}", inner);
}
