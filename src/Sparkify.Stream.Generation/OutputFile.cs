using System.IO.Compression;

namespace Sparkify.Stream.Generation;

/// <summary>A file being written, plain or gzip (the same bytes compressed); knows its size on disk once disposed.</summary>
internal sealed class OutputFile : IDisposable
{
    private readonly FileStream _file;
    private readonly GZipStream? _gzip;
    private bool _disposed;

    public OutputFile(string path, bool gzip, int bufferSize = 1 << 16)
    {
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize);
        _gzip = gzip ? new GZipStream(_file, CompressionLevel.Fastest, leaveOpen: true) : null;
    }

    /// <summary>Where content goes (the gzip stream when compressing).</summary>
    public System.IO.Stream Body => _gzip ?? (System.IO.Stream)_file;

    /// <summary>Bytes on disk, valid after <see cref="Dispose"/>.</summary>
    public long BytesOnDisk { get; private set; }

    /// <summary>The file name for <paramref name="baseName"/> (ending <c>.json</c>): <c>.json.gz</c> when compressing.</summary>
    public static string Name(string baseName, bool gzip) => gzip ? baseName + ".gz" : baseName;

    public static long Write(string path, ReadOnlySpan<byte> content, bool gzip)
    {
        var file = new OutputFile(path, gzip, bufferSize: 4096);
        try
        {
            file.Body.Write(content);
        }
        finally
        {
            file.Dispose();
        }
        return file.BytesOnDisk;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _gzip?.Dispose();
        _file.Flush();
        BytesOnDisk = _file.Length;
        _file.Dispose();
    }
}
