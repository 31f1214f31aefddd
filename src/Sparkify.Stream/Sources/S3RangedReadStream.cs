using System.Buffers;
using Amazon.S3;
using Amazon.S3.Model;

namespace Sparkify.Stream.Sources;

/// <summary>
/// A big object read as byte ranges, several in flight (S3 serves each connection at ~100 MB/s, so one GET of a 500 MB
/// file is five seconds of waiting), handed on in order. Every range is pinned to the listed version (If-Match on its
/// ETag), so an object replaced mid-read fails (412) instead of mixing two versions, and is read through
/// <see cref="S3ReadStream"/>: a range that breaks off is an <see cref="IOException"/> naming the object, which the
/// fetch stage retries like any other read (it opens the object again and skips what it already sent on).
/// </summary>
/// <remarks>
/// Each range is read whole into a pooled buffer before it is handed on (so ranges truly download in parallel, rather
/// than waiting in socket buffers). The buffers in flight over all the source's big files are bounded by
/// <paramref name="budget"/>: a stream takes a slot for each range it starts, in order, waiting only for the range it
/// needs next, so the ranges it holds always begin with the one its reader needs and every reader progresses.
/// </remarks>
internal sealed class S3RangedReadStream : AsyncForwardReadStream
{
    private readonly IAmazonS3 _s3;
    private readonly string _bucket;
    private readonly string _key;
    private readonly string _etag;
    private readonly long _length;
    private readonly int _rangeSize;
    private readonly SemaphoreSlim _budget;
    private readonly TimeSpan _idleTimeout;
    private readonly CancellationTokenSource _stop = new();
    private readonly Queue<Task<byte[]>> _ranges = new();
    private readonly IDisposable? _lease;
    private long _nextStart;
    private byte[]? _current;
    private int _currentOffset;
    private int _currentLength;
    private long _position;
    private int _stopped;

    /// <param name="lease">Released when the stream is disposed, or null.</param>
    public S3RangedReadStream(IAmazonS3 s3, string bucket, string key, string etag, long length, int rangeSize,
        SemaphoreSlim budget, TimeSpan idleTimeout, IDisposable? lease)
        : base(lease ?? NoLease.Instance)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rangeSize, 1);
        _s3 = s3;
        _bucket = bucket;
        _key = key;
        _etag = etag;
        _length = length;
        _rangeSize = rangeSize;
        _budget = budget;
        _idleTimeout = idleTimeout;
        _lease = lease;
    }

    public override long Length => _length;

    protected override long BytesRead => _position;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty) return 0;
        if (_currentOffset == _currentLength)
        {
            ReleaseCurrent();
            if (_position == _length)
            {
                _lease?.Dispose();   // read to its end: no longer a read in flight (see S3ReadStream)
                return 0;
            }
            await StartRangesAsync(cancellationToken);
            // Taken off the queue only once it succeeded: a failed range stays there, and disposing returns its slot.
            _current = await _ranges.Peek().WaitAsync(cancellationToken);
            _ = _ranges.Dequeue();
            _currentOffset = 0;
            _currentLength = (int)Math.Min(_rangeSize, _length - _position);
        }
        var count = Math.Min(buffer.Length, _currentLength - _currentOffset);
        _current.AsSpan(_currentOffset, count).CopyTo(buffer.Span);
        _currentOffset += count;
        _position += count;
        return count;
    }

    /// <summary>Starts the next range (waiting for a slot when none is in flight) and as many more as slots are free.</summary>
    private async Task StartRangesAsync(CancellationToken ct)
    {
        if (_ranges.Count == 0 && _nextStart < _length)
        {
            await _budget.WaitAsync(ct);
            _ranges.Enqueue(FetchRangeAsync(_nextStart));
            _nextStart += _rangeSize;
        }
        while (_nextStart < _length && _budget.Wait(0, CancellationToken.None))
        {
            _ranges.Enqueue(FetchRangeAsync(_nextStart));
            _nextStart += _rangeSize;
        }
    }

    /// <summary>One range, whole, in a pooled buffer; its budget slot is the caller's (released when it is consumed).</summary>
    private async Task<byte[]> FetchRangeAsync(long start)
    {
        var length = (int)Math.Min(_rangeSize, _length - start);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            await using var body = await S3ReadStream.OpenAsync(_s3, _bucket, _key, _idleTimeout, _etag, lease: null,
                new ByteRange(start, start + length - 1), _stop.Token);
            var filled = 0;
            while (filled < length)
            {
                var read = await body.ReadAsync(buffer.AsMemory(filled, length - filled), _stop.Token);
                if (read == 0) break;
                filled += read;
            }
            // S3ReadStream already fails a body shorter than its Content-Length; this catches a range answered short.
            if (filled != length)
            {
                throw new IOException(
                    $"S3 read of s3://{_bucket}/{_key} failed mid-stream: bytes {start}-{start + length - 1} gave {filled} bytes");
            }
            return buffer;
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private void ReleaseCurrent()
    {
        if (_current is null) return;
        ArrayPool<byte>.Shared.Return(_current);
        _current = null;
        _budget.Release();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) StopRangesAsync().GetAwaiter().GetResult();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await StopRangesAsync();
        await base.DisposeAsync();
    }

    /// <summary>Stops the ranges in flight and awaits them, so their buffers and slots come back (once).</summary>
    private async Task StopRangesAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        await _stop.CancelAsync();
        ReleaseCurrent();
        while (_ranges.TryDequeue(out var range))
        {
            try
            {
                ArrayPool<byte>.Shared.Return(await range);
            }
#pragma warning disable CA1031 // a stopped or failed range: nothing to hand on, only its slot to give back
            catch (Exception)
#pragma warning restore CA1031
            {
            }
            _budget.Release();
        }
        _stop.Dispose();
    }

    private sealed class NoLease : IDisposable
    {
        public static readonly NoLease Instance = new();

        public void Dispose()
        {
        }
    }
}
