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
    private long _position;

    public S3ReadStream(GetObjectResponse response, string location, TimeSpan idleTimeout)
        : base(response)
    {
        _body = response.ResponseStream;
        _location = location;
        _idleTimeout = idleTimeout;
        _expectedLength = response.ContentLength;
    }

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
        if (read == 0 && _expectedLength > 0 && _position < _expectedLength)
            throw MidStream($"the body ended after {_position} of {_expectedLength} bytes", null);
        return read;
    }

    private IOException MidStream(string reason, Exception? inner) =>
        new($"S3 read of {_location} failed mid-stream: {reason}", inner);
}
