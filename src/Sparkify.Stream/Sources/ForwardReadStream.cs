namespace Sparkify.Stream.Sources;

/// <summary>
/// The plumbing of a stream that is read once, front to back, and owns what it reads from: it cannot seek, be
/// written or have its position set; its length is unknown unless a subclass knows it; its position is
/// <see cref="BytesRead"/> where a subclass counts, else unknown. Disposing it disposes <paramref name="owned"/>.
/// A subclass only reads.
/// </summary>
internal abstract class ForwardReadStream(IDisposable owned) : System.IO.Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    /// <summary>The bytes read so far (what <see cref="Position"/> reports).</summary>
    protected virtual long BytesRead => throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) owned.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (owned is IAsyncDisposable asynchronous) await asynchronous.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>A <see cref="ForwardReadStream"/> that reads asynchronously only: the other reads go through its one.</summary>
internal abstract class AsyncForwardReadStream(IDisposable owned) : ForwardReadStream(owned)
{
    public sealed override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public sealed override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);
}
