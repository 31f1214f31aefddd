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
