using System.Buffers;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Dataflow;
using Polly;
using Sparkify.Stream.Sources;

namespace Sparkify.Stream.Pipeline;

/// <summary>
/// Reads a log file (gunzipping .json.gz) and sends it on as chunks of whole lines, never holding a large file whole;
/// reads small song files whole, several to a chunk.
/// A transient read fault re-opens the file and skips what was already sent, so a retry never duplicates a record.
/// </summary>
internal sealed class FetchStage(Func<SourceObject, IObjectSource> sourceOf, PipelineOptions options)
{
    private readonly Lazy<ResiliencePipeline> _retry = Resilience.ForReadsWhenNeeded(options.MaxAttempts, options.IsTransient);

    /// <summary>One log file as chunks of lines, or a group of small song files packed into one chunk.</summary>
    public async Task FetchAsync(IReadOnlyList<SourceObject> files, ITargetBlock<FileChunk> next, CancellationToken ct)
    {
        if (files is [var single] && single.Kind != RecordKind.Song)
        {
            await FetchAsync(single, next, ct);
            return;
        }

        var concurrent = Math.Min(files.Count, sourceOf(files[0]).ConcurrentReads);
        var (buffer, length, parts) = concurrent > 1
            ? await ReadGroupConcurrentlyAsync(files, concurrent, ct)
            : await ReadGroupAsync(files, ct);
        await Send(next, new FileChunk
        {
            File = files[0],
            Buffer = buffer,
            Length = length,
            FirstLine = 1,
            FileStart = true,
            Parts = parts,
        }, ct);
    }

    /// <summary>The files one after another, each appended to one pooled buffer (a local disk: reads are cheap).</summary>
    private async Task<(byte[] Buffer, int Length, List<FilePart> Parts)> ReadGroupAsync(
        IReadOnlyList<SourceObject> files, CancellationToken ct)
    {
        // The buffer may be replaced by a bigger one inside a read that then fails: the box always holds the one
        // this group owns, so a failure returns that one to the pool (and never a buffer already returned).
        var buffer = new StrongBox<byte[]>(ArrayPool<byte>.Shared.Rent(InitialSize(files.Sum(f => f.Size) + files.Count)));
        var parts = new List<FilePart>(files.Count);
        var length = 0;
        try
        {
            foreach (var file in files)
            {
                var (end, error) = await ReadWholeWithRetryAsync(file, buffer, length, ct);
                parts.Add(new FilePart(file, length, end - length, error));
                length = end;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer.Value!);
            throw;
        }
        return (buffer.Value!, length, parts);
    }

