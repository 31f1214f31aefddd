using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Sparkify.Stream.Sources;

/// <summary>
/// Gunzips a <c>.json.gz</c> and proves it whole: at the end, a file that broke off is an
/// <see cref="InvalidDataException"/>, like every other kind of corrupt gzip data.
/// </summary>
/// <remarks>
/// .NET's GZipStream checks a member's CRC-32 only when it reaches the member's trailer; when the compressed data
/// simply stops (an interrupted upload or download), it ends quietly, as if the file were shorter. So the last 8
/// bytes of the file (the trailer of its last member: CRC-32 and size mod 2^32) are kept and checked against the
/// data. They match the whole data for a one-member file, the usual kind. When they do not, the file is either
/// truncated or holds several members (concatenated .gz files, still valid): a second pass over the file checks
/// the CRC-32 of the last member's data alone, which is the last <c>size</c> bytes of the output.
/// </remarks>
internal sealed class VerifiedGzipStream : AsyncForwardReadStream
{
    private const int TrailerBytes = 8;
    private const int HeaderBytes = 10;

    private readonly TailStream _raw;
    private readonly GZipStream _gzip;
    private readonly Func<CancellationToken, Task<System.IO.Stream>> _reopen;
    private readonly Crc32 _crc = new();
    private long _length;
    private bool _verified;

    /// <param name="raw">The compressed file from its first byte; disposed with this stream.</param>
    /// <param name="reopen">Opens the compressed file again from its first byte (only a multi-member file needs it).</param>
    public VerifiedGzipStream(System.IO.Stream raw, Func<CancellationToken, Task<System.IO.Stream>> reopen)
        : this(new TailStream(raw), reopen)
    {
    }

    private VerifiedGzipStream(TailStream raw, Func<CancellationToken, Task<System.IO.Stream>> reopen)
        : this(raw, new GZipStream(raw, CompressionMode.Decompress), reopen)
    {
    }

    private VerifiedGzipStream(TailStream raw, GZipStream gzip, Func<CancellationToken, Task<System.IO.Stream>> reopen)
        : base(gzip)   // disposing the GZipStream disposes the raw stream under it
    {
        (_raw, _gzip, _reopen) = (raw, gzip, reopen);
    }

    protected override long BytesRead => _length;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty) return 0;
        var read = await _gzip.ReadAsync(buffer, cancellationToken);
        if (read > 0)
        {
            _crc.Append(buffer.Span[..read]);
            _length += read;
        }
        else if (!_verified)
        {
            await VerifyAsync(cancellationToken);
            _verified = true;
        }
        return read;
    }

    private async Task VerifyAsync(CancellationToken ct)
    {
        if (_raw.Total == 0) return;   // an empty file is an empty file, not a broken one
        if (_raw.Total < HeaderBytes + TrailerBytes)
            throw new InvalidDataException($"the file has {_raw.Total} bytes, too few for gzip data (truncated?)");
        var trailer = _raw.Tail;
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        var size = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        if (_crc.GetCurrentHashAsUInt32() == crc && (uint)_length == size) return;
        if (size < _length && await LastMemberCrcAsync(_length - size, ct) is { } last && last == crc) return;
        throw new InvalidDataException(
            $"the data ends without its gzip trailer after {_length:N0} bytes (the file is truncated or corrupt)");
    }

    /// <summary>
    /// Decompresses the file again and returns the CRC-32 of its output from <paramref name="from"/> on, or null when
    /// the second pass does not give the same data length (the file changed under us).
    /// </summary>
    private async Task<uint?> LastMemberCrcAsync(long from, CancellationToken ct)
    {
        await using var again = new GZipStream(await _reopen(ct), CompressionMode.Decompress);
        var crc = new Crc32();
        var scratch = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            long position = 0;
            int read;
            while ((read = await again.ReadAsync(scratch, ct)) > 0)
            {
                var skip = (int)Math.Clamp(from - position, 0, read);
                crc.Append(scratch.AsSpan(skip, read - skip));
                position += read;
            }
            return position == _length ? crc.GetCurrentHashAsUInt32() : null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>Passes reads through and remembers the last 8 bytes read and how many there were.</summary>
    private sealed class TailStream(System.IO.Stream inner) : ForwardReadStream(inner)
    {
        private readonly byte[] _tail = new byte[TrailerBytes];

        public long Total { get; private set; }

        /// <summary>The last 8 bytes read, oldest first (valid once at least 8 were read).</summary>
        public ReadOnlySpan<byte> Tail => _tail;

        protected override long BytesRead => Total;

        public override int Read(byte[] buffer, int offset, int count) => Remember(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

        public override int Read(Span<byte> buffer) => Remember(buffer[..inner.Read(buffer)]);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            return Remember(buffer.Span[..read]);
        }

        private int Remember(ReadOnlySpan<byte> read)
        {
            if (read.Length >= TrailerBytes)
            {
                read[^TrailerBytes..].CopyTo(_tail);
            }
            else if (read.Length > 0)
            {
                _tail.AsSpan(read.Length).CopyTo(_tail);   // shift the older bytes left, then append
                read.CopyTo(_tail.AsSpan(TrailerBytes - read.Length));
            }
            Total += read.Length;
            return read.Length;
        }
    }
}
