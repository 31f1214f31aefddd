using System.Buffers;
using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Pipeline;

/// <summary>
/// Whole lines of one file (a log file is cut at line ends), or several whole small song files one after another
/// (<see cref="Parts"/>), in a pooled buffer that the parse stage returns. A chunk with <see cref="Error"/> carries
/// no data: the file could not be read past that point.
/// </summary>
internal sealed class FileChunk
{
    public required SourceObject File { get; init; }
    public byte[]? Buffer { get; init; }
    public int Length { get; init; }
    public int FirstLine { get; init; }
    public bool FileStart { get; init; }
    public string? Error { get; init; }

    /// <summary>Whole files packed into <see cref="Buffer"/> (song files are tiny: one message per file costs more than reading it).</summary>
    public IReadOnlyList<FilePart>? Parts { get; init; }

    public ReadOnlySpan<byte> Span => Buffer is null ? default : Buffer.AsSpan(0, Length);

    public void Release()
    {
        if (Buffer is not null) ArrayPool<byte>.Shared.Return(Buffer);
    }
}

/// <summary>One whole file inside a chunk's buffer, or the error that kept it from being read.</summary>
internal sealed record FilePart(SourceObject File, int Offset, int Length, string? Error);