    /// <summary>
    /// The files read <paramref name="concurrent"/> at once, each into a pooled buffer of its own, then packed in
    /// order into one (S3: a GET waits tens of milliseconds for its first byte, so reading 64 files one after
    /// another would leave the group waiting 64 times). The source bounds the reads in flight over all groups.
    /// </summary>
    private async Task<(byte[] Buffer, int Length, List<FilePart> Parts)> ReadGroupConcurrentlyAsync(
        IReadOnlyList<SourceObject> files, int concurrent, CancellationToken ct)
    {
        var reads = new (byte[]? Buffer, int Length, string? Error)[files.Count];
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, files.Count),
                new ParallelOptions { MaxDegreeOfParallelism = concurrent, CancellationToken = ct },
                async (i, token) =>
                {
                    var box = new StrongBox<byte[]>(ArrayPool<byte>.Shared.Rent(InitialSize(files[i].Size + 1)));
                    try
                    {
                        var (end, error) = await ReadWholeWithRetryAsync(files[i], box, 0, token);
                        reads[i] = (box.Value, end, error);
                    }
                    catch
                    {
                        ArrayPool<byte>.Shared.Return(box.Value!);
                        throw;
                    }
                });
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(256, reads.Sum(r => r.Length)));
            var parts = new List<FilePart>(files.Count);
            var length = 0;
            for (var i = 0; i < files.Count; i++)
            {
                reads[i].Buffer.AsSpan(0, reads[i].Length).CopyTo(buffer.AsSpan(length));
                parts.Add(new FilePart(files[i], length, reads[i].Length, reads[i].Error));
                length += reads[i].Length;
            }
            return (buffer, length, parts);
        }
        finally
        {
            foreach (var read in reads)
                if (read.Buffer is not null) ArrayPool<byte>.Shared.Return(read.Buffer);
        }
    }

    private static int InitialSize(long bytes) => (int)Math.Clamp(bytes, 256, 1 << 20);

    /// <summary>
    /// Appends one whole file to the boxed buffer at <paramref name="offset"/>, growing it as needed (the box then holds
    /// the bigger one, also when a later attempt fails).
    /// </summary>
    /// <returns>Where the file ends in the buffer, or why it could not be read.</returns>
    private Task<(int End, string? Error)> ReadWholeWithRetryAsync(
        SourceObject file, StrongBox<byte[]> buffer, int offset, CancellationToken ct) =>
        Resilience.RunAsync<(int End, string? Error)>(_retry, async token =>
        {
            var length = offset;
            try
            {
                await using var raw = await sourceOf(file).OpenReadAsync(file, token);
                await using var input = file.IsGzip ? new VerifiedGzipStream(raw, t => sourceOf(file).OpenReadAsync(file, t)) : raw;
                int read;
                while (true)
                {
                    if (length == buffer.Value!.Length) buffer.Value = Grow(buffer.Value, length);
                    if ((read = await input.ReadAsync(buffer.Value.AsMemory(length), token)) == 0) break;
                    length += read;
                }
                return (length, null);
            }
            catch (InvalidDataException ex) when (file.IsGzip)
            {
                return (offset, "corrupt gzip data: " + ex.Message); // the whole file is one reject
            }
        }, ct);

    private async Task FetchAsync(SourceObject file, ITargetBlock<FileChunk> next, CancellationToken ct)
    {
        var progress = new FetchProgress();
        var corrupt = await Resilience.RunAsync<InvalidDataException?>(_retry, async token =>
        {
            try
            {
                await ReadAsync(file, next, progress, token);
                return null;
            }
            catch (InvalidDataException ex) when (file.IsGzip)
            {
                return ex;   // not a fault to retry: the data is bad
            }
        }, ct);
        if (corrupt is null) return;
        // A corrupt .gz: what was read before the fault is kept; the rest is one reject naming the file.
        await Send(next, new FileChunk
        {
            File = file,
            FirstLine = progress.NextLine,
            Error = $"corrupt gzip file: {corrupt.Message} — " + (file.Kind == RecordKind.Song
                ? "the file was not read"
                : $"lines from {progress.NextLine} on were not read"),
        }, ct);
    }

    private async Task ReadAsync(SourceObject file, ITargetBlock<FileChunk> next, FetchProgress progress, CancellationToken ct)
    {
        await using var raw = await sourceOf(file).OpenReadAsync(file, ct);
        await using var input = file.IsGzip ? new VerifiedGzipStream(raw, token => sourceOf(file).OpenReadAsync(file, token)) : raw;
        await SkipAsync(input, progress.SentBytes, ct);
        await ReadLinesAsync(file, input, next, progress, ct);
    }

    private async Task ReadLinesAsync(SourceObject file, System.IO.Stream input, ITargetBlock<FileChunk> next,
        FetchProgress progress, CancellationToken ct)
    {
        // A pooled buffer is returned by whoever holds it last: here, or the parse stage once a chunk carries it.
        // So the local is cleared before a buffer is handed on, and a failed hand-over cannot return it twice.
        byte[]? buffer = ArrayPool<byte>.Shared.Rent(options.ChunkBytes);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length) buffer = Grow(buffer, length);
                int read;
                try
                {
                    read = await input.ReadAsync(buffer.AsMemory(length), ct);
                }
                catch (InvalidDataException) when (file.IsGzip)
                {
                    // Corrupt gzip data: the whole lines decoded before it still count; the caller adds one
                    // reject for the rest of the file.
                    var whole = buffer.AsSpan(0, length).LastIndexOf((byte)'\n') + 1;
                    if (whole == 0) throw;
                    var lines = buffer;
                    buffer = null;
                    await SendLines(file, next, progress, lines, whole, ct);
                    throw;
                }
                if (read == 0) break;
                length += read;
                var cut = buffer.AsSpan(0, length).LastIndexOf((byte)'\n') + 1;
                if (cut == 0 || length < buffer.Length / 2) continue;   // fill at least half a buffer per chunk
                var full = buffer;
                buffer = ArrayPool<byte>.Shared.Rent(Math.Max(options.ChunkBytes, length - cut));
                full.AsSpan(cut, length - cut).CopyTo(buffer);
                length -= cut;
                await SendLines(file, next, progress, full, cut, ct);
            }
            if (length > 0)
            {
                var last = buffer;
                buffer = null;
                await SendLines(file, next, progress, last, length, ct);
            }
        }
        finally
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task SendLines(SourceObject file, ITargetBlock<FileChunk> next, FetchProgress progress,
        byte[] buffer, int length, CancellationToken ct)
    {
        var chunk = new FileChunk
        {
            File = file,
            Buffer = buffer,
            Length = length,
            FirstLine = progress.NextLine,
            FileStart = progress.SentBytes == 0,
        };
        progress.NextLine += buffer.AsSpan(0, length).Count((byte)'\n');
        progress.SentBytes += length;
        await Send(next, chunk, ct);
    }

    private static async Task Send(ITargetBlock<FileChunk> next, FileChunk chunk, CancellationToken ct)
    {
        if (!await next.SendAsync(chunk, ct))
        {
            chunk.Release();
            throw new OperationCanceledException("the parse stage stopped accepting chunks", ct);
        }
    }

    private static byte[] Grow(byte[] buffer, int length)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }

    private static async Task SkipAsync(System.IO.Stream input, long bytes, CancellationToken ct)
    {
        if (bytes == 0) return;
        var scratch = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            while (bytes > 0)
            {
                var read = await input.ReadAsync(scratch.AsMemory(0, (int)Math.Min(scratch.Length, bytes)), ct);
                if (read == 0) throw new IOException("the file became shorter while it was being re-read");
                bytes -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private sealed class FetchProgress
    {
        public long SentBytes;
        public int NextLine = 1;
    }
}
